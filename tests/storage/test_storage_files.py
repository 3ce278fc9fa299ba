"""The SQLite database's files and faults, as a clinic's machine would meet them.

- A database made read-only, then writable again, takes the next save in the same process:
  a failed save opens fresh connections, so no restart (which loses answers) is needed.
- The database and its -wal and -shm files are private to the app's user even in an
  existing folder that others can read; such a folder is reported, in the log too, not changed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from screener.storage import Store, data_privacy_warning

ROOT = Path(__file__).resolve().parents[2]

# In a process of its own: save, make the database read-only, save, make it writable, save.
READ_ONLY_THEN_FIXED = """
import json, os, sys
from datetime import datetime, timezone
from factories import AS_OF, healthy_answers, intake_of
from screener import assess
from screener.storage import Store, StorageError

url = Store.default_url(sys.argv[1])
files = [url.removeprefix("sqlite:///") + suffix for suffix in ("", "-wal", "-shm")]
intake = intake_of(healthy_answers())


def save(store):
    try:
        store.save_submission(intake, assess(intake, AS_OF), datetime(2026, 11, 21, 9, tzinfo=timezone.utc))
        return "saved"
    except StorageError as error:
        return str(error)


def chmod_all(mode):  # as an administrator would: the database and whatever files SQLite made beside it
    for path in files:
        if os.path.exists(path):
            os.chmod(path, mode)


store = Store(url)
outcomes = [save(store)]
store.dispose()  # the app's connections, closed (as after idling): the next one opens read-only
chmod_all(0o444)
outcomes.append(save(store))
chmod_all(0o600)
outcomes.append(save(store))
print(json.dumps({"outcomes": outcomes, "stored": store.count_submissions()}))
"""


def _without_root_powers() -> list[str]:
    """A prefix that runs a command unable to write a read-only file: root overrides file modes,
    so as root the command runs without those capabilities (util-linux's setpriv)."""
    if os.geteuid() != 0:
        return []
    prefix = [shutil.which("setpriv") or "setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]
    if subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        pytest.skip("this root cannot give up its file powers (setpriv needs CAP_SETPCAP)")
    return prefix


def test_a_database_made_read_only_then_writable_takes_the_next_save_in_the_same_process(tmp_path):
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests" / "support")])}
    result = subprocess.run([*_without_root_powers(), sys.executable, "-c", READ_ONLY_THEN_FIXED, str(tmp_path / "data")],
                            capture_output=True, cwd=ROOT, env=environment, timeout=60, check=True)
    assert json.loads(result.stdout) == {
        "outcomes": ["saved", "The answers could not be saved (the database cannot be written).", "saved"],
        "stored": 2,
    }


@pytest.fixture
def open_folder(tmp_path) -> Path:
    """An existing data folder that every user of the machine can list and read."""
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(0o755)
    return folder


def _modes(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mode & 0o777 for path in folder.iterdir()}


def test_database_files_are_private_even_in_an_existing_open_folder(open_folder):
    with Store(Store.default_url(open_folder)) as store:
        store.schema_version()  # a connection is open, so the -wal and -shm files exist
        assert _modes(open_folder) == {"screener.sqlite3": 0o600, "screener.sqlite3-wal": 0o600,
                                       "screener.sqlite3-shm": 0o600}
    assert open_folder.stat().st_mode & 0o777 == 0o755  # reported, not changed


def test_a_data_folder_others_can_read_is_reported(open_folder):
    assert data_privacy_warning(Store.default_url(open_folder)) == (
        f"The data folder {open_folder} can be read by other users of this computer (mode 0755); "
        f"make it private to the app's user with: chmod 700 {open_folder}")


def test_a_database_file_others_can_read_is_reported(tmp_path):
    url = Store.default_url(tmp_path / "data")
    Store(url).dispose()
    database = tmp_path / "data" / "screener.sqlite3"
    assert data_privacy_warning(url) is None
    database.chmod(0o644)  # made by an older version, or copied in
    assert data_privacy_warning(url) == (
        f"The database file screener.sqlite3 can be read by other users of this computer (mode 0644); "
        f"make it private with: chmod 600 {database}")


def test_a_postgres_database_has_no_file_to_report():
    assert data_privacy_warning("postgresql+psycopg://clinic@localhost/screener") is None


def test_the_app_logs_an_open_data_folder_when_it_opens_the_store(open_folder, caplog):
    from app import runtime

    url = Store.default_url(open_folder)
    with caplog.at_level(logging.WARNING, logger="app.runtime"):
        runtime.store(url).dispose()
    assert [record.getMessage() for record in caplog.records] == [data_privacy_warning(url)]
    runtime.store.clear()
