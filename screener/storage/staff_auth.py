"""Staff accounts' secrets and the brake on guessing them; pure Python, no Streamlit, no database.

Each member of staff has a personal account: a username, a display name, a role and a
password kept only as an Argon2id hash (``argon2-cffi``, OWASP's parameters: 19 MiB,
2 passes, 1 lane). Passwords follow NIST SP 800-63B: at least 12 characters, any
characters, refused when they contain the username or are one of the common passwords
shipped beside this module (``common_passwords.txt``).

A second factor is a time-based one-time code (RFC 6238, ``pyotp``); a code is accepted
once: the caller stores the time step it was accepted for and passes it back.

Failed sign-ins are counted from the audit trail: after ``allowed`` failures within
``window`` (and since the last good sign-in), every attempt waits ``first_delay`` after
the latest failure, doubling with each further failure up to ``longest_delay``.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterable, Optional

from ..clinical.errors import ScreenerError

ROLES = {"clinician": "Clinician", "admin": "Administrator"}
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256  # bounded hashing time whatever arrives
MAX_NAME_LENGTH = 80
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
# OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1.
OWASP_COST = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
TOTP_DIGITS, TOTP_PERIOD = 6, 30
ISSUER = "Vein screener"
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
_TRAILING_DIGITS_AND_MARKS = re.compile(r"[\d\W_]+$")
_REPEATED = re.compile(r"(.+?)\1+")


class StaffAuthError(ScreenerError):
    """A staff account request that cannot be done; the message says why in plain words."""


@functools.cache
def _hasher(time_cost: int, memory_cost: int, parallelism: int):
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def _normal(password: str) -> str:
    # The same password typed on any keyboard (composed or decomposed accents) is the same password.
    return unicodedata.normalize("NFC", password)


def hash_password(password: str, *, cost: Optional[dict] = None) -> str:
    """A new salted Argon2id hash of ``password`` (PHC string ``$argon2id$v=19$m=…``)."""
    return _hasher(**(cost or OWASP_COST)).hash(_normal(password))


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored``; any unusable hash is simply no match."""
    from argon2.exceptions import Argon2Error, InvalidHashError

    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return _hasher(**OWASP_COST).verify(stored, _normal(password))
    except (Argon2Error, InvalidHashError, ValueError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return hash_password("no account has this password; it only spends the time of a real check")


def spend_a_check(password: str) -> None:
    """Take as long as checking a real account's password, for a username that has none."""
    verify_password(password[:MAX_PASSWORD_LENGTH], _dummy_hash())


@functools.cache
def common_passwords() -> frozenset[str]:
    """The most common passwords (top 5,000 of zxcvbn's list, MIT licence), lower case."""
    return frozenset(line.strip().lower() for line in _COMMON_PASSWORDS.read_text("utf-8").splitlines() if line)


def _is_common(password: str) -> bool:
    """On the list as typed, without trailing digits and marks ("password2026!"), or repeated ("qwertyqwerty")."""
    folded = password.casefold().strip()
    bare = _TRAILING_DIGITS_AND_MARKS.sub("", folded)
    repeated = _REPEATED.fullmatch(bare)
    candidates = {folded, bare, repeated.group(1) if repeated else bare}
    return not candidates.isdisjoint(common_passwords())


def password_problem(password: str, username: str = "") -> Optional[str]:
    """Why ``password`` cannot be this person's password (NIST SP 800-63B), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"A password must have at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"A password can have at most {MAX_PASSWORD_LENGTH} characters."
    if username and username.casefold() in password.casefold():
        return "A password cannot contain the username."
    if _is_common(password):
        return "This password is on the list of the most common passwords; choose another."
    return None


def username_problem(username: str) -> Optional[str]:
    """Why ``username`` cannot name an account, or None."""
    if not USERNAME_PATTERN.fullmatch(username):
        return ("A username has 2 to 32 characters: lower-case letters a–z, digits, dots, dashes or "
                "underscores, starting with a letter or digit.")
    return None


def display_name_problem(name: str) -> Optional[str]:
    """Why ``name`` cannot be shown as who acted, or None."""
    stripped = name.strip()
    if not stripped:
        return "Enter the person's name."
    if len(stripped) > MAX_NAME_LENGTH:
        return f"Enter at most {MAX_NAME_LENGTH} characters."
    if _CONTROL_CHARACTERS.search(stripped):
        return "Enter the name on one line."
    return None


def role_problem(role: str) -> Optional[str]:
    if role not in ROLES:
        return f"The role must be one of: {', '.join(ROLES)}."
    return None


def new_totp_secret() -> str:
    import pyotp

    return pyotp.random_base32()


def totp_uri(secret: str, username: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    import pyotp

    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_PERIOD).provisioning_uri(
        name=username, issuer_name=ISSUER)


def totp_step(moment: datetime) -> int:
    return int(moment.timestamp()) // TOTP_PERIOD


def accepted_totp_step(secret: str, code: str, now: datetime, last_step: Optional[int]) -> Optional[int]:
    """The time step ``code`` is valid for (this one or the one either side), or None.

    A step at or before ``last_step`` is refused: each code works once."""
    import pyotp

    code = code.strip().replace(" ", "")
    if not re.fullmatch(rf"\d{{{TOTP_DIGITS}}}", code):
        return None
    totp = pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_PERIOD)
    current = totp_step(now)
    for step in (current, current - 1, current + 1):
        if (last_step is None or step > last_step) and totp.verify(code, for_time=step * TOTP_PERIOD):
            return step
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
# Failures for usernames that have no account, across the clinic: a guesser cannot tell
# known from unknown names, so every sign-in waits while this brake is on.
UNKNOWN_NAMES_THROTTLE = ThrottlePolicy(allowed=20)


def retry_after(failures: Iterable[datetime], now: datetime, *, last_success: Optional[datetime] = None,
                policy: ThrottlePolicy = DEFAULT_THROTTLE) -> timedelta:
    """How long the next sign-in attempt must wait (zero: go ahead).

    ``failures`` are the times of failed sign-ins; those older than the policy's window,
    or not after ``last_success``, do not count. Those after ``now`` do: an attempt that
    read the clock before waiting its turn behind others, or another server's clock a
    little ahead, must not slip past the failures recorded meanwhile.
    """
    since = now - policy.window
    if last_success is not None:
        since = max(since, last_success)
    recent = [moment for moment in failures if since < moment]
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
