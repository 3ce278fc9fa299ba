"""The settings every entry point (the app, each command, the CDS service) resolves the same way.

Read from the environment as given (a mapping is passed in, ``os.environ`` by default), never
from the working directory mid-run, and checked here once: a value that cannot be used raises
:class:`ConfigError` naming the variable and the fix, never a silent fallback.

``SCREENER_DATABASE_URL``  the database (default: ``screener.sqlite3`` in the data folder)
``SCREENER_DATA_DIR``      the data folder (default ``./data``)
``SCREENER_TIMEZONE``      the clinic's time zone, an IANA name (default: this machine's zone)
``SCREENER_CLINIC_NAME``   the clinic's name, on invitations and the pages a link opens
``SCREENER_CLINIC_PHONE``  the clinic's phone, on the take-home sheet (unset: a line to write it on)
``SCREENER_EMERGENCY_NUMBER``  the emergency number the sheet tells patients to call (default 112,
                           the European number; set it where another applies, e.g. 911 or 999)
``SCREENER_PUBLIC_URL``    where patients' own devices reach the home pages through the proxy, such as
                           ``https://forms.clinic.example`` (the links are ``<it>/home/?t=<token>``);
                           ``https://`` unless the host is this machine's loopback (for trying it out)
``SCREENER_SMTP_URL``      the mail server invitations are sent through (unset: links are shown and printed
                           only): ``smtps://user:password@host:465`` (TLS), ``smtp+starttls://…:587``
                           (STARTTLS), or ``smtp://host:25`` (plain, for a relay on this machine only)
``SCREENER_MAIL_FROM``     the sender of those e-mails, such as ``Clinic <forms@clinic.example>`` (needed
                           with ``SCREENER_SMTP_URL``)
``SCREENER_CDS_CLIENTS``   the CDS Hooks service's callers: the path of a JSON list of
                           ``{"iss": ..., "public_key_pem": PATH}`` or ``{"iss": ..., "jwks_file": PATH}``
                           (required by ``serve-cds``: without it nobody could call)
``SCREENER_CDS_BASE_URL``  the CDS service's base URL as callers call it, e.g. behind a TLS proxy
                           (default ``http://HOST:PORT`` of ``serve-cds``); JWTs name it in ``aud``
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from typing import Mapping, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .clinical.errors import ScreenerError

DEFAULT_DATA_DIR = "data"
DATABASE_FILE = "screener.sqlite3"
DEFAULT_EMERGENCY_NUMBER = "112"
DEFAULT_CLINIC_NAME = "The clinic"
_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{1,38}")
_CLINIC_NAME_LIMIT = 120


class ConfigError(ScreenerError):
    """A setting that cannot be used: ``variable`` (or the option) and ``message``, what to give instead."""

    def __init__(self, variable: str, message: str):
        self.variable, self.message = variable, message
        super().__init__(f"{variable}: {message}")


def _value(environ: Mapping[str, str], variable: str) -> str:
    return (environ.get(variable) or "").strip()


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The data folder, as given (not created here)."""
    return Path(_value(environ, "SCREENER_DATA_DIR") or DEFAULT_DATA_DIR).expanduser()


def database_url(environ: Mapping[str, str] = os.environ, *, must_exist: bool = False) -> str:
    """``SCREENER_DATABASE_URL``, else the SQLite file in the data folder (an absolute URL). With
    ``must_exist``, a command that only reads stops when that file is not there, rather than
    create an empty database and report on nothing."""
    url = _value(environ, "SCREENER_DATABASE_URL")
    if url:
        return url
    path = (data_dir(environ) / DATABASE_FILE).resolve()
    if must_exist and not path.is_file():
        raise ConfigError("SCREENER_DATA_DIR", f"No database in {path.parent}; set SCREENER_DATABASE_URL or "
                                               "SCREENER_DATA_DIR as for the app.")
    return f"sqlite:///{path}"


def time_zone(environ: Mapping[str, str] = os.environ, name: Optional[str] = None,
              variable: str = "SCREENER_TIMEZONE") -> Optional[ZoneInfo]:
    """The zone ``name`` names (an option's value), else ``SCREENER_TIMEZONE``; None for this machine's own."""
    name = (name or _value(environ, "SCREENER_TIMEZONE")).strip()
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(variable, f"Not a time zone name such as Europe/London: {name!r}.") from None


def _phone(environ: Mapping[str, str], variable: str, default: str = "") -> str:
    number = _value(environ, variable) or default
    if number and not _PHONE.fullmatch(number):
        raise ConfigError(variable, f"Not a phone number (digits, spaces and + ( ) . / - only): {number!r}.")
    return number


def clinic_phone(environ: Mapping[str, str] = os.environ) -> str:
    """The clinic's phone number as it should be printed; "" when unset (the sheet leaves a line)."""
    return _phone(environ, "SCREENER_CLINIC_PHONE")


def emergency_number(environ: Mapping[str, str] = os.environ) -> str:
    """The number a patient calls in an emergency: ``SCREENER_EMERGENCY_NUMBER``, default 112."""
    return _phone(environ, "SCREENER_EMERGENCY_NUMBER", DEFAULT_EMERGENCY_NUMBER)


def clinic_name(environ: Mapping[str, str] = os.environ) -> str:
    """The clinic's name as patients read it outside the clinic (invitations, the home pages)."""
    name = _value(environ, "SCREENER_CLINIC_NAME") or DEFAULT_CLINIC_NAME
    if len(name) > _CLINIC_NAME_LIMIT or any(ord(character) < 32 for character in name):
        raise ConfigError("SCREENER_CLINIC_NAME", f"Give the name on one line, at most {_CLINIC_NAME_LIMIT} characters.")
    return name


HOME_PATH = "/home/"  # the home app's server.baseUrlPath, and the only path the proxy forwards
_LOOPBACK = ("localhost", "127.0.0.1", "::1")
_SMTP_SCHEMES = {"smtps": ("ssl", 465), "smtp+starttls": ("starttls", 587), "smtp": ("plain", 25)}
_MAIL_ADDRESS = re.compile(r"[^@\s<>]{1,64}@[^@\s<>]{1,190}\.[^@\s<>.]{2,}")


def public_url(environ: Mapping[str, str] = os.environ) -> Optional[str]:
    """``SCREENER_PUBLIC_URL`` without a trailing slash; None when unset (no links can be made)."""
    raw = _value(environ, "SCREENER_PUBLIC_URL")
    if not raw:
        return None
    fix = "Give the https:// address the proxy publishes the home pages at, such as https://forms.example.org"
    try:
        parts = urlsplit(raw)
        host, _port = parts.hostname, parts.port
    except ValueError:
        raise ConfigError("SCREENER_PUBLIC_URL", f"{fix}, not {raw!r}.") from None
    if not host or parts.query or parts.fragment or parts.username or parts.path not in ("", "/"):
        raise ConfigError("SCREENER_PUBLIC_URL", f"{fix} (no path, query or user), not {raw!r}.")
    if parts.scheme != "https" and not (parts.scheme == "http" and host in _LOOPBACK):
        raise ConfigError("SCREENER_PUBLIC_URL", f"{fix}: a link must not travel unencrypted (it is {raw!r}).")
    return raw.rstrip("/")


@dataclass(frozen=True)
class MailServer:
    """Where invitations are sent from: ``security`` is ``ssl``, ``starttls`` or ``plain``."""

    host: str
    port: int
    security: str
    sender: str
    username: str = ""
    password: str = field(default="", repr=False)


def mail_server(environ: Mapping[str, str] = os.environ) -> Optional[MailServer]:
    """``SCREENER_SMTP_URL`` and ``SCREENER_MAIL_FROM``; None when no mail server is set. A message never
    repeats the URL, which may hold a password."""
    raw = _value(environ, "SCREENER_SMTP_URL")
    if not raw:
        return None
    fix = "Give smtps://user:password@host:465, smtp+starttls://user:password@host:587 or smtp://localhost:25"
    try:
        parts = urlsplit(raw)
        scheme, host, port = parts.scheme, parts.hostname, parts.port
    except ValueError:
        scheme = host = port = None
    if not host or scheme not in _SMTP_SCHEMES:
        raise ConfigError("SCREENER_SMTP_URL", f"{fix} (the value set is not one of these).")
    security, default_port = _SMTP_SCHEMES[scheme]
    if security == "plain" and host not in _LOOPBACK:
        raise ConfigError("SCREENER_SMTP_URL", f"{fix}: plain smtp:// is for a relay on this machine only.")
    sender = _value(environ, "SCREENER_MAIL_FROM")
    address = sender.rsplit("<", 1)[-1].rstrip(">").strip()
    if not _MAIL_ADDRESS.fullmatch(address) or any(ord(character) < 32 for character in sender):
        raise ConfigError("SCREENER_MAIL_FROM", "Give the sender of invitations, such as "
                                                "Clinic <forms@clinic.example>, on one line.")
    return MailServer(host, port or default_port, security, sender, unquote(parts.username or ""),
                      unquote(parts.password or ""))


def cds_clients_file(environ: Mapping[str, str] = os.environ) -> Path:
    """The file listing who may call the CDS service; ConfigError when unset or not a file."""
    value = _value(environ, "SCREENER_CDS_CLIENTS")
    if not value:
        raise ConfigError("SCREENER_CDS_CLIENTS", "Set it to the JSON file that lists the systems allowed to call "
                                                  "the CDS service and their public keys (docs/cds-hooks.md).")
    path = Path(value).expanduser()
    if not path.is_file():
        raise ConfigError("SCREENER_CDS_CLIENTS", f"No such file: {path}.")
    return path


def cds_base_url(default: str, environ: Mapping[str, str] = os.environ, name: Optional[str] = None,
                 variable: str = "SCREENER_CDS_BASE_URL") -> str:
    """The CDS service's base URL as its callers write it (``name``, an option's value, else
    ``SCREENER_CDS_BASE_URL``, else ``default``), without a trailing slash."""
    url = (name or _value(environ, "SCREENER_CDS_BASE_URL") or default).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(variable, f"Give the address callers use, such as https://cds.clinic.example, not {url!r}.")
    return url.rstrip("/")
