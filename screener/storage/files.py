"""The SQLite database's files kept private to the app's user, and a warning when they are not.

SQLite creates a database file readable by everyone (0644, less the umask) and gives its
``-wal`` and ``-shm`` files the database file's mode. So the file is created empty at 0600
before SQLite first opens it, and all three stay private whatever the folder's mode. A folder
or file that others can read is reported, never changed: its owner may have reasons.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Optional

from sqlalchemy.engine import URL

COMPANIONS = ("", "-wal", "-shm")


def sqlite_file(url: URL) -> Optional[Path]:
    """The file of an SQLite ``url``; None for PostgreSQL, an in-memory database or a ``file:`` URI."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if url.query.get("uri") or url.database.startswith("file:"):
        return None
    return Path(url.database)


def create_private(path: Path) -> None:
    """Create ``path`` empty and readable by its owner only, unless it exists; SQLite reports any other failure."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError:
        pass


def _open_to_others(path: Path, bits: int) -> Optional[int]:
    """The mode of ``path`` if it grants any of ``bits`` to its group or others; else None (or if it is missing)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    return mode if mode & bits else None


def privacy_warning(url: URL) -> Optional[str]:
    """A sentence for staff and the log when others can read the data folder or the database files; else None."""
    path = sqlite_file(url)
    if path is None:
        return None
    folder = path.resolve().parent
    mode = _open_to_others(folder, 0o044)  # others may list it
    if mode is not None:
        return (f"The data folder {folder} can be read by other users of this computer (mode {mode:04o}); "
                f"make it private to the app's user with: chmod 700 {folder}")
    for suffix in COMPANIONS:
        mode = _open_to_others(Path(f"{path}{suffix}"), 0o066)
        if mode is not None:
            return (f"The database file {path.name}{suffix} can be read by other users of this computer "
                    f"(mode {mode:04o}); make it private with: chmod 600 {path}{suffix}")
    return None
