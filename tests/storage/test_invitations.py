"""Invitations to answer at home in storage, on SQLite and on a real PostgreSQL server.

- An invitation's link holds a random token of 256 bits, stored only as its SHA-256; it is valid 72 hours by
  default, at most 14 days; one for a patient must carry the patient record's name and date of birth.
- An unknown, expired or used token lands on the same ``closed``; a live one asks for the date of birth.
- A wrong date of birth is refused and recorded; 5 pause the link, even for the right date; 20 at once are
  checked at most 5 times. The right date opens the invitation with the draft saved so far.
- The draft is saved only while the invitation is live; signing stores a submission "answered at home" that
  belongs to the invitation's patient when its name and date of birth are theirs (else only suggested), uses
  the invitation up and drops the draft.
- Erasing the patient, the submission or the invitation, and purging expired invitations, leave no draft
  text, name or date of birth in the database files; the audit trail holds ids only.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone

import pytest
from database_files import database_files, holds
from factories import AS_OF, healthy_answers, intake_of, with_answer
from pg_server import pg_cluster  # noqa: F401  (session fixture)
from test_storage import backend, db_url, store  # noqa: F401  (fixtures: a fresh store on each backend)

from screener import assess
from screener.storage import NotFound, Store
from screener.storage.invitations import (
    BIRTH_PAUSED, BIRTH_REFUSED, DRAFT_SAVED, INVITATION_FINISHED, INVITATION_MADE, INVITATION_OPENED,
    InvitationClosed, InvitationRefused, token_hash,
)

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)
NAME = "Dolores Draftwell"
BIRTH = date(1984, 3, 9)
DRAFT_TEXT = "Quillfeather tablets twice a day"  # a free text the patient typed at home


def draft_json(text: str = DRAFT_TEXT) -> str:
    return json.dumps({"medications": {"other": text, "other.gate": True}})


def signed(name: str = NAME, birth: date = BIRTH):
    answers = with_answer(with_answer(healthy_answers(), "patient.full_name", name), "patient.date_of_birth",
                          birth.isoformat())
    intake = intake_of(answers)
    return intake, assess(intake, AS_OF)


def opened(store: Store, token: str, at: datetime = T0):
    tried = store.invitations.confirm_birth(token, BIRTH, at=at)
    assert tried.outcome == "opened", tried
    return tried.opening


def test_a_link_holds_256_random_bits_stored_only_as_a_hash_and_expires_after_72_hours(store, db_url):
    made = store.invitations.make(NAME, BIRTH, by="ada", at=T0)
    other = store.invitations.make(NAME, BIRTH, by="ada", at=T0)
    assert len(made.token) == 43 and made.token != other.token  # 32 bytes, URL-safe base64
    assert made.expires_at == T0 + timedelta(hours=72)
    files = database_files(db_url)
    assert not holds(files, made.token) and holds(files, token_hash(made.token))
    assert store.invitations.make(NAME, BIRTH, by="ada", at=T0, hours=14 * 24).expires_at == T0 + timedelta(days=14)


@pytest.mark.parametrize("hours", [0, 14 * 24 + 1, -5])
def test_a_link_is_valid_from_one_hour_to_fourteen_days(store, hours):
    with pytest.raises(InvitationRefused, match="1 to 336 hours"):
        store.invitations.make(NAME, BIRTH, by="ada", at=T0, hours=hours)


def test_an_invitation_for_a_patient_must_carry_the_records_name_and_date_of_birth(store):
    patient = store.patients.add("Dolores  DRAFTWELL", BIRTH, by="ada", at=T0)
    assert store.invitations.make(NAME, BIRTH, by="ada", at=T0, patient_id=patient.id).patient_id == patient.id
    for name, birth in ((NAME, date(1984, 3, 10)), ("Someone Else", BIRTH)):
        with pytest.raises(InvitationRefused, match="not the patient record"):
            store.invitations.make(name, birth, by="ada", at=T0, patient_id=patient.id)
    with pytest.raises(InvitationRefused, match="does not exist"):
        store.invitations.make(NAME, BIRTH, by="ada", at=T0, patient_id="0" * 32)


def test_unknown_expired_and_used_tokens_land_alike_and_a_live_one_asks_for_the_birth_date(store):
    live = store.invitations.make(NAME, BIRTH, by="ada", at=T0, language="es")
    expired = store.invitations.make(NAME, BIRTH, by="ada", at=T0 - timedelta(hours=73))
    used = store.invitations.make(NAME, BIRTH, by="ada", at=T0)
    store.invitations.finish(opened(store, used.token), *signed(), T0)
    landings = {name: store.invitations.landing(token, at=T0) for name, token in (
        ("unknown", "x" * 43), ("expired", expired.token), ("used", used.token), ("empty", ""), ("huge", "y" * 10_000))}
    assert {landing.outcome for landing in landings.values()} == {"closed"}
    assert len(set(landings.values())) == 1, "nothing tells them apart"
    assert store.invitations.landing(live.token, at=T0) == store.invitations.landing(live.token, at=T0)
    assert (store.invitations.landing(live.token, at=T0).outcome,
            store.invitations.landing(live.token, at=T0).language) == ("live", "es")
    for token in (expired.token, used.token, "x" * 43):
        assert store.invitations.confirm_birth(token, BIRTH, at=T0).outcome == "closed"


def test_a_wrong_birth_date_is_refused_and_five_pause_the_link_even_for_the_right_one(store):
    made = store.invitations.make(NAME, BIRTH, by="ada", at=T0)
    for minute in range(5):
        tried = store.invitations.confirm_birth(made.token, date(1984, 9, 3), at=T0 + timedelta(minutes=minute))
        assert tried.outcome == "refused" and tried.opening is None
    assert store.invitations.confirm_birth(made.token, BIRTH, at=T0 + timedelta(minutes=4, seconds=10)).outcome == "paused"
    assert opened(store, made.token, T0 + timedelta(minutes=20)).full_name == NAME
    refused = store.audit_events(action=BIRTH_REFUSED)
    assert len(refused) == 5 and {event.staff for event in refused} == {f"home:{made.id}"}
    assert [event.detail for event in store.audit_events(action=INVITATION_OPENED)] == [f"invitation {made.id}"]


def test_twenty_simultaneous_wrong_birth_dates_are_checked_at_most_five_times(store):
    made = store.invitations.make(NAME, BIRTH, by="ada", at=T0)
    start = threading.Barrier(20)

    def attempt(number: int) -> str:
        start.wait()
        return store.invitations.confirm_birth(made.token, date(1950, 1, 1 + number),
                                               at=T0 + timedelta(milliseconds=number)).outcome

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(attempt, range(20)))
    assert outcomes.count("refused") == len(store.audit_events(action=BIRTH_REFUSED)) <= 5
    assert outcomes.count("paused") == len(store.audit_events(action=BIRTH_PAUSED)) >= 15
    print(f"\n20 parallel wrong birth dates: {outcomes.count('refused')} checked, {outcomes.count('paused')} paused")


def test_the_right_birth_date_opens_the_draft_saved_before_on_any_device(store):
    made = store.invitations.make(NAME, BIRTH, by="ada", at=T0, language="es")
    first = opened(store, made.token)
    assert (first.draft_json, first.language) == (None, "es")
    store.invitations.save_draft(first, draft_json("first evening"), "es", at=T0)
    store.invitations.save_draft(first, draft_json(), "zh-Hans", at=T0 + timedelta(minutes=3))
    again = opened(store, made.token, T0 + timedelta(days=1))  # the next evening, on the computer
    assert (json.loads(again.draft_json), again.draft_language) == (json.loads(draft_json()), "zh-Hans")
    saved = store.audit_events(action=DRAFT_SAVED)
    assert [event.detail for event in saved] == [f"invitation {made.id}"] * 2


def test_a_draft_is_saved_only_while_the_invitation_is_live(store):
    made = store.invitations.make(NAME, BIRTH, by="ada", at=T0, hours=1)
    opening = opened(store, made.token)
    with pytest.raises(InvitationClosed):
        store.invitations.save_draft(opening, draft_json(), "en", at=T0 + timedelta(hours=1))
    with pytest.raises(InvitationClosed):
        store.invitations.finish(opening, *signed(), T0 + timedelta(hours=2))


def test_signing_at_home_stores_a_submission_of_the_patient_and_uses_the_invitation_up(store):
    patient = store.patients.add(NAME, BIRTH, by="ada", at=T0)
    made = store.invitations.make(NAME, BIRTH, by="ada", at=T0, patient_id=patient.id)
    opening = opened(store, made.token)
    store.invitations.save_draft(opening, draft_json(), "en", at=T0)
    submission_id = store.invitations.finish(opening, *signed(), T0 + timedelta(minutes=30))
    stored = store.get_submission(submission_id)
    assert (stored.visit_kind, stored.patient_id) == ("home", patient.id)
    assert [summary.visit_kind for summary in store.list_submissions()] == ["home"]
    assert store.invitations.landing(made.token, at=T0).outcome == "closed"
    with pytest.raises(InvitationClosed):
        store.invitations.finish(opening, *signed(), T0 + timedelta(minutes=31))
    [summary] = store.invitations.for_patient(patient.id)
    assert (summary.submission_id, summary.has_draft) == (submission_id, False)
    assert [event.submission_id for event in store.audit_events(action=INVITATION_FINISHED)] == [submission_id]


def test_answers_signed_under_another_name_are_only_suggested_and_a_new_patient_is_never_linked(store):
    patient = store.patients.add(NAME, BIRTH, by="ada", at=T0)
    made = store.invitations.make(NAME, BIRTH, by="ada", at=T0, patient_id=patient.id)
    other = store.invitations.finish(opened(store, made.token), *signed("Somebody Else"), T0)
    assert store.get_submission(other).patient_id is None
    new = store.invitations.make(NAME, BIRTH, by="ada", at=T0)
    unlinked = store.invitations.finish(opened(store, new.token), *signed(), T0)
    assert store.get_submission(unlinked).patient_id is None, "never merged silently"
    assert [found.id for found in store.patients.suggested_for(unlinked)] == [patient.id]


def test_the_audit_trail_holds_ids_only(store):
    made = store.invitations.make(NAME, BIRTH, by="ada", at=T0)
    opening = opened(store, made.token)
    store.invitations.confirm_birth(made.token, date(2000, 1, 1), at=T0)
    store.invitations.save_draft(opening, draft_json(), "en", at=T0)
    store.invitations.finish(opening, *signed(), T0)
    events = store.audit_events()
    assert {INVITATION_MADE, INVITATION_OPENED, BIRTH_REFUSED, DRAFT_SAVED, INVITATION_FINISHED} <= {
        event.action for event in events}
    for event in events:
        for trace in ("Draftwell", "1984", DRAFT_TEXT, made.token):
            assert trace not in event.detail and trace not in event.staff


def _drafted(store: Store, name: str = NAME, **more):
    made = store.invitations.make(name, BIRTH, by="ada", at=T0, **more)
    opening = opened(store, made.token)
    store.invitations.save_draft(opening, draft_json(f"{DRAFT_TEXT} (older)"), "en", at=T0)
    store.invitations.save_draft(opening, draft_json(), "en", at=T0 + timedelta(minutes=1))
    return made, opening


def _leaves_no_trace(db_url: str, *traces: str) -> None:
    files = database_files(db_url)
    for trace in traces:
        assert not holds(files, trace), trace


def test_erasing_the_patient_erases_their_invitations_and_drafts_from_the_files(store, db_url):
    patient = store.patients.add(NAME, BIRTH, by="ada", at=T0)
    made, _ = _drafted(store, patient_id=patient.id)
    assert holds(database_files(db_url), DRAFT_TEXT)
    store.patients.erase(patient.id, staff="boss", reason="patient_request", at=T0)
    assert store.invitations.landing(made.token, at=T0).outcome == "closed"
    _leaves_no_trace(db_url, DRAFT_TEXT, "Draftwell")


def test_erasing_an_invitation_erases_its_draft_from_the_files(store, db_url):
    made, _ = _drafted(store)
    store.invitations.erase(made.id, staff="boss", reason="patient_request", at=T0)
    with pytest.raises(NotFound):
        store.invitations.erase(made.id, staff="boss", reason="patient_request", at=T0)
    _leaves_no_trace(db_url, DRAFT_TEXT, "Draftwell")


def test_erasing_a_submission_answered_at_home_erases_its_invitation(store, db_url):
    made, opening = _drafted(store)
    submission_id = store.invitations.finish(opening, *signed(), T0)
    store.erase_submission(submission_id, staff="boss", reason="patient_request", at=T0)
    assert store.count_submissions() == 0
    _leaves_no_trace(db_url, DRAFT_TEXT, "Draftwell")


def test_purging_expired_invitations_erases_their_drafts_names_and_birth_dates(store, db_url):
    expired, _ = _drafted(store, hours=2)
    kept, _ = _drafted(store, "Keptia Livelink")
    later = T0 + timedelta(hours=3)
    assert store.invitations.count_expired(at=later) == 1
    assert store.invitations.purge_expired(staff="cli:root", at=later) == 1
    assert store.invitations.purge_expired(staff="cli:root", at=later) == 0
    assert store.invitations.landing(expired.token, at=T0).outcome == "closed"
    assert opened(store, kept.token, later).draft_json == draft_json()
    _leaves_no_trace(db_url, "Draftwell")
    assert holds(database_files(db_url), "Keptia Livelink")
