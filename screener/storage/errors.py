"""Storage errors, and turning any database failure into a message staff can be shown.

SQLAlchemy and driver exceptions carry SQL text and, in their parameters, patient data;
none of them leaves this package. Each is reduced to a fixed sentence naming what could
not be done and why, raised outside the ``except`` block so it is not even chained.
"""

from __future__ import annotations

import functools
import sqlite3
import sys
from typing import Callable, TypeVar

from pydantic import ValidationError
from sqlalchemy import exc as sa_exc

from ..clinical.errors import ScreenerError

CANNOT_WRITE = "the database cannot be written"
DISK_FULL = "the disk is full"
BUSY = "the database is busy; try again in a moment"
UNREACHABLE = "the database server cannot be reached"
REFUSED = "the database server refused the sign-in"
MISSING = "the database does not exist"
DAMAGED = "the database file is damaged"
INVALID_RECORD = "the stored record is not valid"
GENERIC = "the database reported an error"

_SQLITE_REASONS = {  # primary result codes, https://sqlite.org/rescode.html
    5: BUSY, 6: BUSY, 8: CANNOT_WRITE, 3: CANNOT_WRITE, 10: CANNOT_WRITE, 13: DISK_FULL,
    14: CANNOT_WRITE, 23: CANNOT_WRITE, 11: DAMAGED, 26: DAMAGED,
}
_POSTGRES_REASONS = {"25006": CANNOT_WRITE, "42501": CANNOT_WRITE, "53100": DISK_FULL, "3D000": MISSING,
                     "40001": BUSY, "40P01": BUSY, "55P03": BUSY, "57014": BUSY}
_POSTGRES_CLASS_REASONS = {"08": UNREACHABLE, "57": UNREACHABLE, "28": REFUSED, "53": CANNOT_WRITE}


class StorageError(ScreenerError):
    """The database could not do what was asked; the message is safe to show staff."""


class NotFound(StorageError):
    """No submission has this id."""


class ReviewConflict(StorageError):
    """Someone else reviewed or changed the submission since it was read."""


def database_errors() -> tuple[type[BaseException], ...]:
    """Every exception type a database failure can surface as (psycopg's once it is loaded)."""
    psycopg = sys.modules.get("psycopg")
    return (sa_exc.SQLAlchemyError, sqlite3.Error, OSError) + ((psycopg.Error,) if psycopg else ())


def reason_for(error: BaseException) -> str:
    """Why a database operation failed, in a few plain words without any of its data."""
    original = getattr(error, "orig", None) or error
    sqlite_code = getattr(original, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return _SQLITE_REASONS.get(sqlite_code & 0xFF, GENERIC)
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate:
        return _POSTGRES_REASONS.get(sqlstate) or _POSTGRES_CLASS_REASONS.get(sqlstate[:2], GENERIC)
    if isinstance(error, sa_exc.TimeoutError):
        return BUSY
    psycopg = sys.modules.get("psycopg")
    if isinstance(error, (sa_exc.OperationalError, sa_exc.DisconnectionError)) or (
        psycopg and isinstance(original, psycopg.OperationalError)
    ):
        return UNREACHABLE  # a driver failure with no SQLSTATE: the connection itself
    if isinstance(original, OSError):
        return CANNOT_WRITE
    return GENERIC


Result = TypeVar("Result")


def guarded(action: str) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Decorate a method so that any database failure becomes ``StorageError("<action> (<reason>).")``."""

    def decorate(method: Callable[..., Result]) -> Callable[..., Result]:
        @functools.wraps(method)
        def run(*args, **kwargs) -> Result:
            try:
                return method(*args, **kwargs)
            except database_errors() as error:
                reason = reason_for(error)
            except ValidationError:  # its message quotes the stored answers
                reason = INVALID_RECORD
            raise StorageError(f"{action} ({reason}).")

        return run

    return decorate
