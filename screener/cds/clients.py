"""The systems allowed to call the CDS service, and the public keys each one signs with.

``SCREENER_CDS_CLIENTS`` names a JSON list with one entry per calling system:
``{"iss": ISSUER, "public_key_pem": PATH}`` (one key, whatever ``kid`` the JWT names) or
``{"iss": ISSUER, "jwks_file": PATH}`` (a JWK Set, RFC 7517; the JWT's ``kid`` picks the key).
A relative PATH is read beside the list. Keys are exchanged out of band, as CDS Hooks allows
when a JWT names no ``jku``; the service never fetches a key from the network.

Only keys for the two algorithms CDS Hooks 2.0 recommends are accepted: RSA (2048 bits or
more) for RS384, and EC on P-384 for ES384. Anything else stops the service at start, naming
the entry, rather than refusing every call later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt import PyJWK
from jwt.exceptions import PyJWKError

from ..config import ConfigError

VARIABLE = "SCREENER_CDS_CLIENTS"
MIN_RSA_BITS = 2048
_ENTRY_KEYS = ({"iss", "public_key_pem"}, {"iss", "jwks_file"})


@dataclass(frozen=True)
class TrustedKey:
    """A caller's public key and the one algorithm it verifies."""

    algorithm: str
    key: Any
    kid: Optional[str] = None  # None: the caller's only key, whatever kid its JWTs name


@dataclass(frozen=True)
class Client:
    """A system allowed to call, known by the ``iss`` of its JWTs."""

    iss: str
    keys: tuple[TrustedKey, ...]

    def key_for(self, kid: str, algorithm: str) -> Optional[TrustedKey]:
        """The key a JWT with this ``kid`` and ``alg`` is verified with; None if there is none."""
        for key in self.keys:
            if key.kid in (None, kid) and key.algorithm == algorithm:
                return key
        return None


def load_clients(path: Path) -> Mapping[str, Client]:
    """Every allowed caller by issuer, from the list at ``path``; ConfigError naming what is wrong."""
    entries = _json(path)
    if not isinstance(entries, list) or not entries:
        raise _problem(path, "Give a JSON list with one entry per calling system.")
    clients: dict[str, Client] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"entry {number}"
        if not isinstance(entry, dict) or set(entry) not in _ENTRY_KEYS:
            raise _problem(path, f"{where}: give exactly \"iss\" and one of \"public_key_pem\" or \"jwks_file\".")
        iss = entry["iss"]
        if not isinstance(iss, str) or not iss.strip() or not all(isinstance(value, str) for value in entry.values()):
            raise _problem(path, f"{where}: \"iss\" and the key's path must be non-empty text.")
        if iss in clients:
            raise _problem(path, f"{where}: {iss!r} is listed twice; list each issuer once.")
        if "public_key_pem" in entry:
            keys = (_pem_key(path, where, path.parent / entry["public_key_pem"]),)
        else:
            keys = _jwks_keys(path, where, path.parent / entry["jwks_file"])
        clients[iss] = Client(iss, keys)
    return clients


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _problem(path, f"Cannot be read ({exc.strerror}).") from None
    except (UnicodeDecodeError, ValueError):
        raise _problem(path, "Not valid JSON.") from None


def _problem(path: Path, message: str) -> ConfigError:
    return ConfigError(VARIABLE, f"{path}: {message}")


def _pem_key(path: Path, where: str, key_path: Path) -> TrustedKey:
    try:
        key = serialization.load_pem_public_key(key_path.read_bytes())
    except OSError as exc:
        raise _problem(path, f"{where}: {key_path} cannot be read ({exc.strerror}).") from None
    except (ValueError, TypeError):
        raise _problem(path, f"{where}: {key_path} is not a PEM public key.") from None
    algorithm = _algorithm(key)
    if algorithm is None:
        raise _problem(path, f"{where}: {key_path} must be an RSA key of {MIN_RSA_BITS} bits or more (RS384) "
                             "or an EC key on P-384 (ES384).")
    return TrustedKey(algorithm, key)


def _jwks_keys(path: Path, where: str, key_path: Path) -> tuple[TrustedKey, ...]:
    found = _json(key_path)
    if not isinstance(found, dict) or not isinstance(found.get("keys"), list) or not found["keys"]:
        raise _problem(path, f"{where}: {key_path} must be a JWK Set: {{\"keys\": [...]}}.")
    keys = []
    for index, jwk in enumerate(found["keys"]):
        named = f"{where}: {key_path} key {index}"
        if not isinstance(jwk, dict) or not isinstance(jwk.get("kid"), str) or not jwk["kid"]:
            raise _problem(path, f"{named}: each key needs a \"kid\", which the JWTs name.")
        if jwk.get("use", "sig") != "sig" or "d" in jwk:
            raise _problem(path, f"{named}: give public signing keys only (\"use\": \"sig\", no private part).")
        try:
            key = PyJWK(jwk).key
        except PyJWKError as exc:
            raise _problem(path, f"{named}: not a usable key ({exc}).") from None
        algorithm = _algorithm(key)
        if algorithm is None or jwk.get("alg", algorithm) != algorithm:
            raise _problem(path, f"{named}: must be RSA of {MIN_RSA_BITS} bits or more for RS384, or EC P-384 "
                                 "for ES384.")
        keys.append(TrustedKey(algorithm, key, jwk["kid"]))
    return tuple(keys)


def _algorithm(key: Any) -> Optional[str]:
    """RS384 or ES384, the algorithm CDS Hooks 2.0 recommends for this kind of key; None for any other key."""
    if isinstance(key, rsa.RSAPublicKey) and key.key_size >= MIN_RSA_BITS:
        return "RS384"
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP384R1):
        return "ES384"
    return None
