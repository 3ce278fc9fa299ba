"""Invitations in the staff area (AppTest): a button on the patient's page, and a submission answered at home.

- Without ``SCREENER_PUBLIC_URL`` the patient's page says links cannot be made and why; an unusable value is
  named with its fix.
- With it, "Make a link to answer at home" shows the link under the public address's /home/, its QR code and
  until when; the token is stored only as its hash and the link asks for the date of birth.
- With ``SCREENER_SMTP_URL`` and the record's e-mail address, "Send the link" delivers it to the (local) mail
  server with the link and the clinic's name, and no name, date of birth or health answer; it is audited.
- A submission answered at home is marked "Answered at home" in the queue and on its page, which makes the
  visit code that opens it on the tablet to be checked.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from factories import AS_OF, healthy_answers, intake_of, with_answer
from local_smtp import inbox, mail_settings  # noqa: F401  (inbox: a fixture)
from staff_driver import clock, store  # noqa: F401  (fixtures)
from staff_driver import NOW, click, signed_in_app, walk

from app.staff import staff_texts
from screener import assess
from screener.storage.invitations import INVITATION_SENT, token_hash
from screener.storage.visits import CONFIRM

NAME, BIRTH = "Rosa Núñez", date(1984, 3, 9)
PUBLIC = "https://forms.clinic.example"
LINK = re.compile(r"https://forms\.clinic\.example/home/\?t=([A-Za-z0-9_-]{43})")
CLINIC = "Clínica Venas Claras"
HOME_MARK = f":blue-badge[:material/home: {staff_texts.HOME_BADGE}]"


@pytest.fixture
def settings(monkeypatch):
    for variable in ("SCREENER_PUBLIC_URL", "SCREENER_SMTP_URL", "SCREENER_MAIL_FROM"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("SCREENER_CLINIC_NAME", CLINIC)
    return monkeypatch


def patient_page(store, clock, email=None):
    patient = store.patients.add(NAME, BIRTH, by="ada", at=NOW)
    if email:
        store.patients.set_contact(patient.id, phone=None, email=email, by="ada", at=NOW)
    at = click(signed_in_app(store, clock, role="clinician"), "staff-to-patients")
    return click(at, f"staff-open-patient-{patient.id}"), patient


def shown_link(at) -> str:
    [code] = at.code
    return code.value


def test_without_a_public_address_no_link_can_be_made_and_the_page_says_why(store, clock, settings):
    at, _ = patient_page(store, clock)
    assert staff_texts.INVITATION_NO_URL in [element.value for element in at.info]
    assert not any(button.key == "staff-invite" for button in at.button)
    settings.setenv("SCREENER_PUBLIC_URL", "http://forms.clinic.example")
    at.run()
    [error] = at.error
    shown = error.value.replace("\\", "")  # drawn literally: every Markdown character escaped
    assert shown.startswith("Links cannot be made until this setting is fixed: SCREENER_PUBLIC_URL: Give the https://")
    assert "a link must not travel unencrypted (it is 'http://forms.clinic.example')." in shown


def test_make_a_link_shows_it_with_its_qr_code_and_stores_only_its_hash(store, clock, settings):
    settings.setenv("SCREENER_PUBLIC_URL", PUBLIC)
    at, patient = patient_page(store, clock)
    at.selectbox(key="staff-invite-language").set_value("es")
    at.number_input(key="staff-invite-hours").set_value(48)
    at = click(at, "staff-invite")
    link = shown_link(at)
    token = LINK.fullmatch(link).group(1)
    assert [node for node in walk(at.main) if getattr(node, "type", None) == "image"], "the QR code"
    assert staff_texts.INVITATION_NO_MAIL in [element.value for element in at.caption]
    assert store.invitations.landing(token, at=NOW).language == "es"
    [made] = store.invitations.for_patient(patient.id)
    assert made.expires_at == NOW + timedelta(hours=48)
    with store._engine.connect() as conn:  # the database holds the hash, never the token
        dumped = "\n".join(conn.connection.driver_connection.iterdump())
    assert token not in dumped and token_hash(token) in dumped
    assert [element.value for element in at.text if element.value.startswith("Link made")] == [
        staff_texts.INVITATION_ROW.format(made="Today, 12:00", until="23 November 2026, 12:00",
                                          status=staff_texts.INVITATION_OPEN)]


def test_send_delivers_the_link_and_the_clinics_name_only(store, clock, settings, inbox):  # noqa: F811
    settings.setenv("SCREENER_PUBLIC_URL", PUBLIC)
    for variable, value in mail_settings(inbox).items():
        settings.setenv(variable, value)
    at, _ = patient_page(store, clock, email="rosa@example.org")
    at = click(click(at, "staff-invite"), "staff-invitation-send")
    link = shown_link(at)
    assert staff_texts.INVITATION_SENT_TO.format(address="rosa@example.org") in [element.value for element in at.success]
    [(_, recipients, message)] = inbox.messages
    body = message.get_content()
    assert recipients == ["rosa@example.org"] and link in body and CLINIC in body
    for private in (NAME, "Núñez", "1984", "09/03", "March"):
        assert private not in body and private not in message["Subject"]
    assert store.audit_events(action=INVITATION_SENT)


def home_submission(store, patient_id=None) -> str:
    made = store.invitations.make(NAME, BIRTH, by="ada", at=NOW, patient_id=patient_id)
    opening = store.invitations.confirm_birth(made.token, BIRTH, at=NOW).opening
    answers = with_answer(with_answer(healthy_answers(), "patient.full_name", NAME), "patient.date_of_birth",
                          BIRTH.isoformat())
    intake = intake_of(answers)
    return store.invitations.finish(opening, intake, assess(intake, AS_OF), NOW)


def test_an_answered_at_home_submission_is_marked_and_makes_the_code_to_check_it_on_the_tablet(store, clock,
                                                                                               settings):
    patient = store.patients.add(NAME, BIRTH, by="ada", at=NOW)
    sid = home_submission(store, patient.id)
    at = signed_in_app(store, clock, role="clinician")
    assert HOME_MARK in [element.value for element in at.markdown]
    at = click(at, f"staff-open-{sid}")
    assert HOME_MARK in [element.value for element in at.markdown]
    assert staff_texts.CHECK_CODE_HEADING in [element.value for element in at.subheader]
    at = click(at, "staff-prepare-code")
    [code] = [element.value.removeprefix("## ") for element in at.markdown if element.value.startswith("## ")]
    opened = store.visits.open(code, tablet="t", at=NOW + timedelta(minutes=1))
    assert (opened.outcome, opened.opening.purpose, opened.opening.source_submission_id) == ("opened", CONFIRM, sid)


def test_a_home_submission_without_a_patient_record_asks_for_one_before_the_code(store, clock, settings):
    sid = home_submission(store)
    at = click(signed_in_app(store, clock, role="clinician"), f"staff-open-{sid}")
    assert staff_texts.CHECK_NEEDS_PATIENT in [element.value for element in at.info]
    assert not any(button.key == "staff-prepare-code" for button in at.button)
