"""The course of treatment in the staff area (AppTest).

- A new submission shows the patient it matches; it is linked only when a clinician taps Link, or
  becomes a new patient record.
- A patient's page: contact details saved, a visit code made (6 digits and its QR code), a session
  recorded through the form, a refused one showing each reason and saving nothing.
- A returning visit's submission shows exactly what changed since the last visit and the previous
  sessions; its PDF has both.
- Lot recall (administrators only) lists the patients and downloads the list, audited.
- An administrator erases a patient with everything of theirs.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from factories import AS_OF, healthy_answers, intake_of, with_answer
from pypdf import PdfReader
from staff_driver import clock, store  # noqa: F401  (fixtures)
from staff_driver import NOW, click, press_download, recorded_downloads, save, signed_in_app, texts

from app.staff import staff_texts
from screener import assess
from screener.clinical.treatment import TreatmentRecord

NAME = "Rosa Núñez"


def a_treatment(**changes) -> TreatmentRecord:
    values = {"session_date": AS_OF, "agent": "polidocanol", "concentration_percent": 0.5, "form": "liquid",
              "volume_ml": 3.0, "areas": ["left_calf"], "lot": "PX-2291", "lot_expires": "2027-06-30", **changes}
    return TreatmentRecord.model_validate(values)


def test_a_matching_submission_is_suggested_and_linked_only_on_link(store, clock):
    patient = store.patients.add("rosa nunez", date(1984, 3, 9), by="ada", at=NOW)
    sid = save(store, NAME)
    at = click(signed_in_app(store, clock), f"staff-open-{sid}")
    assert store.get_submission(sid).patient_id is None
    at = click(at, f"staff-link-{patient.id}")
    assert store.get_submission(sid).patient_id == patient.id
    assert any(element.key == "staff-open-linked-patient" for element in at.button)


def test_a_new_patient_record_is_made_from_a_submission(store, clock):
    sid = save(store, NAME)
    at = click(click(signed_in_app(store, clock), f"staff-open-{sid}"), "staff-new-patient")
    patient = store.patients.of_submission(sid)
    assert patient is not None and patient.full_name == NAME


def _patient_page(store, clock, role: str = "clinician"):
    sid = save(store, NAME)
    patient = store.patients.add_from_submission(sid, by="ada", at=NOW)
    at = signed_in_app(store, clock, role=role)
    at = click(at, "staff-to-patients")
    at.text_input(key="staff-patient-search").input("NUNEZ").run()
    return click(at, f"staff-open-patient-{patient.id}"), patient, sid


def test_a_patients_page_saves_contact_details_and_makes_a_visit_code(store, clock):
    at, patient, _ = _patient_page(store, clock)
    assert NAME in texts(at)
    at.text_input(key="staff-patient-phone").input("+34 600 123 456")
    at = at.button(key="FormSubmitter:staff-patient-contact-Save contact details").click().run()
    assert store.patients.get(patient.id).phone == "+34 600 123 456"
    at = click(at, "staff-prepare-code")
    [code] = [element.value.removeprefix("## ") for element in at.markdown if element.value.startswith("## ")]
    assert len(code) == 6 and code.isdigit()
    assert store.visits.open(code, tablet="t", at=NOW + timedelta(minutes=1)).outcome == "opened"


def _fill_treatment(at, **values):
    at.number_input(key="staff-treatment-concentration").set_value(values.get("concentration", 0.5))
    at.number_input(key="staff-treatment-volume").set_value(values.get("volume", 3.0))
    at.multiselect(key="staff-treatment-areas").set_value(["left_calf"])
    at.text_input(key="staff-treatment-lot").input("PX-2291")
    at.date_input(key="staff-treatment-expires").set_value(values.get("expires", date(2027, 6, 30)))
    at.date_input(key="staff-treatment-date").set_value(AS_OF)
    return at.button(key="FormSubmitter:staff-treatment-Save the session").click().run()


def test_a_session_is_recorded_through_the_form_and_a_refusal_says_why(store, clock):
    at, patient, _ = _patient_page(store, clock)
    at = _fill_treatment(at, volume=12.0, expires=date(2026, 11, 1))
    shown = " ".join(element.value for element in at.error)
    assert "expired on 2026" in shown.replace("\\", "") and "At most 10 mL" in shown.replace("\\", "")
    assert store.treatments.for_patient(patient.id) == []
    at = _fill_treatment(at)
    assert [item.record.lot for item in store.treatments.for_patient(patient.id)] == ["PX-2291"]
    assert staff_texts.TREATMENT_SAVED in [element.value for element in at.success]


def test_a_returning_visit_shows_what_changed_and_the_previous_sessions_also_in_its_pdf(store, clock, monkeypatch):
    first = save(store, NAME, answers=with_answer(healthy_answers(), "lifestyle.smoker", True))
    patient = store.patients.add_from_submission(first, by="ada", at=NOW)
    store.treatments.record(first, a_treatment(reactions=["marked_pigmentation"]), by="ada", at=NOW)
    opening = store.visits.open(store.visits.prepare(patient.id, by="ada", at=NOW).code, tablet="t", at=NOW).opening
    intake = intake_of(with_answer(healthy_answers(), "patient.full_name", NAME), AS_OF + timedelta(days=50))
    later = store.save_submission(intake, assess(intake, AS_OF + timedelta(days=50), store.treatments.history(patient.id)),
                                  NOW + timedelta(days=50), visit=opening)
    with recorded_downloads(monkeypatch) as offered:
        at = click(signed_in_app(store, clock), f"staff-open-{later}")
        shown = " ".join(element.value for element in at.markdown).replace("\\", "")
        assert "Do you smoke? (Lifestyle and aftercare)" in shown
        assert "Changed since last visit" in [element.value for element in at.subheader]
        pdf = press_download(at, offered)
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Changed since last visit" in text and "Previous sessions (1)" in text and "PX-2291" in text
    assert "marked pigmentation" in text


def test_lot_recall_is_for_administrators_and_downloads_the_list_audited(store, clock, monkeypatch):
    sid = save(store, NAME)
    store.patients.add_from_submission(sid, by="ada", at=NOW)
    store.treatments.record(sid, a_treatment(), by="ada", at=NOW)
    clinician = signed_in_app(store, clock, username="bea", role="clinician")
    assert not any(element.key == "staff-to-recall" for element in clinician.button)
    with recorded_downloads(monkeypatch) as offered:
        at = click(signed_in_app(store, clock, role="admin"), "staff-to-recall")
        at.text_input(key="staff-recall-lot").input("px2291")
        at = at.button(key="FormSubmitter:staff-recall-Find the patients").click().run()
        assert "1 sessions of 1 patients." in [element.value for element in at.caption]
        listed = press_download(at, offered, key="staff-recall-download").decode()
    assert NAME in listed and listed.startswith("patient_id,patient_name")
    assert staff_texts.RECALL_DOWNLOADED in [event.action for event in store.audit_events()]


def test_an_administrator_erases_a_patient_and_everything_of_theirs(store, clock):
    at, patient, sid = _patient_page(store, clock, role="admin")
    at.radio(key="staff-patient-erase-reason").set_value("patient_request")
    at.checkbox(key="staff-patient-erase-confirm").check()
    at = click(at.run(), "staff-erase-patient")
    assert store.patients.count() == 0 and store.list_submissions() == []


def test_the_treatment_form_offers_every_choice_the_record_takes_and_no_other():
    from typing import get_args

    from screener.clinical.models import PriorReaction
    from screener.clinical.treatment import Gas, TreatedArea

    assert set(staff_texts.TREATED_AREAS) == set(get_args(TreatedArea))
    assert set(staff_texts.GASES) == set(get_args(Gas))
    assert set(staff_texts.REACTIONS) == set(get_args(PriorReaction))
