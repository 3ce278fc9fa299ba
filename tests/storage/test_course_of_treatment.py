"""The course of treatment in storage, on SQLite and on a real PostgreSQL server.

- Patients: added, searched (case, accents, spaces folded), a submission suggested to the patient whose
  name and date of birth match and linked only when a clinician confirms; their visits in order.
- Visit codes: 6 digits, valid 15 minutes, once; a wrong, expired or used code refused alike and
  audited; 5 wrong codes from one tablet pause it, 20 across the clinic pause every tablet; a
  submission opened by a code names the one it started from and belongs to the code's patient.
- Treatments: recorded against the session's submission, refused (nothing saved) for each reason;
  the record feeds the rules (history); lot recall lists exactly the sessions of that lot, across visits.
- Erasing a patient leaves no trace of their name in the database files.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from database_files import database_files, holds
from factories import AS_OF, a_signed_consent, countersigned_consent, healthy_answers, intake_of, with_answer
from pg_server import pg_cluster  # noqa: F401  (session fixture)
from test_storage import backend, db_url, store  # noqa: F401  (fixtures: a fresh store on each backend)

from screener import assess
from screener.clinical.treatment import TreatmentRecord
from screener.storage import NotFound, StorageError, Store, TreatmentRefused
from screener.storage.visits import CODE_REFUSED

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)
NAME = "José  Núñez-Quintanilla"
BIRTH = date(1984, 3, 9)


def screened(store: Store, name: str = NAME, at: datetime = T0, answers=None, consented: bool = True, **more) -> str:
    """A stored submission; ``consented``: with a countersigned consent to the treatment."""
    data = with_answer(answers or healthy_answers(), "patient.full_name", name)
    intake = intake_of(data)
    submission = store.save_submission(intake, assess(intake, at.date()), at, **more)
    if consented:
        countersigned_consent(store, submission)
    return submission


def a_treatment(**changes) -> TreatmentRecord:
    values = {"session_date": AS_OF, "agent": "polidocanol", "concentration_percent": 0.5, "form": "liquid",
              "volume_ml": 4.0, "areas": ["left_calf", "right_thigh"], "lot": "PX-2291", "lot_expires": "2027-06-30",
              **changes}
    return TreatmentRecord.model_validate(values)


def patient_with_a_visit(store: Store) -> tuple[str, str]:
    submission = screened(store)
    patient = store.patients.add_from_submission(submission, by="ada", at=T0)
    return patient.id, submission


def test_a_submission_is_suggested_to_the_patient_who_matches_and_linked_only_when_confirmed(store):
    patient = store.patients.add("jose nunez-quintanilla", BIRTH, by="ada", at=T0, phone="+34 600 123 456")
    other = store.patients.add(NAME, date(1990, 1, 1), by="ada", at=T0)
    submission = screened(store)
    assert [found.id for found in store.patients.suggested_for(submission)] == [patient.id]
    assert store.get_submission(submission).patient_id is None, "never merged silently"
    store.patients.link(submission, patient.id, by="ada", at=T0)
    assert store.get_submission(submission).patient_id == patient.id
    assert [visit.id for visit in store.patients.visits(patient.id)] == [submission]
    assert store.patients.visits(other.id) == []


@pytest.mark.parametrize("typed", ["NUÑEZ", "josé núñez", "  Jose   Nunez-Quintanilla ", "1984-03-09"])
def test_patients_are_found_by_name_folded_or_by_date_of_birth(store, typed):
    patient = store.patients.add(NAME, BIRTH, by="ada", at=T0)
    assert [found.id for found in store.patients.search(typed)] == [patient.id]


def test_contact_details_are_checked_and_changed_by_staff(store):
    patient = store.patients.add(NAME, BIRTH, by="ada", at=T0)
    with pytest.raises(StorageError, match="e-mail"):
        store.patients.set_contact(patient.id, phone="", email="not an address", by="ada", at=T0)
    changed = store.patients.set_contact(patient.id, phone="+44 20 7946 0000", email="jose@example.org", by="ada", at=T0)
    assert (changed.phone, changed.email) == ("+44 20 7946 0000", "jose@example.org")
    assert store.patients.set_contact(patient.id, phone=" ", email=None, by="ada", at=T0).phone is None


def test_a_visit_code_opens_once_for_the_patient_and_the_last_visit(store):
    patient_id, first = patient_with_a_visit(store)
    prepared = store.visits.prepare(patient_id, by="ada", at=T0)
    assert len(prepared.code) == 6 and prepared.code.isdigit()
    assert prepared.expires_at == T0 + timedelta(minutes=15)
    opened = store.visits.open(prepared.code, tablet="10.0.0.7", at=T0 + timedelta(minutes=14))
    assert opened.outcome == "opened"
    assert (opened.opening.patient_id, opened.opening.source_submission_id) == (patient_id, first)
    again = store.visits.open(prepared.code, tablet="10.0.0.7", at=T0 + timedelta(minutes=14))
    assert again.outcome == "refused", "single use"
    second = screened(store, at=T0 + timedelta(days=43), visit=opened.opening)
    stored = store.get_submission(second)
    assert (stored.patient_id, stored.previous_submission_id, stored.visit_kind) == (patient_id, first, "returning")


def test_a_code_opened_for_another_name_is_only_suggested(store):
    patient_id, _ = patient_with_a_visit(store)
    opening = store.visits.open(store.visits.prepare(patient_id, by="ada", at=T0).code, tablet="t", at=T0).opening
    stranger = screened(store, "Somebody Else", visit=opening)
    assert store.get_submission(stranger).patient_id is None


def test_an_expired_and_an_unknown_code_are_refused_alike(store):
    patient_id, _ = patient_with_a_visit(store)
    prepared = store.visits.prepare(patient_id, by="ada", at=T0)
    late = store.visits.open(prepared.code, tablet="a", at=T0 + timedelta(minutes=15))
    unknown = store.visits.open("999999" if prepared.code != "999999" else "000000", tablet="a", at=T0)
    assert late.outcome == unknown.outcome == "refused"
    assert [event.detail for event in store.audit_events() if event.action == CODE_REFUSED] == ["not a live code"] * 2


def test_five_wrong_codes_pause_the_tablet_and_twenty_pause_the_clinic(store):
    patient_id, _ = patient_with_a_visit(store)
    good = store.visits.prepare(patient_id, by="ada", at=T0).code
    wrong = "123456" if good != "123456" else "654321"
    outcomes = [store.visits.open(wrong, tablet="tablet-1", at=T0 + timedelta(seconds=n)).outcome for n in range(6)]
    assert outcomes == ["refused"] * 5 + ["paused"]
    assert store.visits.open(good, tablet="tablet-1", at=T0 + timedelta(seconds=7)).outcome == "paused"
    assert store.visits.open(good, tablet="tablet-2", at=T0 + timedelta(seconds=8)).outcome == "opened"
    for n in range(16):  # with tablet-1's five: 21 wrong codes across the clinic
        store.visits.open(wrong, tablet=f"other-{n}", at=T0 + timedelta(seconds=10 + n))
    fresh = store.visits.prepare(patient_id, by="ada", at=T0 + timedelta(seconds=30)).code
    assert store.visits.open(fresh, tablet="tablet-3", at=T0 + timedelta(seconds=31)).outcome == "paused"


def test_a_treatment_is_recorded_and_becomes_the_patients_history(store):
    patient_id, submission = patient_with_a_visit(store)
    saved = store.treatments.record(submission, a_treatment(reactions=["allergic"]), by="ada", at=T0)
    assert [treatment.id for treatment in store.treatments.for_patient(patient_id)] == [saved.id]
    [session] = store.treatments.history(patient_id)
    assert (session.session_date, session.agent, session.reactions) == (AS_OF, "polidocanol", ("allergic",))
    later = assess(store.get_submission(submission).intake, AS_OF + timedelta(days=41), store.treatments.history(patient_id))
    assert "SESSION-INTERVAL" in [flag.rule_id for flag in later.flags]
    assert later.excluded_agents == ["polidocanol"]


@pytest.mark.parametrize(("answers", "changes", "field"), [
    (with_answer(healthy_answers(), "allergies.asthma", True), {"agent": "sodium_tetradecyl_sulfate",
                                                                "concentration_percent": 0.2}, "agent"),
    (with_answer(healthy_answers(), "neurology.stroke_or_tia", True), {"form": "foam", "gas": "co2_o2"}, "form"),
    (None, {"lot_expires": "2026-11-20"}, "lot_expires"),
    (None, {"volume_ml": 10.5}, "volume_ml"),
    (None, {"concentration_percent": 3.0}, "concentration_percent"),
])
def test_each_refusal_saves_nothing_and_names_its_field(store, answers, changes, field):
    submission = screened(store, answers=answers)
    patient = store.patients.add_from_submission(submission, by="ada", at=T0)
    if store.get_submission(submission).assessment.decision == "clinician_review":
        store.mark_reviewed(submission, staff="ada", note="", expected_version=0, at=T0)
    with pytest.raises(TreatmentRefused) as refused:
        store.treatments.record(submission, a_treatment(**changes), by="ada", at=T0)
    assert field in [problem.path for problem in refused.value.problems]
    assert store.treatments.for_patient(patient.id) == []


def test_an_excluded_agent_is_recorded_with_the_clinicians_reason(store):
    submission = screened(store, answers=with_answer(healthy_answers(), "allergies.asthma", True))
    store.patients.add_from_submission(submission, by="ada", at=T0)
    record = a_treatment(agent="sodium_tetradecyl_sulfate", concentration_percent=0.2,
                         override_reason="Asthma controlled; polidocanol unavailable; observed 30 min.")
    assert store.treatments.record(submission, record, by="ada", at=T0).record.override_reason


def test_a_treatment_needs_a_countersigned_consent_on_the_current_words_that_was_not_declined(store):
    submission = screened(store, consented=False)
    patient = store.patients.add_from_submission(submission, by="ada", at=T0)

    def refusal() -> str:
        with pytest.raises(TreatmentRefused) as refused:
            store.treatments.record(submission, a_treatment(), by="ada", at=T0)
        return " ".join(problem.message for problem in refused.value.problems if problem.path == "consent")

    assert "no countersigned consent" in refusal()
    signed = store.save_submission(store.get_submission(submission).intake, store.get_submission(submission).assessment,
                                   T0, consent=a_signed_consent())
    store.patients.link(signed, patient.id, by="ada", at=T0)
    assert "no countersigned consent" in refusal(), "signed on the tablet but not yet countersigned"
    declined = screened(store, consented=False)
    store.patients.link(declined, patient.id, by="ada", at=T0)
    kept = countersigned_consent(store, declined, decision="declined")
    assert kept.decision == "declined" and kept.countersigned_at is None, "kept, and never countersigned"
    with pytest.raises(StorageError, match="declined"):
        store.consents.countersign(kept.id, by="ada", at=T0, answer="", render=lambda *_: b"%PDF-1.4")
    assert "no countersigned consent" in refusal()
    older = screened(store, consented=False)
    store.patients.link(older, patient.id, by="ada", at=T0)
    countersigned_consent(store, older, wording_version="2025.01.01-1")
    assert "older version" in refusal()
    assert store.consents.standing(patient.id) == "older"
    store.consents.countersign(store.consents.for_submission(signed).id, by="ada", at=T0, answer="",
                               render=lambda *_: b"%PDF-1.4")
    assert store.consents.standing(patient.id) == "valid"
    assert store.treatments.record(submission, a_treatment(), by="ada", at=T0).record.lot == "PX-2291"


def test_a_treatment_needs_a_linked_patient_a_reviewed_screening_and_a_known_submission(store):
    unlinked = screened(store)
    with pytest.raises(TreatmentRefused, match="not linked to a patient"):
        store.treatments.record(unlinked, a_treatment(), by="ada", at=T0)
    review = screened(store, answers=with_answer(healthy_answers(), "reproductive.breastfeeding", True))
    store.patients.add_from_submission(review, by="ada", at=T0)
    with pytest.raises(TreatmentRefused, match="needs a clinician's review"):
        store.treatments.record(review, a_treatment(), by="ada", at=T0)
    with pytest.raises(NotFound):
        store.treatments.record("0" * 32, a_treatment(), by="ada", at=T0)


def test_recall_lists_exactly_the_sessions_of_the_lot_across_visits_and_patients(store):
    first_patient, first_visit = patient_with_a_visit(store)
    store.treatments.record(first_visit, a_treatment(lot="px 2291"), by="ada", at=T0)
    second_visit = screened(store, at=T0 + timedelta(days=50))
    store.patients.link(second_visit, first_patient, by="ada", at=T0)
    store.treatments.record(second_visit, a_treatment(session_date=AS_OF + timedelta(days=50)), by="ada", at=T0)
    other = screened(store, "Ana Otra", answers=None)
    store.patients.add_from_submission(other, by="ada", at=T0)
    store.treatments.record(other, a_treatment(lot="ZZ-1"), by="ada", at=T0)
    rows = store.treatments.recall("PX-2291", by="ada", at=T0)
    assert [(row.patient_id, row.session_date) for row in rows] == [
        (first_patient, AS_OF), (first_patient, AS_OF + timedelta(days=50))]
    assert rows[0].language == "en"
    assert store.audit_events()[0].detail == "lot PX2291: 2 sessions listed"


def test_erasing_a_patient_erases_every_visit_treatment_and_code_and_leaves_no_trace(store, db_url):
    patient_id, first = patient_with_a_visit(store)
    store.patients.set_contact(patient_id, phone="+34 600 999 111", email="quintanilla@example.org", by="ada", at=T0)
    store.treatments.record(first, a_treatment(notes="Quintanilla tolerated it well"), by="ada", at=T0)
    store.visits.prepare(patient_id, by="ada", at=T0)
    kept = screened(store, "Keptia Otherperson")
    assert holds(database_files(db_url), "Quintanilla")
    assert store.patients.erase(patient_id, staff="boss", reason="patient_request", at=T0) == 1
    with pytest.raises(NotFound):
        store.patients.get(patient_id)
    assert [summary.id for summary in store.list_submissions()] == [kept]
    files = database_files(db_url)
    for trace in ("Quintanilla", "quintanilla@example.org", "600 999 111"):
        assert not holds(files, trace), trace
    assert holds(files, "Keptia Otherperson")
