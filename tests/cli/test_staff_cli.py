"""``python -m screener staff …`` and ``purge`` as a clinic's administrator runs them: a subprocess on the app's database.

- ``staff add`` reads the password from the first line of piped input and creates the
  account; a taken username, an unknown role, a weak, common or username-bearing
  password each exit 2 with a clear message, and nothing is created.
- ``staff list`` shows every account; ``disable``, ``enable`` and ``reset-password``
  change one, and every change is on the audit trail as ``cli:<user>``.
- ``purge --older-than DAYS`` only counts without ``--yes``, and erases with it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from factories import AS_OF, healthy_answers, intake_of

from screener import assess
from screener.storage import Store

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


def staff(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("SCREENER_")}
    result = subprocess.run([sys.executable, "-m", "screener", *args], input=stdin, capture_output=True, text=True,
                            cwd=ROOT, timeout=60, env={**environment, "SCREENER_DATA_DIR": str(data_dir)})
    assert "Traceback" not in result.stderr
    return result


def _store(data_dir: Path) -> Store:
    return Store(Store.default_url(data_dir))


def test_add_creates_an_account_from_the_first_piped_line_and_list_shows_it(data_dir):
    added = staff(data_dir, "staff", "add", "ada", "--name", "Dr Ada Example", "--role", "admin",
                  stdin=f"{PASSWORD}\nignored\n")
    assert (added.returncode, added.stdout, added.stderr) == (0, "Added ada (admin).\n", "")
    listed = staff(data_dir, "staff", "list")
    assert listed.stdout.splitlines() == ["username\tname\trole\tstatus\tone-time codes",
                                          "ada\tDr Ada Example\tadmin\tactive\toff"]
    with _store(data_dir) as store:
        assert store.accounts.sign_in("ada", PASSWORD, "", at=datetime.now(timezone.utc)).outcome == "signed_in"
        [event] = store.audit_events(action="account_added")
    assert event.staff.startswith("cli:") and PASSWORD not in added.stdout + added.stderr


@pytest.mark.parametrize("arguments, stdin, message", [
    (("ada", "--role", "nurse"), PASSWORD, "--role: The role must be one of: clinician, admin.\n"),
    (("Ada Lovelace", "--role", "admin"), PASSWORD, "USERNAME: A username has 2 to 32 characters"),
    (("ada", "--role", "admin"), "short", "password: A password must have at least 12 characters.\n"),
    (("ada", "--role", "admin"), "",  "password: A password must have at least 12 characters.\n"),
    (("ada", "--role", "admin"), "Password2026!!",
     "password: This password is on the list of the most common passwords; choose another.\n"),
    (("ada", "--role", "admin"), "i am ada and this is long", "password: A password cannot contain the username.\n"),
])
def test_bad_input_to_add_exits_2_with_a_clear_message_and_creates_nothing(data_dir, arguments, stdin, message):
    username, *rest = arguments
    result = staff(data_dir, "staff", "add", username, "--name", "Dr Ada Example", *rest, stdin=stdin + "\n")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(message)
    with _store(data_dir) as store:
        assert store.accounts.count() == 0


def test_a_taken_username_exits_2(data_dir):
    staff(data_dir, "staff", "add", "ada", "--name", "Ada", "--role", "admin", stdin=PASSWORD)
    again = staff(data_dir, "staff", "add", "ada", "--name", "Other", "--role", "clinician", stdin=PASSWORD)
    assert (again.returncode, again.stderr) == (2, "USERNAME: An account named 'ada' already exists.\n")


def test_disable_enable_and_reset_password_change_one_account_and_are_audited(data_dir):
    staff(data_dir, "staff", "add", "bea", "--name", "Bea Example", "--role", "clinician", stdin=PASSWORD)
    assert staff(data_dir, "staff", "disable", "bea").stdout == "Disabled bea.\n"
    assert "bea\tBea Example\tclinician\tdisabled\toff" in staff(data_dir, "staff", "list").stdout
    assert staff(data_dir, "staff", "enable", "bea").stdout == "Enabled bea.\n"
    weak = staff(data_dir, "staff", "reset-password", "bea", stdin="password1234\n")
    assert weak.returncode == 2 and "common passwords" in weak.stderr
    reset = staff(data_dir, "staff", "reset-password", "bea", stdin="a new and long passphrase\n")
    assert reset.returncode == 0, reset.stderr
    with _store(data_dir) as store:
        actions = [event.action for event in reversed(store.audit_events())]
        assert store.accounts.sign_in("bea", "a new and long passphrase", "",
                                      at=datetime.now(timezone.utc)).outcome == "signed_in"
    assert actions == ["account_added", "account_disabled", "account_enabled", "password_reset"]


@pytest.mark.parametrize("command", ["disable", "enable", "reset-password"])
def test_an_unknown_username_exits_2(data_dir, command):
    result = staff(data_dir, "staff", command, "nobody", stdin=PASSWORD)
    assert result.returncode == 2 and "no account named 'nobody'" in result.stderr


def test_purge_counts_without_yes_and_erases_with_it(data_dir):
    now = datetime.now(timezone.utc)
    with _store(data_dir) as store:
        for days in (400, 500, 5):
            intake = intake_of(healthy_answers())
            store.save_submission(intake, assess(intake, AS_OF), now - timedelta(days=days))
    dry = staff(data_dir, "purge", "--older-than", "365")
    assert dry.stdout == "2 submissions older than 365 days would be erased. Nothing was erased; add --yes to erase them.\n"
    assert staff(data_dir, "purge", "--older-than", "365", "--yes").stdout == "Erased 2 submissions older than 365 days.\n"
    with _store(data_dir) as store:
        assert store.count_submissions() == 1
        assert len(store.audit_events(action="submission_erased")) == 2
    for bad in ("0", "ten", "-3"):
        assert staff(data_dir, "purge", "--older-than", bad).returncode == 2


def test_the_old_hash_password_command_is_gone(data_dir):
    assert staff(data_dir, "hash-password", stdin=PASSWORD).returncode == 2


def test_a_password_is_never_stored_as_typed(data_dir):
    staff(data_dir, "staff", "add", "ada", "--name", "Ada", "--role", "admin", stdin=PASSWORD)
    database = b"".join(path.read_bytes() for path in data_dir.glob("screener.sqlite3*"))
    assert PASSWORD.encode() not in database and b"$argon2id$" in database
