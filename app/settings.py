"""The app's configuration, read once from the environment and checked before any page is drawn.

``SCREENER_DATABASE_URL``: the database (default: an SQLite file in the data folder).
``SCREENER_DATA_DIR``: the data folder, created on first start (default: ``./data``).
``SCREENER_IDLE_MINUTES``: minutes without a touch before the wizard starts blank (default 10).
``SCREENER_STAFF_PASSWORD_HASH`` (or ``staff_password_hash`` in ``.streamlit/secrets.toml``): the old
shared staff password; it opens nothing now (staff have personal accounts), and when it is set
and no account exists the staff page says how to create the first administrator.
``SCREENER_STAFF_REQUIRE_TOTP``: ``1`` requires a one-time code for every staff account (default ``0``).
``SCREENER_STAFF_IDLE_MINUTES``: minutes without activity before a staff sign-in ends (default 15).
``SCREENER_TIMEZONE``: the clinic's time zone, an IANA name such as ``Europe/London``, for the
date of signing (the assessment date) and "not in the future" (default: the server's zone).
``SCREENER_LANGUAGES``: the languages a patient may choose, comma-separated codes in the order
offered; the first is where each patient starts (default ``en,es,zh-Hans``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping, Optional
from zoneinfo import ZoneInfo

from screener import config

from screener.language.i18n import LANGUAGE_NAMES
from screener.storage import StorageError, Store

DEFAULT_IDLE_MINUTES = 10.0
DEFAULT_STAFF_IDLE_MINUTES = 15.0
PASSWORD_HASH_VARIABLE = "SCREENER_STAFF_PASSWORD_HASH"
PASSWORD_HASH_SECRET = "staff_password_hash"
REQUIRE_TOTP_VARIABLE = "SCREENER_STAFF_REQUIRE_TOTP"
MAX_IDLE_MINUTES = 24 * 60
LANGUAGES_VARIABLE = "SCREENER_LANGUAGES"
DEFAULT_LANGUAGES = tuple(LANGUAGE_NAMES)


class SettingsError(Exception):
    """A configuration value that cannot be used; the message names the variable and the fix."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    idle_minutes: float
    staff_password_hash: Optional[str] = field(default=None, repr=False)
    # Where the hash came from (the variable or the secret's name), for configuration messages.
    staff_password_source: str = ""
    staff_idle_minutes: float = DEFAULT_STAFF_IDLE_MINUTES
    staff_require_totp: bool = False
    timezone: Optional[str] = None  # IANA name; None: the server's own zone
    languages: tuple[str, ...] = DEFAULT_LANGUAGES  # offered in this order; the first is the starting one

    def now(self) -> datetime:
        """The clinic's local time now, with its offset."""
        return datetime.now(ZoneInfo(self.timezone)) if self.timezone else datetime.now().astimezone()

    @property
    def idle_seconds(self) -> float:
        return self.idle_minutes * 60


def _minutes(environ: Mapping[str, str], variable: str, default: float) -> float:
    raw = environ.get(variable)
    if raw is None or not raw.strip():
        return default
    try:
        minutes = float(raw)
    except ValueError:
        minutes = math.nan
    if not (0 < minutes <= MAX_IDLE_MINUTES):
        raise SettingsError(
            f"{variable} must be a number of minutes above 0 and at most {MAX_IDLE_MINUTES} (it is {raw!r})."
        )
    return minutes


def _staff_password(environ: Mapping[str, str], secrets: Mapping[str, object]) -> dict:
    """The hash and its source: the environment wins over the secrets file; blank counts as unset.

    The hash is checked by the staff area, not here, so a bad one never stops the patient wizard.
    """
    from_environment = (environ.get(PASSWORD_HASH_VARIABLE) or "").strip()
    if from_environment:
        return {"staff_password_hash": from_environment, "staff_password_source": PASSWORD_HASH_VARIABLE}
    secret = secrets.get(PASSWORD_HASH_SECRET)
    if secret is None or (isinstance(secret, str) and not secret.strip()):
        return {}
    # Not text (a number, a table): kept as a value that fails the staff area's check.
    return {"staff_password_hash": secret.strip() if isinstance(secret, str) else "",
            "staff_password_source": f"{PASSWORD_HASH_SECRET} in .streamlit/secrets.toml"}


def _require_totp(environ: Mapping[str, str]) -> dict:
    raw = (environ.get(REQUIRE_TOTP_VARIABLE) or "").strip()
    if raw not in ("", "0", "1"):
        raise SettingsError(f"{REQUIRE_TOTP_VARIABLE} must be 1 (require one-time codes) or 0 (it is {raw!r}).")
    return {"staff_require_totp": raw == "1"}


def _timezone(environ: Mapping[str, str]) -> dict:
    try:
        zone = config.time_zone(environ)
    except config.ConfigError as exc:
        raise SettingsError(str(exc)) from None
    return {"timezone": zone.key} if zone else {}


def _languages(environ: Mapping[str, str]) -> dict:
    raw = environ.get(LANGUAGES_VARIABLE) or ""
    if not raw.strip():
        return {}
    codes = [code.strip() for code in raw.split(",")]
    known = ",".join(LANGUAGE_NAMES)
    fix = f"give comma-separated codes from {known} in the order to offer them, each once (it is {raw!r})"
    for code in codes:
        if code not in LANGUAGE_NAMES:
            what = "an empty entry" if not code else f"{code!r}, which is not a language this screener ships"
            raise SettingsError(f"{LANGUAGES_VARIABLE} has {what}: {fix}.")
        if codes.count(code) > 1:
            raise SettingsError(f"{LANGUAGES_VARIABLE} names {code!r} twice: {fix}.")
    return {"languages": tuple(codes)}


def load(environ: Mapping[str, str], secrets: Optional[Mapping[str, object]] = None) -> Settings:
    """The settings from ``environ`` (and the staff password from ``secrets``); SettingsError on an unusable value."""
    idle_minutes = _minutes(environ, "SCREENER_IDLE_MINUTES", DEFAULT_IDLE_MINUTES)
    staff = {"staff_idle_minutes": _minutes(environ, "SCREENER_STAFF_IDLE_MINUTES", DEFAULT_STAFF_IDLE_MINUTES),
             **_staff_password(environ, secrets or {}), **_require_totp(environ), **_timezone(environ),
             **_languages(environ)}
    url = (environ.get("SCREENER_DATABASE_URL") or "").strip()
    if url:
        return Settings(database_url=url, idle_minutes=idle_minutes, **staff)
    try:
        return Settings(database_url=Store.default_url(config.data_dir(environ)), idle_minutes=idle_minutes, **staff)
    except StorageError as exc:
        raise SettingsError(f"SCREENER_DATA_DIR: {exc}") from None
