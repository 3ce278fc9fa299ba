"""Storage a clinic relies on, on the embedded SQLite and on a real PostgreSQL server.

- A submission read back is exactly what was saved, in any script.
- The queue lists newest first, filters by decision and status, and finds names
  whatever their case or alphabet, without reading the stored answers.
- Submissions from several threads and several processes all land, once.
- Two reviewers of one submission never overwrite each other silently.
- A database that cannot be written gives a plain message without patient data.
- The audit trail only grows; the database itself refuses changes to it.
- The schema is versioned: reopening changes nothing, an older database upgrades.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import unicodedata
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from factories import AS_OF, everything_answers, healthy_answers, intake_of, with_answer
from pg_server import pg_cluster  # noqa: F401  (session fixture)

from screener import assess
from screener.storage import REVIEWED_ACTION, Capture, NotFound, ReviewConflict, Store, StorageError, Submission
from screener.storage.database import make_engine
from screener.storage.records import submission_row
from screener.storage.schema import MIGRATIONS, migrate, submissions

T0 = datetime(2026, 11, 21, 8, 0, tzinfo=timezone.utc)
SECRET_NAME = "Veritas Unlikelyname"


def _intake(name: str = "Alex Example", answers=None):
    return intake_of(with_answer(answers or healthy_answers(), "patient.full_name", name))


def _save(store: Store, name: str = "Alex Example", *, at: datetime = T0, answers=None) -> str:
    intake = _intake(name, answers)
    return store.save_submission(intake, assess(intake, AS_OF), at)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(backend, request, tmp_path):
    """A fresh, empty database of the backend under test."""
    if backend == "sqlite":
        yield Store.default_url(tmp_path / "data")
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield cluster.create_database(name)
    cluster.drop_database(name)


@pytest.fixture
def store(db_url):
    with Store(db_url) as opened:
        yield opened


@pytest.fixture
def raw(db_url):
    """A plain SQLAlchemy engine on the same database, to act behind the store's back."""
    engine = sa.create_engine(db_url)
    yield engine
    engine.dispose()


# Round trip


@pytest.mark.parametrize("name", [
    "Ἀλέξανδρος Παπαδόπουλος", "Дмитрий Иванов", "王秀英", "محمد عبد الله", "O'Brien <b>&amp;</b> \"Q\"",
    unicodedata.normalize("NFD", "Zoë Ærøskøbing"),
])
def test_submission_reads_back_identical(store, name):
    intake = _intake(name)
    assessment = assess(intake, AS_OF)
    at = datetime(2026, 11, 21, 10, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))
    submission = store.get_submission(store.save_submission(intake, assessment, at))
    assert submission.intake == intake
    assert submission.assessment == assessment
    assert submission.patient_name == name
    assert submission.date_of_birth == intake.patient.date_of_birth
    assert (submission.decision, submission.rules_version) == (assessment.decision, assessment.rules_version)
    assert submission.submitted_at == at and submission.submitted_at.tzinfo == timezone.utc
    assert (submission.review_status, submission.review_version) == ("pending", 0)
    assert (submission.reviewed_by, submission.reviewed_at, submission.review_note) == (None, None, None)


def test_how_the_answers_were_captured_reads_back_identical(store):
    intake = _intake("王秀英")
    capture = Capture(language="zh-Hans", wording_version="w-1", consent_statement="我确认以上回答真实。",
                      entered={"patient.height_cm": "5 ft 6 in"})
    submission = store.get_submission(store.save_submission(intake, assess(intake, AS_OF), T0, capture))
    assert submission.capture == capture
    assert store.get_submission(_save(store)).capture == Capture(language="en")


def test_longest_intake_reads_back_identical(store):
    intake = intake_of(everything_answers())
    assessment = assess(intake, AS_OF)
    submission = store.get_submission(store.save_submission(intake, assessment, T0))
    assert (submission.intake, submission.assessment) == (intake, assessment)
    assert submission.intake.model_dump_json() == intake.model_dump_json()
    assert submission.decision == "not_eligible"


def test_stored_assessment_is_kept_even_when_rules_would_differ(store):
    intake = _intake()
    older = assess(intake, AS_OF).model_copy(update={"rules_version": "2020.01.01-1", "decision": "clinician_review"})
    submission = store.get_submission(store.save_submission(intake, older, T0))
    assert submission.assessment == older
    assert (submission.decision, submission.rules_version) == ("clinician_review", "2020.01.01-1")


def test_answers_are_checked_against_the_day_they_were_assessed(store):
    answers = with_answer(healthy_answers(), "patient.date_of_birth", str(AS_OF))  # born on the day: valid then
    submission = store.get_submission(_save(store, answers=answers))
    assert submission.date_of_birth == AS_OF


def test_unknown_id_is_not_found(store):
    with pytest.raises(NotFound, match="does not exist"):
        store.get_submission(uuid.uuid4().hex)


def test_naive_times_are_refused(store):
    intake = _intake()
    with pytest.raises(ValueError, match="timezone-aware"):
        store.save_submission(intake, assess(intake, AS_OF), datetime(2026, 11, 21, 9, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        store.record_event(staff="dr.a", action="view", at=datetime(2026, 11, 21, 9, 0))


# Queue


def test_queue_lists_newest_first_and_pages(store):
    ids = [_save(store, f"Patient {n}", at=T0 + timedelta(minutes=n)) for n in range(7)]
    newest_first = list(reversed(ids))
    assert [s.id for s in store.list_submissions()] == newest_first
    assert [s.id for s in store.list_submissions(limit=3, offset=2)] == newest_first[2:5]
    assert store.count_submissions() == 7
    first = store.list_submissions(limit=1)[0]
    assert (first.patient_name, first.submitted_at, first.review_status) == ("Patient 6", T0 + timedelta(minutes=6), "pending")


def test_queue_filters_by_decision_and_status(store):
    eligible = [_save(store, f"Well {n}", at=T0 + timedelta(minutes=n)) for n in range(3)]
    refused = _save(store, "Unwell", at=T0 + timedelta(minutes=5), answers=everything_answers())
    store.mark_reviewed(eligible[0], staff="dr.a", note="", expected_version=0, at=T0 + timedelta(hours=1))
    assert [s.id for s in store.list_submissions(decision="not_eligible")] == [refused]
    assert [s.id for s in store.list_submissions(decision="eligible", status="pending")] == [eligible[2], eligible[1]]
    assert [s.id for s in store.list_submissions(status="reviewed")] == [eligible[0]]
    assert store.count_submissions(decision="eligible") == 3
    assert store.count_submissions(status="pending") == 3
    assert store.count_submissions(decision="not_eligible", status="reviewed") == 0


@pytest.mark.parametrize(("search", "expected"), [
    ("ελένη", ["Zoë ΕΛΈΝΗ Kostas"]),
    ("ΕΛΈΝΗ", ["Zoë ΕΛΈΝΗ Kostas"]),
    ("юлия", ["Юлия Смирнова"]),
    ("СМИР", ["Юлия Смирнова"]),
    ("strasse", ["Anna Straße"]),
    ("zoë", ["Zoë ΕΛΈΝΗ Kostas"]),
    (unicodedata.normalize("NFD", "ZOË"), ["Zoë ΕΛΈΝΗ Kostas"]),
    ("A", ["Anna Straße", "Zoë ΕΛΈΝΗ Kostas"]),  # not Юлия Смирнова: Cyrillic а is another letter
    ("100%", ["Win 100% Sure"]),
    ("_", []),
    ("  ", ["Anna Straße", "Win 100% Sure", "Zoë ΕΛΈΝΗ Kostas", "Юлия Смирнова"]),
])
def test_name_search_ignores_case_in_any_script(store, search, expected):
    for name in ["Zoë ΕΛΈΝΗ Kostas", "Юлия Смирнова", "Anna Straße", "Win 100% Sure"]:
        _save(store, name)
    found = store.list_submissions(name_contains=search)
    assert sorted(s.patient_name for s in found) == sorted(expected)
    assert store.count_submissions(name_contains=search) == len(expected)


def test_queue_does_not_read_the_stored_answers(store, raw):
    broken = _save(store, SECRET_NAME)
    with raw.begin() as conn:
        conn.execute(sa.text("UPDATE submissions SET intake_json = '{\"patient\": 1}' WHERE id = :id"), {"id": broken})
    assert [s.patient_name for s in store.list_submissions()] == [SECRET_NAME]
    with pytest.raises(StorageError) as caught:
        store.get_submission(broken)
    assert str(caught.value) == "The submission could not be loaded (the stored record is not valid)."


# Concurrency


def test_submissions_from_many_threads_all_land_once(store):
    def save_batch(worker: int) -> list[str]:
        return [_save(store, f"Thread {worker} {n}", at=T0 + timedelta(seconds=n)) for n in range(25)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = [sid for batch in pool.map(save_batch, range(8)) for sid in batch]
    assert len(set(ids)) == 200
    assert store.count_submissions() == 200
    assert {s.id for s in store.list_submissions(limit=500)} == set(ids)


def _save_batch_in_process(args: tuple[str, int]) -> list[str]:
    url, worker = args
    with Store(url) as own:
        return [_save(own, f"Process {worker} {n}", at=T0 + timedelta(seconds=n)) for n in range(25)]


_WORKER = """
import json, sys
sys.path[:0] = sys.argv[3:]
from test_storage import _save_batch_in_process
print(json.dumps(_save_batch_in_process((sys.argv[1], int(sys.argv[2])))))
"""


def test_submissions_from_many_processes_all_land_once(store, db_url):
    # Four separate interpreters started at once (not a multiprocessing pool, whose workers a
    # long pytest session can leave respawning forever): the same as four app instances.
    here = Path(__file__).resolve().parent
    project = here.parents[1]
    workers = [subprocess.Popen([sys.executable, "-c", _WORKER, db_url, str(w), str(project), str(here),
                                 str(project / "tests" / "support")],
                                cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for w in range(4)]
    batches = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode(errors="replace")[-2000:]
        batches.append(json.loads(out))
    ids = [sid for batch in batches for sid in batch]
    assert len(set(ids)) == 100
    assert store.count_submissions() == 100
    assert {s.id for s in store.list_submissions(limit=500)} == set(ids)
    names = [s.patient_name for s in store.list_submissions(limit=500)]
    assert len(set(names)) == 100


def test_two_reviewers_at_once_one_wins_the_other_is_told(store):
    for round_ in range(5):
        sid = _save(store, f"Round {round_}")
        start = threading.Barrier(2)

        def review(staff: str):
            start.wait()
            try:
                return store.mark_reviewed(sid, staff=staff, note=f"note by {staff}", expected_version=0, at=T0)
            except ReviewConflict as conflict:
                return conflict

        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = list(pool.map(review, ["dr.a", "dr.b"]))
        winners = [o for o in outcomes if isinstance(o, Submission)]
        assert len(winners) == 1 and sum(isinstance(o, ReviewConflict) for o in outcomes) == 1
        stored = store.get_submission(sid)
        assert stored.review_note == f"note by {winners[0].reviewed_by}"
        assert (stored.review_status, stored.review_version) == ("reviewed", 1)


def test_review_on_a_stale_version_is_refused_and_overwrites_nothing(store):
    sid = _save(store)
    first = store.mark_reviewed(sid, staff="dr.a", note="Checked", expected_version=0, at=T0 + timedelta(hours=1))
    assert (first.reviewed_by, first.reviewed_at, first.review_note, first.review_version) == (
        "dr.a", T0 + timedelta(hours=1), "Checked", 1)
    with pytest.raises(ReviewConflict) as caught:
        store.mark_reviewed(sid, staff="dr.b", note="Mine", expected_version=0, at=T0 + timedelta(hours=2))
    assert str(caught.value) == ("Someone else changed this submission since you opened it; "
                                 "reload it and review it again.")
    assert store.get_submission(sid).review_note == "Checked"
    again = store.mark_reviewed(sid, staff="dr.b", note="Seen too", expected_version=1, at=T0 + timedelta(hours=2))
    assert (again.reviewed_by, again.review_note, again.review_version) == ("dr.b", "Seen too", 2)
    assert again.intake == first.intake


def test_reviewing_an_unknown_id_is_not_found(store):
    with pytest.raises(NotFound):
        store.mark_reviewed(uuid.uuid4().hex, staff="dr.a", note="", expected_version=0, at=T0)


# Failures


def _assert_plain(error: StorageError, message: str) -> None:
    assert str(error) == message
    assert SECRET_NAME not in repr(error.args)
    assert error.__cause__ is None and error.__context__ is None


def test_database_under_a_regular_file_cannot_be_opened(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    with pytest.raises(StorageError) as caught:
        Store(f"sqlite:///{tmp_path / 'afile' / 'db.sqlite3'}")
    _assert_plain(caught.value, "The database could not be opened (the database cannot be written).")


def test_read_only_sqlite_database_refuses_the_save_plainly(tmp_path):
    url = Store.default_url(tmp_path)
    Store(url).dispose()
    path = url.removeprefix("sqlite:///")
    with Store(f"sqlite:///file:{path}?mode=ro&uri=true") as read_only:
        with pytest.raises(StorageError) as caught:
            _save(read_only, SECRET_NAME)
        _assert_plain(caught.value, "The answers could not be saved (the database cannot be written).")
        assert read_only.count_submissions() == 0


def test_full_disk_refuses_the_save_plainly(tmp_path):
    with Store(Store.default_url(tmp_path)) as full:
        sa.event.listen(full._engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA max_page_count=1"))
        full.dispose()  # new connections see a database that cannot grow: a full disk to SQLite
        with pytest.raises(StorageError) as caught:
            _save(full, SECRET_NAME, answers=everything_answers())
        _assert_plain(caught.value, "The answers could not be saved (the disk is full).")


@pytest.mark.parametrize(("url", "message"), [
    ("not a url at all", "The database could not be opened (the database address is not valid)."),
    ("mysql://clinic@localhost/screener", "The database could not be opened (use a sqlite:/// or postgresql+psycopg:// address)."),
])
def test_bad_address_is_explained(url, message):
    with pytest.raises(StorageError) as caught:
        Store(url)
    _assert_plain(caught.value, message)


@pytest.mark.postgres
def test_postgres_server_that_is_down_is_explained(pg_cluster):  # noqa: F811
    with pytest.raises(StorageError) as caught:
        Store(f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/screener")
    _assert_plain(caught.value, "The database could not be opened (the database server cannot be reached).")


@pytest.mark.postgres
def test_read_only_postgres_refuses_the_save_plainly(pg_cluster):  # noqa: F811
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = pg_cluster.create_database(name)
    try:
        Store(url).dispose()
        with Store(url + "?options=-c%20default_transaction_read_only%3Don") as read_only:
            with pytest.raises(StorageError) as caught:
                _save(read_only, SECRET_NAME)
            _assert_plain(caught.value, "The answers could not be saved (the database cannot be written).")
    finally:
        pg_cluster.drop_database(name)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Audit trail


def test_audit_events_append_and_read_back_newest_first(store):
    sid = _save(store)
    store.record_event(staff="dr.a", action="sign_in", at=T0)
    store.record_event(staff="dr.a", action="view", at=T0 + timedelta(minutes=1), submission_id=sid)
    store.record_event(staff="dr.b", action="download_pdf", at=T0 + timedelta(minutes=2), submission_id=sid,
                       detail="summary.pdf")
    store.record_event(staff="dr.b", action="sign_in_failed", at=T0 + timedelta(minutes=3))
    events = store.audit_events()
    assert [e.action for e in events] == ["sign_in_failed", "download_pdf", "view", "sign_in"]
    assert (events[1].staff, events[1].submission_id, events[1].detail, events[1].at) == (
        "dr.b", sid, "summary.pdf", T0 + timedelta(minutes=2))
    assert events[0].at.tzinfo == timezone.utc
    assert [e.action for e in store.audit_events(staff="dr.a")] == ["view", "sign_in"]
    assert [e.action for e in store.audit_events(action="view")] == ["view"]
    assert [e.action for e in store.audit_events(since=T0 + timedelta(minutes=2))] == ["sign_in_failed", "download_pdf"]
    assert len(store.audit_events(limit=2)) == 2


def test_several_audit_events_are_saved_at_once_or_not_at_all(store):
    batch = [{"staff": "cds:https://booking.example", "action": "cds_screened", "at": T0 + timedelta(seconds=number),
              "detail": f"hook instance {number}; decision eligible"} for number in range(3)]
    store.record_events(batch)
    with pytest.raises(ValueError):
        store.record_events([{**batch[0], "detail": "kept?"}, {**batch[0], "action": ""}])
    events = store.audit_events()
    assert [(event.staff, event.at, event.detail) for event in reversed(events)] == [
        (event["staff"], event["at"], event["detail"]) for event in batch]


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET staff = 'someone else'", "DELETE FROM audit_events"])
def test_the_database_refuses_to_change_the_audit_trail(store, raw, statement):
    store.record_event(staff="dr.a", action="sign_in", at=T0)
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with raw.begin() as conn:
            conn.execute(sa.text(statement))
    assert [e.staff for e in store.audit_events()] == ["dr.a"]


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_postgres_refuses_to_truncate_the_audit_trail(store, raw):
    store.record_event(staff="dr.a", action="sign_in", at=T0)
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with raw.begin() as conn:
            conn.execute(sa.text("TRUNCATE audit_events"))
    assert len(store.audit_events()) == 1


# Schema versions


def test_schema_version_is_recorded_and_reopening_changes_nothing(store, db_url, raw):
    sid = _save(store)
    assert store.schema_version() == len(MIGRATIONS)
    for _ in range(2):
        with Store(db_url) as again:
            assert again.schema_version() == len(MIGRATIONS)
            assert again.get_submission(sid) == store.get_submission(sid)
    with raw.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM schema_version")) == len(MIGRATIONS)


def test_many_instances_starting_together_create_the_schema_once(db_url, raw):
    start = threading.Barrier(4)

    def open_store(_):
        start.wait()
        with Store(db_url) as opened:
            return opened.schema_version()

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(open_store, range(4))) == [len(MIGRATIONS)] * 4
    with raw.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM schema_version")) == len(MIGRATIONS)


def test_a_version_1_database_upgrades_without_loss(db_url):
    engine = make_engine(db_url)
    assert migrate(engine, MIGRATIONS[:1]) == 1
    saved = []
    for n, answers in enumerate([healthy_answers(), everything_answers()]):
        intake = intake_of(answers)
        assessment = assess(intake, AS_OF)
        row = submission_row(uuid.uuid4().hex, intake, assessment, T0 + timedelta(minutes=n))
        del row["capture_json"], row["urgent"]  # not columns of version 1
        with engine.begin() as conn:
            conn.execute(sa.insert(submissions).values(row))
        saved.append((row["id"], intake, assessment))
    engine.dispose()
    with Store(db_url) as upgraded:
        assert upgraded.schema_version() == len(MIGRATIONS)
        for sid, intake, assessment in saved:
            submission = upgraded.get_submission(sid)
            assert (submission.intake, submission.assessment) == (intake, assessment)
            assert submission.capture == Capture()  # read as English, nothing more known
            assert (submission.review_status, submission.review_version, submission.reviewed_by) == ("pending", 0, None)
        assert [s.id for s in upgraded.list_submissions()] == [saved[1][0], saved[0][0]]
        upgraded.mark_reviewed(saved[0][0], staff="dr.a", note="", expected_version=0, at=T0)
        upgraded.record_event(staff="dr.a", action="review", at=T0, submission_id=saved[0][0])
        assert upgraded.count_submissions(status="reviewed") == 1


def test_a_database_from_a_newer_version_is_not_touched(store, db_url, raw):
    with raw.begin() as conn:
        conn.execute(sa.text("INSERT INTO schema_version (version, applied_at) VALUES (99, :at)"), {"at": T0})
    with pytest.raises(StorageError, match="newer version of the screener"):
        Store(db_url)


# Configuration


def test_default_url_is_a_sqlite_file_in_a_created_folder(tmp_path):
    url = Store.default_url(tmp_path / "new" / "data")
    assert url == f"sqlite:///{tmp_path / 'new' / 'data' / 'screener.sqlite3'}"
    assert (tmp_path / "new" / "data").is_dir()


def test_data_folder_that_cannot_be_made_is_explained(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    with pytest.raises(StorageError) as caught:
        Store.default_url(tmp_path / "afile" / "data")
    _assert_plain(caught.value, "The database could not be opened (the data folder cannot be created).")


def test_storage_does_not_load_streamlit():
    code = "import sys, screener.storage; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_review_and_its_audit_event_are_written_together(store):
    sid = _save(store)
    store.mark_reviewed(sid, staff="dr.a", note="Checked", expected_version=0, at=T0 + timedelta(hours=1))
    with pytest.raises(ReviewConflict):
        store.mark_reviewed(sid, staff="dr.b", note="Mine", expected_version=0, at=T0 + timedelta(hours=2))
    events = store.audit_events(action=REVIEWED_ACTION)
    assert [(event.staff, event.submission_id, event.detail) for event in events] == [("dr.a", sid, "review version 1")]


def test_the_default_data_folder_is_private_to_its_user(tmp_path):
    Store.default_url(tmp_path / "data")
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
