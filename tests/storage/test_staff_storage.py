"""Staff accounts, sign-in, erasure and retention in the database, on SQLite and on PostgreSQL.

- Thirty simultaneous wrong passwords for one username: at most five are checked (and
  recorded as ``sign_in_failed``), the rest are paused; the right password is refused
  during the pause and accepted after it.
- An unknown username is refused like a wrong password; unknown usernames together
  pause sign-in for everyone after twenty failures; a disabled account cannot sign in.
- An account with one-time codes needs the current code, and a code works once.
- Erasure deletes the submission and its review, leaves an ``submission_erased`` event
  with no patient data, and leaves no trace of the name in the database files.
- A retention purge counts, then erases, what is older than the limit.
- A database made by the previous schema upgrades keeping every submission and audit row.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pyotp
import pytest
import sqlalchemy as sa
from factories import AS_OF, healthy_answers, intake_of, with_answer
from staff_driver import CHEAP
from pg_server import pg_cluster  # noqa: F401  (session fixture)
from database_files import database_files, holds
from test_storage import backend, db_url  # noqa: F401  (fixtures: a fresh database on each backend)

from screener import assess
from screener.storage.staff_auth import StaffAuthError
from screener.storage import ERASED_ACTION, NotFound, Store
from screener.storage.database import make_engine
from screener.storage.schema import MIGRATIONS, audit_events, migrate, submissions
from screener.storage.records import submission_row

T0 = datetime(2026, 11, 21, 8, 0, tzinfo=timezone.utc)
PASSWORD = "correct horse battery staple"
PATIENT = "Quintessa Erasableperson"


@pytest.fixture
def store(db_url):
    with Store(db_url) as opened:
        opened.accounts.add("ada", "Ada Example", "clinician", PASSWORD, by="test", at=T0, cost=CHEAP)
        yield opened


def _save(store: Store, name: str = PATIENT, at: datetime = T0) -> str:
    intake = intake_of(with_answer(healthy_answers(), "patient.full_name", name))
    return store.save_submission(intake, assess(intake, AS_OF), at)


def _actions(store: Store, action: str) -> list:
    return store.audit_events(action=action, limit=1000)


# Signing in


def test_thirty_simultaneous_wrong_passwords_check_at_most_five(store):
    start = threading.Barrier(30)

    def attempt(number: int) -> str:
        start.wait()
        return store.accounts.sign_in("ada", f"wrong guess number {number}", "", at=datetime.now(timezone.utc)).outcome

    with ThreadPoolExecutor(max_workers=30) as pool:
        outcomes = list(pool.map(attempt, range(30)))
    assert outcomes.count("refused") == len(_actions(store, "sign_in_failed")) <= 5
    assert outcomes.count("paused") == len(_actions(store, "sign_in_paused")) >= 25
    now = datetime.now(timezone.utc)
    assert store.accounts.sign_in("ada", PASSWORD, "", at=now).outcome == "paused", "even the right password"
    later = store.accounts.sign_in("ada", PASSWORD, "", at=now + timedelta(seconds=31))
    assert later.outcome == "signed_in" and later.account.username == "ada"


def test_a_username_is_matched_as_typed_in_any_case_and_spacing(store):
    assert store.accounts.sign_in("  ADA ", PASSWORD, "", at=T0).outcome == "signed_in"
    assert _actions(store, "sign_in")[0].staff == "ada"


def test_an_unknown_username_is_refused_like_a_wrong_password_and_recorded(store):
    unknown = store.accounts.sign_in("nobody", "wrong guess number 1", "", at=T0)
    wrong = store.accounts.sign_in("ada", "wrong guess number 1", "", at=T0)
    assert (unknown.outcome, unknown.wait) == (wrong.outcome, wrong.wait) == ("refused", timedelta(0))
    assert [(e.staff, e.detail) for e in _actions(store, "sign_in_failed")] == [("ada", "wrong password"),
                                                                              ("nobody", "no such account")]


def test_unknown_usernames_together_pause_everyone_after_twenty(store):
    for number in range(20):
        store.accounts.sign_in(f"guess{number}", "wrong guess number 1", "", at=T0 + timedelta(seconds=number))
    paused = store.accounts.sign_in("ada", PASSWORD, "", at=T0 + timedelta(seconds=20))
    assert paused.outcome == "paused", "a guesser cannot tell known names from unknown ones"
    assert store.accounts.sign_in("ada", PASSWORD, "", at=T0 + timedelta(seconds=60)).outcome == "signed_in"


def test_a_disabled_account_cannot_sign_in_until_enabled(store):
    store.accounts.set_disabled("ada", True, by="admin", at=T0)
    assert store.accounts.sign_in("ada", PASSWORD, "", at=T0).outcome == "refused"
    assert _actions(store, "sign_in_failed")[0].detail == "account disabled"
    store.accounts.set_disabled("ada", False, by="admin", at=T0)
    assert store.accounts.sign_in("ada", PASSWORD, "", at=T0 + timedelta(seconds=1)).outcome == "signed_in"
    assert store.accounts.get("ada").credentials_version == 2, "each change ends open sessions"


def test_an_account_with_one_time_codes_needs_the_current_code_once(store):
    secret = pyotp.random_base32()
    with pytest.raises(StaffAuthError):
        store.accounts.enrol_totp("ada", secret, "000000", at=T0 - timedelta(minutes=5))
    store.accounts.enrol_totp("ada", secret, pyotp.TOTP(secret).at(T0 - timedelta(minutes=5)),
                              at=T0 - timedelta(minutes=5))
    code = pyotp.TOTP(secret).at(T0)
    assert store.accounts.sign_in("ada", PASSWORD, "", at=T0).outcome == "refused"
    assert store.accounts.sign_in("ada", PASSWORD, code, at=T0).outcome == "signed_in"
    assert store.accounts.sign_in("ada", PASSWORD, code, at=T0 + timedelta(seconds=5)).outcome == "refused"
    assert [e.detail for e in _actions(store, "sign_in_failed")] == ["wrong or reused one-time code"] * 2


def test_account_changes_are_checked_and_recorded_under_the_actor(store):
    with pytest.raises(StaffAuthError, match="already exists"):
        store.accounts.add("ada", "Another Ada", "admin", PASSWORD, by="boss", at=T0, cost=CHEAP)
    with pytest.raises(StaffAuthError, match="common passwords"):
        store.accounts.add("bea", "Bea Example", "admin", "password123456", by="boss", at=T0, cost=CHEAP)
    with pytest.raises(StaffAuthError, match="current password is not right"):
        store.accounts.set_password("ada", "a brand new passphrase", by="ada", at=T0, current="wrong", cost=CHEAP)
    store.accounts.set_password("ada", "a brand new passphrase", by="ada", at=T0, current=PASSWORD, cost=CHEAP)
    store.accounts.set_password("ada", "reset by the boss now", by="boss", at=T0, cost=CHEAP)
    assert [(e.action, e.staff, e.detail) for e in reversed(store.audit_events())] == [
        ("account_added", "test", "ada as clinician"), ("password_changed", "ada", "ada"),
        ("password_reset", "boss", "ada")]


# Erasure and retention


def test_erasure_deletes_the_submission_and_its_review_and_leaves_no_trace_in_the_files(store, db_url):
    kept = _save(store, "Keptia Otherperson")
    erased = _save(store)
    store.mark_reviewed(erased, staff="ada", note="Reviewed Quintessa today", expected_version=0, at=T0)
    assert holds(database_files(db_url), PATIENT), "the search can find the name before erasure"
    store.erase_submission(erased, staff="boss", reason="patient_request", at=T0 + timedelta(hours=1))
    with pytest.raises(NotFound):
        store.get_submission(erased)
    assert [summary.id for summary in store.list_submissions()] == [kept]
    [event] = _actions(store, ERASED_ACTION)
    assert (event.staff, event.submission_id, event.detail) == ("boss", erased, "patient_request")
    files = database_files(db_url)
    assert not holds(files, PATIENT) and not holds(files, "Reviewed Quintessa")
    assert holds(files, "Keptia Otherperson")
    with pytest.raises(NotFound):
        store.erase_submission(erased, staff="boss", reason="patient_request", at=T0)


def test_erasure_takes_only_a_reason_from_the_closed_list(store):
    with pytest.raises(ValueError):
        store.erase_submission(_save(store), staff="boss", reason=f"asked by {PATIENT}", at=T0)


def test_a_retention_purge_counts_then_erases_what_is_older(store):
    old = [_save(store, f"Old Patient {n}", at=T0 - timedelta(days=400 + n)) for n in range(3)]
    recent = _save(store, "Recent Patient", at=T0 - timedelta(days=10))
    before = T0 - timedelta(days=365)
    assert store.count_submitted_before(before) == 3
    assert store.purge_submitted_before(before, staff="cli:root", at=T0) == 3
    assert [summary.id for summary in store.list_submissions()] == [recent]
    assert {(e.submission_id, e.detail) for e in _actions(store, ERASED_ACTION)} == {(i, "retention") for i in old}


# Upgrading


def test_a_database_of_the_previous_schema_upgrades_keeping_every_submission_and_audit_row(db_url):
    engine = make_engine(db_url)
    assert migrate(engine, MIGRATIONS[:3]) == 3
    intake = intake_of(healthy_answers())
    row = submission_row(uuid.uuid4().hex, intake, assess(intake, AS_OF), T0)
    del row["urgent"]  # a column of a later schema
    with engine.begin() as conn:
        conn.execute(sa.insert(submissions).values(row))
        conn.execute(sa.insert(audit_events), [
            {"at": T0, "staff": "Dr Typed Name", "action": "sign_in", "submission_id": None, "detail": ""},
            {"at": T0, "staff": "Dr Typed Name", "action": "submission_viewed", "submission_id": row["id"],
             "detail": ""}])
    engine.dispose()
    with Store(db_url) as upgraded:
        assert upgraded.schema_version() == len(MIGRATIONS)
        assert upgraded.get_submission(row["id"]).intake == intake
        assert [(e.staff, e.action) for e in reversed(upgraded.audit_events())] == [
            ("Dr Typed Name", "sign_in"), ("Dr Typed Name", "submission_viewed")]
        assert upgraded.accounts.count() == 0
