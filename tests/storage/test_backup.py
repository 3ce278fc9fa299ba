"""``python -m screener backup PATH`` as staff would run it beside the running app.

- Taken while patients are submitting, the copy is sound (``PRAGMA integrity_check``),
  readable by its owner only, and holds every submission acknowledged before it began.
- The app started on the copy shows those submissions.
- PostgreSQL, a missing database and an existing file are refused plainly.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from factories import healthy_answers, intake_of
from staff_driver import Clock, save, signed_in_app, texts
from screener import assess
from screener.storage import Store

ROOT = Path(__file__).resolve().parents[2]


def backup(path: Path, **environment: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "screener", "backup", str(path)], capture_output=True, cwd=ROOT,
                            env={**os.environ, **environment}, timeout=120, text=True)
    assert "Traceback" not in result.stderr
    return result


def stored_ids(path: Path) -> set[str]:
    with sqlite3.connect(path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {row[0] for row in copy.execute("SELECT id FROM submissions")}


def test_a_backup_taken_while_patients_submit_holds_every_acknowledged_submission(tmp_path):
    data = tmp_path / "data"
    store = Store(Store.default_url(data))
    intake = intake_of(healthy_answers())
    assessment = assess(intake, intake.consent.signed_at.date())
    acknowledged: list[str] = []
    stop = threading.Event()

    def patient_tablet():
        while not stop.is_set():
            acknowledged.append(store.save_submission(intake, assessment, Clock()()))

    tablets = [threading.Thread(target=patient_tablet) for _ in range(3)]
    for tablet in tablets:
        tablet.start()
    try:
        while len(acknowledged) < 30:
            stop.wait(0.01)
        before = set(acknowledged)
        result = backup(tmp_path / "copy.sqlite3", SCREENER_DATA_DIR=str(data))
        saved_during = len(acknowledged) - len(before)
    finally:
        stop.set()
        for tablet in tablets:
            tablet.join()
        store.dispose()
    assert result.returncode == 0, result.stderr
    in_copy = stored_ids(tmp_path / "copy.sqlite3")
    assert before <= in_copy and in_copy <= set(acknowledged)
    assert result.stdout == f"Backed up {len(in_copy)} submissions to {tmp_path / 'copy.sqlite3'} (integrity checked).\n"
    assert saved_during > 0, "the tablets kept saving while the backup ran"
    assert (tmp_path / "copy.sqlite3").stat().st_mode & 0o777 == 0o600
    assert sorted(path.name for path in tmp_path.iterdir()) == ["copy.sqlite3", "data"]  # one self-contained file


def test_the_app_started_on_the_copy_shows_the_submissions(tmp_path):
    data = tmp_path / "data"
    with Store(Store.default_url(data)) as store:
        for name in ("Backed Up Once", "Backed Up Twice"):
            save(store, name)
    assert backup(tmp_path / "copy.sqlite3", SCREENER_DATA_DIR=str(data)).returncode == 0
    with Store(f"sqlite:///{tmp_path / 'copy.sqlite3'}") as restored:
        shown = texts(signed_in_app(restored, Clock()))
    assert "Backed Up Once" in shown and "Backed Up Twice" in shown


def test_postgres_is_backed_up_with_its_own_tools(tmp_path):
    result = backup(tmp_path / "copy", SCREENER_DATABASE_URL="postgresql://clinic@localhost/screener")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("database: This database is PostgreSQL: back it up with its own tools, for example "
                             "pg_dump --format=custom --file=screener.dump <database>, and restore with pg_restore.\n")


def test_a_missing_database_is_named_and_nothing_is_written(tmp_path):
    result = backup(tmp_path / "copy", SCREENER_DATA_DIR=str(tmp_path / "none"))
    assert result.returncode == 2
    assert result.stderr == f"database: There is no database at {tmp_path / 'none' / 'screener.sqlite3'}.\n"
    assert list(tmp_path.iterdir()) == []


def test_a_backup_never_overwrites_a_file(tmp_path):
    data = tmp_path / "data"
    Store(Store.default_url(data)).dispose()
    existing = tmp_path / "copy.sqlite3"
    existing.write_text("yesterday's backup")
    result = backup(existing, SCREENER_DATA_DIR=str(data))
    assert result.returncode == 2
    assert result.stderr == f"{existing}: Already exists; a backup never overwrites a file, so give a new name.\n"
    assert existing.read_text() == "yesterday's backup"
