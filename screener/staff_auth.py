"""The staff password and the brake on guessing it; pure Python, no Streamlit, no database.

The clinic shares one staff password, kept only as a salted scrypt hash in a
self-describing string ``scrypt$n$r$p$salt$hash`` (salt and hash in base64), made by
``python -m screener hash-password``. Each member of staff types their own name at
sign-in; the name is who the audit trail says acted.

Failed sign-ins are counted from the audit trail, so the brake holds across tablets and
app instances: after ``allowed`` failures within ``window`` (and since the last good
sign-in), every attempt waits ``first_delay`` after the latest failure, doubling with
each further failure up to ``longest_delay``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import re
import secrets
import threading
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Optional

from .errors import ScreenerError

SCHEME = "scrypt"
# 2**15 x 8 x 128 bytes = 32 MiB and about 0.1 s per check: slow for a guesser, quick for staff.
DEFAULT_N, DEFAULT_R, DEFAULT_P = 2**15, 8, 1
SALT_BYTES, HASH_BYTES = 16, 32
MIN_PASSWORD_LENGTH = 10
MAX_NAME_LENGTH = 80
_MAX_MEMORY = 256 * 1024 * 1024
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
HASH_COMMAND = "python -m screener hash-password"
_ONE_CHECK_AT_A_TIME = threading.Lock()

FORMAT_HINT = (f"It must be the hash printed by `{HASH_COMMAND}` "
               "(it starts with `scrypt$` and has six parts separated by `$`).")


class StaffAuthConfigError(ScreenerError):
    """The configured staff password hash cannot be used; the message says why and how to fix it."""


@dataclass(frozen=True)
class PasswordHash:
    """A parsed ``scrypt$n$r$p$salt$hash`` string."""

    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def __str__(self) -> str:
        encode = lambda raw: base64.b64encode(raw).decode("ascii")  # noqa: E731
        return f"{SCHEME}${self.n}${self.r}${self.p}${encode(self.salt)}${encode(self.digest)}"


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    # The same password typed on any keyboard (composed or decomposed accents) is the same password.
    secret = unicodedata.normalize("NFC", password).encode("utf-8")
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, dklen=length, maxmem=_MAX_MEMORY)


def password_problem(password: str) -> Optional[str]:
    """Why ``password`` cannot be the staff password, or None."""
    if len(password.strip()) < MIN_PASSWORD_LENGTH:
        return f"The staff password must have at least {MIN_PASSWORD_LENGTH} characters."
    if _CONTROL_CHARACTERS.search(password):
        return "The staff password cannot contain control characters such as line breaks."
    return None


def hash_password(password: str, *, n: int = DEFAULT_N, r: int = DEFAULT_R, p: int = DEFAULT_P) -> str:
    """A new salted hash of ``password`` as one ``scrypt$n$r$p$salt$hash`` line."""
    _check_cost(n, r, p)
    salt = secrets.token_bytes(SALT_BYTES)
    return str(PasswordHash(n, r, p, salt, _scrypt(password, salt, n, r, p, HASH_BYTES)))


def _check_cost(n: int, r: int, p: int) -> None:
    if n < 2 or n & (n - 1) or not (1 <= r <= 64) or not (1 <= p <= 16) or 128 * n * r * (p + 1) > _MAX_MEMORY:
        raise StaffAuthConfigError(
            f"The staff password hash has unusable scrypt parameters (n={n}, r={r}, p={p}). "
            f"Make a new one with: {HASH_COMMAND}")


def _decode(part: str) -> bytes:
    return base64.b64decode(part.encode("ascii"), validate=True)


def parse_hash(text: str) -> PasswordHash:
    """The parsed hash; StaffAuthConfigError (never quoting the text) when it is not in the expected form."""
    parts = text.strip().split("$") if isinstance(text, str) else []
    parsed: Optional[PasswordHash] = None
    if len(parts) == 6 and parts[0] == SCHEME and all(part.isdigit() for part in parts[1:4]):
        try:
            parsed = PasswordHash(int(parts[1]), int(parts[2]), int(parts[3]), _decode(parts[4]), _decode(parts[5]))
        except (binascii.Error, ValueError):
            parsed = None
    if parsed is None or len(parsed.salt) < 8 or len(parsed.digest) < 16:
        raise StaffAuthConfigError(f"The staff password hash is not in the expected form. {FORMAT_HINT}")
    _check_cost(parsed.n, parsed.r, parsed.p)
    return parsed


def verify_password(password: str, stored: PasswordHash) -> bool:
    """Whether ``password`` matches the stored hash, compared in constant time.

    One check at a time per process: parallel sessions get no extra guesses in the time
    the brake allows, and the memory scrypt needs (32 MiB a check) stays bounded."""
    with _ONE_CHECK_AT_A_TIME:
        candidate = _scrypt(password, stored.salt, stored.n, stored.r, stored.p, len(stored.digest))
    return hmac.compare_digest(candidate, stored.digest)


def staff_name_problem(name: str) -> Optional[str]:
    """Why ``name`` cannot stand for a member of staff in the audit trail, or None."""
    stripped = name.strip()
    if not stripped:
        return "Enter your name: the audit trail records who did what."
    if len(stripped) > MAX_NAME_LENGTH:
        return f"Enter at most {MAX_NAME_LENGTH} characters."
    if _CONTROL_CHARACTERS.search(stripped):
        return "Enter your name on one line."
    return None


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failed sign-ins are let through, and how long attempts wait after that."""

    allowed: int = 5
    window: timedelta = timedelta(minutes=15)
    first_delay: timedelta = timedelta(seconds=30)
    longest_delay: timedelta = timedelta(minutes=15)

    def delay_after(self, failures: int) -> timedelta:
        """The wait after the latest of ``failures`` recent failures: zero below ``allowed``."""
        if failures < self.allowed:
            return timedelta(0)
        doublings = min(failures - self.allowed, 32)
        return min(self.first_delay * 2**doublings, self.longest_delay)


DEFAULT_THROTTLE = ThrottlePolicy()


def retry_after(failures: Iterable[datetime], now: datetime, *, last_success: Optional[datetime] = None,
                policy: ThrottlePolicy = DEFAULT_THROTTLE) -> timedelta:
    """How long the next sign-in attempt must wait (zero: go ahead).

    ``failures`` are the times of failed sign-ins; those older than the policy's window,
    or not after ``last_success``, do not count.
    """
    since = now - policy.window
    if last_success is not None:
        since = max(since, last_success)
    recent = [moment for moment in failures if since < moment <= now]
    delay = policy.delay_after(len(recent))
    if not recent or not delay:
        return timedelta(0)
    return max(max(recent) + delay - now, timedelta(0))


def describe_wait(wait: timedelta) -> str:
    """A wait in words, rounded up: "40 seconds", "2 minutes"."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"
