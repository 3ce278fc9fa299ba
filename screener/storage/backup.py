"""A consistent copy of the SQLite database while the app runs, through SQLite's online backup API.

The copy is taken in one step under one read transaction: it holds exactly the submissions
committed before it began, and in WAL mode the app keeps saving meanwhile. PostgreSQL has
its own tools (``pg_dump``).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

from .database import SQLITE_BUSY_TIMEOUT_S, database_url
from .errors import StorageError
from .files import create_private, sqlite_file

POSTGRES_TOOLS = ("This database is PostgreSQL: back it up with its own tools, for example "
                  "pg_dump --format=custom --file=screener.dump <database>, and restore with pg_restore.")


class NothingToBackUp(StorageError):
    """The address names no SQLite database file that exists."""


def back_up(url: str, target: Path) -> int:
    """Copy the SQLite database of ``url`` to the new file ``target``, readable by its owner only;
    the number of submissions in the copy, after checking its integrity.

    NothingToBackUp for PostgreSQL or a missing database; FileExistsError if ``target`` exists
    (a backup never overwrites); StorageError if the copy cannot be written or is not sound."""
    source_path = sqlite_file(database_url(url))
    if source_path is None:
        raise NothingToBackUp(POSTGRES_TOOLS if url.startswith("postgres") else "This is not an SQLite database file.")
    if not source_path.is_file():
        raise NothingToBackUp(f"There is no database at {source_path}.")
    if target.exists():
        raise FileExistsError(target)
    create_private(target)  # before SQLite creates it readable by all
    try:
        with closing(sqlite3.connect(target, isolation_level=None)) as copy:
            with closing(sqlite3.connect(f"file:{quote(str(source_path))}?mode=rw", uri=True,
                                         timeout=SQLITE_BUSY_TIMEOUT_S)) as source:
                source.backup(copy)  # every page in one step: one snapshot, the app writing meanwhile
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file; the app turns WAL back on
            sound = copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = copy.execute("SELECT count(*) FROM submissions").fetchone()[0] if sound else 0
    except sqlite3.Error as error:
        reason = str(error)  # SQLite's own words about files: no patient data
    else:
        if sound:
            return count
        reason = "the copy failed its integrity check"
    target.unlink(missing_ok=True)
    raise StorageError(f"The backup could not be made ({reason}).")
