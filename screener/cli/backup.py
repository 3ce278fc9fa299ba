"""``python -m screener backup PATH``: a consistent copy of the running app's SQLite database.

The database is found as the app finds it: ``SCREENER_DATABASE_URL``, else ``screener.sqlite3``
in ``SCREENER_DATA_DIR`` (default ``./data``). Restoring is described in the README.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..config import database_url
from .common import BadInput, Problem, write_stdout


def register(commands) -> None:
    backup = commands.add_parser(
        "backup", help="copy the SQLite database consistently while the app runs (file private to you)",
        description="Writes a consistent copy of the app's SQLite database (SCREENER_DATABASE_URL, else "
                    "screener.sqlite3 in SCREENER_DATA_DIR, default ./data) to PATH, readable by you only.")
    backup.add_argument("path", help="the backup file to write; it must not exist yet")
    backup.set_defaults(run=_command_backup)


def _command_backup(args: argparse.Namespace) -> int:
    from ..storage.backup import NothingToBackUp, back_up

    target = Path(args.path)
    try:
        count = back_up(database_url(), target)
    except NothingToBackUp as exc:
        raise BadInput([Problem("database", str(exc))]) from None
    except FileExistsError:
        raise BadInput([Problem(args.path, "Already exists; a backup never overwrites a file, so give a new name.")]) from None
    write_stdout(f"Backed up {count} submission{'s' if count != 1 else ''} to {target} (integrity checked).\n")
    return 0
