"""The staff area through AppTest, on the embedded SQLite and (where it matters) PostgreSQL.

- Without any account the area says how to create the first administrator and offers no
  sign-in; the old shared password hash opens nothing.
- A wrong password is refused and recorded; after five for one username in fifteen
  minutes sign-in is paused for it, on every tablet, and the wait is shown.
- Signing in shows the queue: newest first, names literally, date of birth and age, the
  most severe flag, local time, decision and review status in words; filters, name search
  and pages.
- Opening a submission shows the decision, flags, exclusions and every answer (its
  downloads: test_staff_submission_app.py); marking it reviewed shows who and when.
- Two reviewers of one submission: the second is told, and nothing is overwritten.
- When the rules have changed, the stored assessment stays and the current one is
  shown beside it with the differences.
- A session ends after inactivity; every sign-in, view, download and review is on the
  audit trail with the person's name; a database failure is a plain message.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from factories import AS_OF, everything_answers, healthy_answers, intake_of, with_answer
from pg_server import pg_cluster  # noqa: F401  (session fixture)
from staff_driver import clock, store  # noqa: F401  (fixtures)
from staff_driver import (
    NOW, OLD_PASSWORD_HASH, STAFF, SUBMITTED, add_account, click, keys_on_screen, messages, new_staff_app,
    is_signed_in, on_screen, press_download, recorded_downloads, save, settings_for, signed_in_app, texts,
    try_sign_in, walk,
)
from streamlit.testing.v1 import AppTest

from app.staff import formatting as fmt
from app.staff import staff_texts
from screener import assess, render_pdf
from screener.clinical.models import age_in_years
from screener.storage import StorageError, Store

LITERAL_NAME = "Zoë *bold* _it_ [link](x) <b>&amp;</b> `code` :red[x] $x$"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request) -> str:
    return request.param


@pytest.fixture
def any_store(backend, request, tmp_path):
    """A fresh store on each backend, for the behaviours several tablets share."""
    if backend == "sqlite":
        with Store(Store.default_url(tmp_path / "data")) as opened:
            yield opened
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = f"staff_{uuid.uuid4().hex[:12]}"
    with Store(cluster.create_database(name)) as opened:
        yield opened
    cluster.drop_database(name)


def _actions(store: Store) -> list[tuple[str, str, str | None]]:
    return [(event.action, event.staff, event.submission_id) for event in reversed(store.audit_events())]


# Configuration


def test_without_any_account_the_area_says_how_to_create_the_first_admin_and_offers_no_sign_in(store, clock):
    at = new_staff_app(store, clock)
    assert not at.exception
    [info] = messages(at, "info")
    assert 'python -m screener staff add USERNAME --name "FULL NAME" --role admin' in info
    assert not at.text_input and not at.button
    assert not messages(at, "warning")


def test_the_old_shared_password_opens_nothing_and_the_page_says_so(store, clock):
    at = new_staff_app(store, clock, settings_for(password_hash=OLD_PASSWORD_HASH))
    assert "python -m screener staff add" in messages(at, "info")[0]
    [warning] = messages(at, "warning")
    assert "SCREENER_STAFF_PASSWORD_HASH" in warning and "no longer opens" in warning
    assert OLD_PASSWORD_HASH not in warning
    assert not at.text_input


# Signing in


def test_a_wrong_password_is_refused_and_recorded_without_the_password(store, clock):
    add_account(store)
    at = try_sign_in(new_staff_app(store, clock), password="not the password")
    assert staff_texts.REFUSED in messages(at, "error")
    assert not is_signed_in(at)
    [*_, event] = _events(store)
    assert (event.action, event.staff, event.detail) == ("sign_in_failed", STAFF, "wrong password")
    assert at.text_input(key="staff-password").value == "", "the password is not kept"


def test_an_unknown_username_is_refused_in_the_same_words(store, clock):
    add_account(store)
    at = try_sign_in(new_staff_app(store, clock), username="nobody", password="not the password")
    assert messages(at, "error") == [staff_texts.REFUSED]
    assert (_events(store)[-1].action, _events(store)[-1].detail) == ("sign_in_failed", "no such account")


def test_a_username_and_password_are_required_and_nothing_is_checked_without_them(store, clock):
    add_account(store)
    before = len(store.audit_events())
    at = try_sign_in(new_staff_app(store, clock), username="   ")
    assert staff_texts.FIELD_MISSING in messages(at, "error")
    assert len(store.audit_events()) == before


def _events(store: Store):
    return list(reversed(store.audit_events()))


def test_sign_in_is_paused_after_five_wrong_passwords_and_the_wait_is_shown(store, clock):
    add_account(store)
    at = new_staff_app(store, clock)
    for _ in range(5):
        try_sign_in(at, password="wrong guess")
        clock.advance(seconds=5)
    assert messages(at, "error")[-1] == (f"{staff_texts.REFUSED} Too many failed sign-ins. "
                                         "Sign-in is paused; try again in 30 seconds.")
    try_sign_in(at)  # the right password, but too soon
    assert not is_signed_in(at)
    assert any("Sign-in is paused" in text for text in messages(at, "error"))
    assert store.audit_events(limit=1)[0].action == "sign_in_paused"

    clock.advance(seconds=30)
    assert is_signed_in(try_sign_in(at))


def test_failures_before_a_good_sign_in_no_longer_count(store, clock):
    add_account(store)
    at = new_staff_app(store, clock)
    for _ in range(5):
        try_sign_in(at, password="wrong guess")
        clock.advance(seconds=1)
    clock.advance(seconds=40)
    assert is_signed_in(try_sign_in(at))
    clock.advance(seconds=1)
    other = new_staff_app(store, clock)  # the same person at another desk mistypes once
    try_sign_in(other, password="one typo")
    assert messages(other, "error")[-1] == staff_texts.REFUSED


def test_the_pause_is_per_username_and_holds_for_every_tablet_sharing_the_database(any_store, clock):
    add_account(any_store)
    add_account(any_store, "bea", "clinician")
    first = new_staff_app(any_store, clock)
    for _ in range(5):
        try_sign_in(first, password="wrong guess")
    second = new_staff_app(any_store, clock)  # another tablet, another session
    try_sign_in(second)
    assert not is_signed_in(second)
    assert messages(second, "error") == [staff_texts.PAUSED.format(wait="30 seconds")]
    assert is_signed_in(try_sign_in(new_staff_app(any_store, clock), "bea")), "a colleague is not paused"
    clock.advance(minutes=1)
    assert is_signed_in(try_sign_in(second))


def test_signing_in_shows_the_queue_and_records_who(store, clock):
    at = signed_in_app(store, clock)
    assert f"{staff_texts.SIGNED_IN_AS} Ada Example ({STAFF})" in texts(at)
    assert at.header[0].value == staff_texts.QUEUE_TITLE
    assert [(event.action, event.staff) for event in store.audit_events()][:2] == [("queue_viewed", STAFF),
                                                                                 ("sign_in", STAFF)]


def test_signing_out_clears_the_screen_and_is_recorded(store, clock):
    save(store, "Sign Outperson")
    at = signed_in_app(store, clock)
    click(at, "staff-sign-out")
    assert "Sign Outperson" not in texts(at)
    assert staff_texts.SIGNED_OUT in messages(at, "success")
    assert "staff_session" not in at.session_state
    assert [action for action, _, _ in _actions(store)][-3:] == ["sign_in", "queue_viewed", "sign_out"]


# Inactivity


def test_the_session_ends_after_inactivity_and_the_screen_is_cleared(store, clock):
    submission = save(store, "Idle Patientname")
    at = signed_in_app(store, clock, settings_for(idle_minutes=15))
    click(at, f"staff-open-{submission}")
    assert "Idle Patientname" in texts(at)
    clock.advance(minutes=15, seconds=1)
    at.run()
    assert "Idle Patientname" not in texts(at)
    assert staff_texts.SESSION_ENDED.format(minutes="15 minutes") in messages(at, "info")
    assert on_screen(at, "text_input", "staff-password")
    assert [action for action, _, _ in _actions(store)][-1] == "session_expired"
    assert store.audit_events(limit=1)[0].staff == STAFF


def test_activity_keeps_the_session_alive(store, clock):
    at = signed_in_app(store, clock, settings_for(idle_minutes=15))
    for _ in range(3):
        clock.advance(minutes=10)
        at.run()
        assert is_signed_in(at)


# The queue


def test_the_queue_lists_newest_first_with_birth_date_age_top_flag_local_time_decision_and_status(store, clock):
    older = save(store, "Older Patient", at=SUBMITTED - timedelta(days=3))
    newer = save(store, LITERAL_NAME, answers=everything_answers(), at=SUBMITTED)
    at = signed_in_app(store, clock)
    shown = texts(at)
    assert shown.index(LITERAL_NAME) < shown.index("Older Patient"), "newest first"
    for submission in (newer, older):
        stored = store.get_submission(submission)
        born = f"Born {fmt.day(stored.date_of_birth)} · {age_in_years(stored.date_of_birth, AS_OF)} years"
        assert born in shown
    most_severe = store.get_submission(newer).assessment.flags[0]
    assert most_severe.severity == "absolute" and f"Absolute: {most_severe.title}" in shown
    assert shown[shown.index(LITERAL_NAME):].index(f"Absolute: {most_severe.title}") == 2, "in the newer row"
    assert shown[shown.index("Older Patient") + 2] == "No flags"
    assert fmt.moment(SUBMITTED, fmt.zone_named(None), NOW) in shown
    badges = [element.value for element in at.markdown if "-badge[" in element.value]
    assert ":red-badge[:material/block: Not eligible]" in badges
    assert ":green-badge[:material/check_circle: Eligible]" in badges
    assert badges.count(":gray-badge[:material/schedule: Not reviewed]") == 2
    assert "Showing 1–2 of 2, newest first, in local time." in [element.value for element in at.caption]


def test_the_queue_filters_by_decision_status_and_name(store, clock):
    flagged = save(store, "Maria Papadopoulou", answers=everything_answers())
    save(store, "Alex Example")
    save(store, "Ελένη Example")
    at = signed_in_app(store, clock)
    at.selectbox(key="staff-filter-decision").select("not_eligible").run()
    assert "Maria Papadopoulou" in texts(at) and "Alex Example" not in texts(at)

    at.selectbox(key="staff-filter-decision").select(None).run()
    at.text_input(key="staff-filter-name").input("ελένη").run()
    assert "Ελένη Example" in texts(at) and "Alex Example" not in texts(at)

    at.text_input(key="staff-filter-name").input("").run()
    click(at, f"staff-open-{flagged}")
    click(at, "staff-mark-reviewed")
    click(at, "staff-back")
    at.selectbox(key="staff-filter-status").select("reviewed").run()
    assert "Maria Papadopoulou" in texts(at) and "Alex Example" not in texts(at)
    at.selectbox(key="staff-filter-status").select("pending").run()
    assert "Maria Papadopoulou" not in texts(at) and "Alex Example" in texts(at)

    at.text_input(key="staff-filter-name").input("Nobody Atall").run()
    assert staff_texts.QUEUE_NO_MATCH in messages(at, "info")


def test_the_queue_pages_twenty_at_a_time(store, clock):
    for number in range(23):
        save(store, f"Patient {number:02d}", at=SUBMITTED + timedelta(minutes=number))
    at = signed_in_app(store, clock)
    assert "Patient 22" in texts(at) and "Patient 02" not in texts(at)
    assert "Showing 1–20 of 23, newest first, in local time." in [element.value for element in at.caption]
    click(at, "staff-older")
    assert "Patient 02" in texts(at) and "Patient 03" not in texts(at)
    assert "Showing 21–23 of 23, newest first, in local time." in [element.value for element in at.caption]


# One submission


def test_opening_a_submission_shows_everything_literally_and_records_the_view(store, clock):
    answers = with_answer(everything_answers(), "patient.full_name", LITERAL_NAME)
    submission = save(store, LITERAL_NAME, answers=answers)
    stored = store.get_submission(submission)
    at = click(signed_in_app(store, clock), f"staff-open-{submission}")
    shown = texts(at)
    assert LITERAL_NAME in shown
    assert answers["allergies"]["other"] in shown and answers["medications"]["other"] in shown
    markdown = " ".join(element.value for element in at.markdown)
    assert ":red-badge[:material/block: Not eligible]" in markdown
    assert {f"staff-flag-{flag.rule_id}" for flag in stored.assessment.flags} <= keys_on_screen(at)
    assert staff_texts.FLAGS_HEADING.format(count=len(stored.assessment.flags)) in [e.value for e in at.subheader]
    assert fmt.literal_markdown("Agents: Hypertonic saline, Polidocanol, Sodium tetradecyl sulfate") in markdown
    assert _actions(store)[-1] == ("submission_viewed", STAFF, submission)


def test_marking_reviewed_shows_who_and_when_and_is_recorded(store, clock):
    submission = save(store)
    at = click(signed_in_app(store, clock), f"staff-open-{submission}")
    at.text_area(key="staff-review-note").input("Duplex booked <Tue> & *asap*")
    click(at, "staff-mark-reviewed")
    assert staff_texts.REVIEW_SAVED in messages(at, "success")
    assert staff_texts.REVIEWED_BY.format(name=STAFF, when=fmt.moment(NOW, fmt.zone_named(None), NOW)) in texts(at)
    assert "Duplex booked <Tue> & *asap*" in texts(at)
    assert not on_screen(at, "button", "staff-mark-reviewed"), "a review is not silently replaced"
    stored = store.get_submission(submission)
    assert (stored.review_status, stored.reviewed_by, stored.review_note) == ("reviewed", STAFF,
                                                                             "Duplex booked <Tue> & *asap*")
    last = store.audit_events(limit=1)[0]
    assert (last.action, last.staff, last.submission_id) == ("submission_reviewed", STAFF, submission)
    assert "Duplex" not in last.detail


def test_two_reviewers_do_not_overwrite_each_other(any_store, clock):
    submission = save(any_store)
    first = click(signed_in_app(any_store, clock, username="first"), f"staff-open-{submission}")
    second = click(signed_in_app(any_store, clock, username="second"), f"staff-open-{submission}")
    click(first, "staff-mark-reviewed")
    second.text_area(key="staff-review-note").input("My own note")
    click(second, "staff-mark-reviewed")
    assert staff_texts.REVIEW_CONFLICT in messages(second, "warning")
    assert "My own note" in texts(second), "the unsaved note is not lost"
    assert any(text.startswith("Reviewed by first") for text in texts(second))
    stored = any_store.get_submission(submission)
    assert (stored.reviewed_by, stored.review_note, stored.review_version) == ("first", "", 1)
    assert ("review_conflict", "second", submission) in _actions(any_store)


def test_a_note_typed_while_someone_else_reviews_is_kept_on_screen(store, clock):
    submission = save(store)
    first = click(signed_in_app(store, clock, username="first"), f"staff-open-{submission}")
    second = click(signed_in_app(store, clock, username="second"), f"staff-open-{submission}")
    click(first, "staff-mark-reviewed")
    second.text_area(key="staff-review-note").input("Typed too late").run()
    assert not on_screen(second, "button", "staff-mark-reviewed")
    assert "Typed too late" in texts(second)
    assert store.get_submission(submission).reviewed_by == "first"


def test_changed_rules_show_the_current_assessment_beside_the_stored_one(store, clock):
    intake = intake_of(with_answer(healthy_answers(), "reproductive.breastfeeding", True))
    current = assess(intake, AS_OF)
    stored = current.model_copy(update={"rules_version": "2020.01.01-1", "decision": "eligible", "flags": []})
    submission = store.save_submission(intake, stored, SUBMITTED)
    at = click(signed_in_app(store, clock), f"staff-open-{submission}")
    warning = messages(at, "warning")[0]
    assert "version 2020.01.01-1" in warning
    markdown = [element.value for element in at.markdown]
    assert markdown.index(":green-badge[:material/check_circle: Eligible]") < markdown.index(
        ":orange-badge[:material/warning: Clinician review]"), "stored first, current beside it"
    differences = " ".join(markdown)
    assert fmt.literal_markdown("Decision: Eligible → Clinician review") in differences
    assert fmt.literal_markdown("New flag: Relative: Breastfeeding (BREASTFEEDING)") in differences
    assert staff_texts.STORED_FLAGS_HEADING.format(count=0) in [element.value for element in at.subheader]
    assert store.get_submission(submission).assessment == stored, "the stored assessment is never replaced"


def test_listing_names_is_audited_once_per_listing_without_the_search_text(store, clock):
    save(store, name="Ana Search")
    at = signed_in_app(store, clock)
    at.run()
    at.text_input(key="staff-filter-name").input("Ana").run()
    listings = [event.detail for event in store.audit_events(action="queue_viewed")]
    assert listings == ["All decisions · any review status · a name searched (not recorded) · page 1",
                        "All decisions · any review status · no name search · page 1"]
    assert not any("Ana" in event.detail for event in store.audit_events())


def test_the_current_rules_give_no_comparison(store, clock):
    submission = save(store)
    at = click(signed_in_app(store, clock), f"staff-open-{submission}")
    assert not any("rules have changed" in text for text in messages(at, "warning"))


# Audit trail and failures


def test_the_audit_trail_lists_every_action_with_the_person(store, clock, monkeypatch):
    submission = save(store)
    with recorded_downloads(monkeypatch) as offered:
        at = click(signed_in_app(store, clock, username="joy"), f"staff-open-{submission}")
        press_download(at, offered)
    click(at, "staff-mark-reviewed")
    click(at, "staff-to-audit")
    table = at.dataframe[0].value
    assert list(table["Action"]) == ["Opened the audit trail", "Marked reviewed", "Downloaded the PDF",
                                     "Opened a submission", "Listed submissions", "Signed in", "Added an account"]
    assert set(table["Staff"]) == {"joy", "test"}
    assert [event.action for event in store.audit_events()] == [
        "audit_viewed", "submission_reviewed", "pdf_downloaded", "submission_viewed", "queue_viewed", "sign_in",
        "account_added"]
    assert all(event.at.tzinfo is not None and event.at.utcoffset() == timedelta(0) for event in store.audit_events())


class _Unreachable:
    """A store whose database has gone away: every read fails as the real store reports it."""

    def __init__(self, store: Store):
        self._store = store

    def __getattr__(self, name):
        if name in ("list_submissions", "count_submissions", "get_submission"):
            def fail(*_args, **_kwargs):
                raise StorageError("The submissions could not be listed (the database server cannot be reached).")
            return fail
        return getattr(self._store, name)


def test_a_database_failure_is_a_plain_message(store, clock):
    at = signed_in_app(_Unreachable(store), clock)
    assert not at.exception
    assert "The submissions could not be listed (the database server cannot be reached)." in messages(at, "error")


def test_the_patient_pages_offer_no_way_into_the_staff_area(tmp_path, monkeypatch):
    monkeypatch.setenv("SCREENER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SCREENER_STAFF_PASSWORD_HASH", OLD_PASSWORD_HASH)
    at = AppTest.from_file("../../streamlit_app.py", default_timeout=30).run()
    assert not at.exception
    nodes = list(walk(at.main))
    everything = " ".join(f"{getattr(node, 'value', '')} {getattr(node, 'label', '')}" for node in nodes).lower()
    assert "/staff" not in everything and "staff area" not in everything and "sign in" not in everything
    assert not [node for node in nodes if getattr(node, "type", "") in ("page_link", "link_button")]
