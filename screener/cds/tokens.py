"""Who is calling: the JWT a CDS client signs for each call (CDS Hooks 2.0, "Trusting CDS Clients").

A call carries ``Authorization: Bearer JWT``. The JWT's header names ``alg`` (RS384 or ES384
only: never ``none``, never a shared secret), ``kid`` and ``typ`` ``JWT``; its payload ``iss``
(a configured caller), ``aud`` (the URL called), ``exp``, ``iat`` and ``jti``. This service adds
what the specification leaves to it:

- ``exp`` at most :data:`MAX_LIFETIME_S` ahead, so each token is short-lived;
- each ``jti`` of an issuer accepted once, remembered in memory until its ``exp``;
- no token issued before this process started. A restart forgets the ``jti`` seen, and this
  keeps it from reopening them: a token seen before the restart was issued before it.
- ``jku`` is never fetched: keys are configured out of band (:mod:`screener.cds.clients`).

The memory is this process's own, so the service runs as one process.
"""

from __future__ import annotations

import base64
import heapq
import json
import math
import threading
import time
from typing import Callable, Mapping, Optional

import jwt
from jwt.exceptions import (
    ExpiredSignatureError, ImmatureSignatureError, InvalidAudienceError, InvalidSignatureError, InvalidTokenError,
    MissingRequiredClaimError,
)

from ..clinical.errors import ScreenerError
from .clients import Client

ALGORITHMS = ("RS384", "ES384")  # RECOMMENDED by CDS Hooks 2.0; both asymmetric, as it requires
MAX_LIFETIME_S = 300
CLOCK_SKEW_S = 10  # between the caller's clock and ours, for iat and exp
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "jti"]
MAX_TOKEN_CHARS = 16_384  # a signed JWT of these claims is under 1 KB; far larger is not one worth decoding


class Refused(ScreenerError):
    """A call that is not authenticated (HTTP 401); ``reason`` says why, in words for the caller's developers."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class Authenticator:
    """Checks each call's JWT against the configured callers; safe to share between threads."""

    def __init__(self, clients: Mapping[str, Client], clock: Callable[[], float] = time.time):
        self._clients = clients
        self._clock = clock
        self._not_before = math.ceil(clock())  # iat counts whole seconds: the first one wholly after the start
        self._seen: set[tuple[str, str]] = set()
        self._expiries: list[tuple[float, tuple[str, str]]] = []
        self._lock = threading.Lock()

    def caller(self, authorization: Optional[str], audience: str) -> str:
        """The ``iss`` of a valid JWT for ``audience`` (the URL called), its ``jti`` now used; else Refused."""
        token = _bearer(authorization)
        header, unverified = _unverified(token)
        iss = unverified.get("iss")
        client = self._clients.get(iss) if isinstance(iss, str) else None
        if client is None:
            raise Refused("The JWT's issuer (iss) is not one this service was configured to trust.")
        key = client.key_for(header["kid"], header["alg"])
        if key is None:
            raise Refused(f"This issuer has no {header['alg']} key with the JWT's kid.")
        claims = _verified(token, key.key, key.algorithm, audience, client.iss)
        now = self._clock()
        if claims["exp"] > now + MAX_LIFETIME_S + CLOCK_SKEW_S:
            raise Refused(f"The JWT's exp is more than {MAX_LIFETIME_S} seconds ahead; sign short-lived tokens.")
        if claims["iat"] < self._not_before:
            raise Refused("The JWT was issued before this service started; sign a new one.")
        self._use_once((client.iss, claims["jti"]), claims["exp"] + CLOCK_SKEW_S, now)
        return client.iss

    def held(self) -> int:
        """How many jti are remembered now: each until its exp (with the skew) has passed."""
        with self._lock:
            return len(self._seen)

    def _use_once(self, seen: tuple[str, str], forget_after: float, now: float) -> None:
        with self._lock:
            while self._expiries and self._expiries[0][0] < now:
                self._seen.discard(heapq.heappop(self._expiries)[1])
            if seen in self._seen:
                raise Refused("This JWT (its jti) was used already; sign a new one for each call.")
            self._seen.add(seen)
            heapq.heappush(self._expiries, (forget_after, seen))


def _bearer(authorization: Optional[str]) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Refused("Send the caller's signed JWT as Authorization: Bearer JWT (CDS Hooks: Trusting CDS Clients).")
    return token.strip()


def _unverified(token: str) -> tuple[dict, dict]:
    """The header and claims as given, only to find the key; nothing in them is trusted yet.
    Read with the standard library; PyJWT decodes the token once, strictly, in :func:`_verified`."""
    segments = token.split(".")
    if len(token) > MAX_TOKEN_CHARS or len(segments) != 3:
        raise Refused("The Authorization header does not hold a JWT.")
    header, claims = (_json_segment(segment) for segment in segments[:2])
    if header is None or claims is None:
        raise Refused("The Authorization header does not hold a JWT.")
    if header.get("alg") not in ALGORITHMS:
        raise Refused("The JWT must be signed with RS384 or ES384.")
    if not isinstance(header.get("kid"), str) or not header["kid"]:
        raise Refused("The JWT's header must name its key (kid).")
    if str(header.get("typ", "")).upper() != "JWT":
        raise Refused("The JWT's header must say typ JWT.")
    return header, claims


def _json_segment(segment: str) -> Optional[dict]:
    """The JSON object a JWT segment encodes (base64url, unpadded), or None when it is not one."""
    try:
        value = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, RecursionError):  # binascii.Error, JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None
    return value if isinstance(value, dict) else None


def _verified(token: str, key, algorithm: str, audience: str, issuer: str) -> dict:
    try:
        claims = jwt.decode(token, key, algorithms=[algorithm], audience=audience, issuer=issuer,
                            leeway=CLOCK_SKEW_S, options={"require": REQUIRED_CLAIMS})
    except InvalidSignatureError:
        raise Refused("The JWT's signature does not verify with this issuer's key.") from None
    except ExpiredSignatureError:
        raise Refused("The JWT has expired.") from None
    except ImmatureSignatureError:
        raise Refused("The JWT was issued in the future (iat); check the caller's clock.") from None
    except InvalidAudienceError:
        raise Refused(f"The JWT's aud must be the URL called: {audience}.") from None
    except MissingRequiredClaimError as exc:
        raise Refused(f"The JWT must hold {exc.claim}.") from None
    except InvalidTokenError as exc:
        raise Refused(f"The JWT is not valid: {exc}.") from None
    if not isinstance(claims["jti"], str) or not claims["jti"]:
        raise Refused("The JWT's jti must be a non-empty string.")
    return claims
