"""The SQLAlchemy engine for a database URL: SQLite set up for several writers, or PostgreSQL."""

from __future__ import annotations

import random
import sqlite3
import time
from typing import Optional

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from .errors import StorageError
from .files import create_private, privacy_warning, sqlite_file

SQLITE_BUSY_TIMEOUT_S = 10
POSTGRES_CONNECT_TIMEOUT_S = 5
WRITE = {"screener_write": True}  # execution option: on SQLite, take the write lock at BEGIN

_OPEN_FAILED = "The database could not be opened"
_DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg", "postgresql+psycopg": None,
            "sqlite": None, "sqlite+pysqlite": None}


def database_url(url: str) -> URL:
    """The parsed URL; a plain ``postgresql://`` gets the installed psycopg 3 driver."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError, TypeError):
        parsed = None  # raised below, outside the handler, so the address is not chained along
    if parsed is None:
        raise StorageError(f"{_OPEN_FAILED} (the database address is not valid).")
    if parsed.drivername not in _DRIVERS:
        raise StorageError(f"{_OPEN_FAILED} (use a sqlite:/// or postgresql+psycopg:// address).")
    driver = _DRIVERS[parsed.drivername]
    return parsed.set(drivername=driver) if driver else parsed


def data_privacy_warning(url: str) -> Optional[str]:
    """For the staff page and the log: a sentence when others can read the SQLite data folder
    or database files of ``url`` (reported, not changed); None when they are private, or on PostgreSQL."""
    return privacy_warning(database_url(url))


def make_engine(url: str) -> Engine:
    """An engine that never logs SQL or its parameters, tuned for the backend of ``url``."""
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite":
        if (path := sqlite_file(parsed)) is not None:
            create_private(path)  # before SQLite creates it readable by all, and its -wal and -shm alike
        engine = create_engine(parsed, echo=False, hide_parameters=True,
                               connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(parsed, echo=False, hide_parameters=True, pool_pre_ping=True,
                         connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S, "application_name": "screener"})


def _sqlite_connect(dbapi_connection, _record) -> None:
    # SQLAlchemy emits BEGIN itself (see _sqlite_begin), so that SELECTs and DDL are
    # transactional too; the sqlite3 module's own transaction handling is switched off.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous=FULL")  # a committed submission survives a power cut
        cursor.execute("PRAGMA secure_delete=ON")  # deleted content is zeroed, so an erasure leaves no trace
    finally:
        cursor.close()


def _switch_to_wal(cursor) -> None:
    """WAL lets readers and one writer work at once. The switch needs the database to itself
    and SQLite refuses it at once, without waiting the busy timeout, while another connection
    opens the same new file: so it is tried again until the busy timeout has passed."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    while cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01 + random.random() * 0.04)


def _sqlite_begin(connection) -> None:
    # A writer asks for the lock up front, so it waits out the busy timeout instead of
    # failing when a read transaction cannot be upgraded.
    immediate = connection.get_execution_options().get("screener_write")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
