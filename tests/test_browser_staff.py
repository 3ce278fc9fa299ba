"""The staff area in a real browser, beside a patient: Debian's chromium, two browser contexts.

- A patient completes the wizard by touch on a tablet; the patient page has no way
  into the staff area.
- On another context (a desk), /staff asks for the password; staff sign in, see the
  patient in the queue, open the submission and download its PDF.
- The downloaded bytes are exactly ``render_pdf`` of the stored intake and assessment,
  and the sign-in, view and download are on the audit trail.
- Screenshots of the sign-in, the queue and the submission go to artifacts/screenshots/.
"""

from __future__ import annotations

import pytest
from factories import healthy_answers, with_answer
from staff_driver import PASSWORD, PASSWORD_HASH, STAFF, save

from browser import LANDSCAPE, PORTRAIT, SCREENSHOTS, running_app
from screener import render_pdf
from screener.questionnaire import START_BUTTON, STEPS, SUBMIT_BUTTON, THANK_YOU_TITLE
from screener.storage import Store
# The wizard engineer's touch helpers: one way of answering the wizard for every browser test.
from wizard_walk import answer, confirm_and_sign, next_step, screenshot, settle

pytestmark = pytest.mark.browser

PATIENT = "Zoë O'Brien <b>&amp;</b> *Test*"
MEDICINES = "Metformin 500 mg & vitamin D <daily>"


def _patient_answers() -> dict:
    answers = with_answer(healthy_answers(), "patient.full_name", PATIENT)
    answers = with_answer(answers, "reproductive.breastfeeding", True)
    answers = with_answer(answers, "lifestyle.smoker", True)
    return with_answer(answers, "medications.other", MEDICINES)


def _complete_the_wizard(page, url: str, answers: dict) -> None:
    page.goto(url)
    page.get_by_role("button", name=START_BUTTON).wait_for()
    assert page.locator("a[href*='staff']").count() == 0, "no way from the patient pages into the staff area"
    page.get_by_role("button", name=START_BUTTON).tap()
    page.get_by_role("heading", name=STEPS[0].title).wait_for()
    settle(page)
    for number, step in enumerate(STEPS, start=1):
        for question in step.questions:
            if question.is_asked(answers[step.section]):
                answer(page, step, question, answers[step.section].get(question.name))
        next_step(page, STEPS[number].title if number < len(STEPS) else "Check your answers")
    confirm_and_sign(page, answers["consent"]["signature"])
    page.get_by_role("button", name=SUBMIT_BUTTON).tap()
    page.get_by_role("heading", name=THANK_YOU_TITLE).wait_for()


def test_staff_sign_in_and_download_the_pdf_of_a_patient_who_just_submitted(browser, tmp_path):
    answers = _patient_answers()
    with running_app(tmp_path / "data", env={"SCREENER_STAFF_PASSWORD_HASH": PASSWORD_HASH}) as app:
        tablet = browser.new_context(viewport=PORTRAIT, has_touch=True, is_mobile=True)
        _complete_the_wizard(tablet.new_page(), app.url, answers)
        tablet.close()

        desk = browser.new_context(viewport=LANDSCAPE, accept_downloads=True)
        page = desk.new_page()
        page.goto(f"{app.url}/staff")
        page.get_by_role("button", name="Sign in").wait_for()
        settle(page)
        assert "No secrets" not in page.content() and "secrets.toml" not in page.inner_text("body")
        screenshot(page, "staff-00-sign-in")
        page.get_by_label("Your name").fill(STAFF)
        page.get_by_label("Staff password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Review queue").wait_for()
        settle(page)
        assert page.get_by_text(PATIENT, exact=True).count() == 1, "the name is shown literally"
        screenshot(page, "staff-01-queue")

        with Store(Store.default_url(app.data_dir)) as store:
            [summary] = store.list_submissions()
        page.locator(f".st-key-staff-open-{summary.id} button").click()
        page.get_by_role("button", name="Download PDF summary").wait_for()
        settle(page)
        assert page.get_by_text(MEDICINES, exact=True).count() == 1
        screenshot(page, "staff-02-submission")
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download PDF summary").click()
        downloaded = download_info.value
        pdf = open(downloaded.path(), "rb").read()
        settle(page)
        page.get_by_role("button", name="Audit trail").click()
        page.get_by_role("heading", name="Audit trail").wait_for()
        page.locator('[data-testid="stDataFrame"]').wait_for()
        settle(page)
        screenshot(page, "staff-03-audit-trail")
        desk.close()

        with Store(Store.default_url(app.data_dir)) as store:
            stored = store.get_submission(summary.id)
            actions = [(event.action, event.staff) for event in reversed(store.audit_events())]
        log = app.log_text()

    assert pdf[:5] == b"%PDF-" and pdf == render_pdf(stored.intake, stored.assessment)
    assert downloaded.suggested_filename == f"screening-{summary.id[:8]}.pdf"
    assert actions == [("sign_in", STAFF), ("queue_viewed", STAFF), ("submission_viewed", STAFF),
                       ("pdf_downloaded", STAFF), ("audit_viewed", STAFF)]
    assert stored.intake.patient.full_name == PATIENT
    for private in (PATIENT, "Metformin", PASSWORD, PASSWORD_HASH):
        assert private not in log
    assert {"staff-00-sign-in.png", "staff-01-queue.png", "staff-02-submission.png",
            "staff-03-audit-trail.png"} <= {path.name for path in SCREENSHOTS.iterdir()}


def test_an_unattended_staff_screen_clears_itself(browser, tmp_path):
    with running_app(tmp_path / "data", env={"SCREENER_STAFF_PASSWORD_HASH": PASSWORD_HASH,
                                              "SCREENER_STAFF_IDLE_MINUTES": "0.05"}) as app:
        with Store(Store.default_url(app.data_dir)) as store:
            save(store, "Unattended Patientname")
        desk = browser.new_context(viewport=LANDSCAPE)
        page = desk.new_page()
        page.goto(f"{app.url}/staff")
        page.get_by_label("Your name").fill(STAFF)
        page.get_by_label("Staff password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Unattended Patientname", exact=True).wait_for()
        page.get_by_text("You were signed out after 0.05 minutes without activity.", exact=False).wait_for(
            timeout=15000)
        assert "Unattended Patientname" not in page.inner_text("body")
        assert page.get_by_label("Staff password").is_visible()
        desk.close()
        with Store(Store.default_url(app.data_dir)) as store:
            assert [event.action for event in store.audit_events()] == ["session_expired", "queue_viewed", "sign_in"]
