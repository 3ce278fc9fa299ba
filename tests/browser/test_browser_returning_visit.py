"""A returning visit in a real browser: a clinician at the desk, a patient on the tablet, by touch.

- The clinician opens the patient's page, makes a visit code; on the tablet the patient taps "I have a
  visit code" and types it; every step shows the last visit's answers and asks "Has anything changed?";
  the patient taps No on every step but one, where they change one answer; the clinician opens the new
  submission and reads exactly that change under "Changed since last visit". The time and the taps of
  the walk are printed (the issue asks for them in the note).
- axe-core finds nothing on the code screen, a returning step and the patient's page, at both sizes.
- A wrong code five times pauses the tablet, even for a right code.
"""

from __future__ import annotations

import time

import pytest
from factories import AS_OF, healthy_answers, intake_of, with_answer
from real_browser import PORTRAIT, running_app
from staff_driver import PASSWORD, STAFF, add_account

from app.staff import staff_texts
from screener import assess
from screener.clinical.questionnaire import STEPS, YES_NO
from screener.language import screens
from screener.storage import Store
from wizard_walk import answer, confirm_and_sign, screen_problems, settle

pytestmark = pytest.mark.browser

NAME = "Rosa Returning"
FIRST = with_answer(with_answer(healthy_answers(), "patient.full_name", NAME), "lifestyle.smoker", True)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("returning") / "data") as app:
        with Store(Store.default_url(app.data_dir)) as store:
            add_account(store, STAFF, "clinician")
            intake = intake_of(FIRST)
            first = store.save_submission(intake, assess(intake, AS_OF), _moment())
            patient = store.patients.add_from_submission(first, by=STAFF, at=_moment())
        yield app, patient.id, first


def _moment():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def _sign_in(page, url: str) -> None:
    page.goto(f"{url}/staff")
    page.get_by_label(staff_texts.USERNAME_LABEL, exact=True).fill(STAFF)
    page.get_by_label(staff_texts.PASSWORD_LABEL, exact=True).fill(PASSWORD)
    page.get_by_role("button", name=staff_texts.SIGN_IN_BUTTON).click()
    page.get_by_role("button", name=staff_texts.PATIENTS_BUTTON).wait_for()


def _open_patient(page) -> None:
    page.get_by_role("button", name=staff_texts.PATIENTS_BUTTON).click()
    settle(page)
    page.locator('[class*="st-key-staff-open-patient-"] button').first.click()
    page.get_by_role("heading", name=staff_texts.PATIENT_TITLE).wait_for()
    settle(page)


def _make_code(page) -> str:
    page.get_by_role("button", name=staff_texts.VISIT_CODE_BUTTON).click()
    settle(page)
    shown = page.locator(".st-key-staff-visit-code h2").first
    shown.wait_for()
    return shown.inner_text().strip()


def _type_code(tablet, url: str, code: str) -> None:
    tablet.goto(url)
    tablet.get_by_role("button", name=screens.VISIT_CODE_BUTTON).tap()
    tablet.get_by_role("heading", name=screens.VISIT_CODE_TITLE).wait_for()
    settle(tablet)
    tablet.get_by_label(screens.VISIT_CODE_LABEL).fill(code)
    tablet.get_by_label(screens.VISIT_CODE_LABEL).blur()
    settle(tablet)
    tablet.get_by_role("button", name=screens.VISIT_CODE_CONTINUE).tap()
    settle(tablet)


def test_a_returning_patient_changes_one_step_and_the_clinician_sees_exactly_that(browser, clinic):
    app, _, first = clinic
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    staff = desk.new_page()
    _sign_in(staff, app.url)
    _open_patient(staff)
    problems = {"patient page": screen_problems(staff)}
    code = _make_code(staff)
    assert len(code) == 6 and code.isdigit()

    tablet_context = browser.new_context(viewport=PORTRAIT, has_touch=True, is_mobile=True)
    tablet = tablet_context.new_page()
    tablet.goto(app.url)
    tablet.get_by_role("button", name=screens.VISIT_CODE_BUTTON).tap()
    tablet.get_by_role("heading", name=screens.VISIT_CODE_TITLE).wait_for()
    settle(tablet)
    problems["code screen"] = screen_problems(tablet)
    started, taps = time.monotonic(), 0
    tablet.get_by_label(screens.VISIT_CODE_LABEL).fill(code)
    tablet.get_by_role("button", name=screens.VISIT_CODE_CONTINUE).tap()
    taps += 1
    today = dict(FIRST)
    for step in STEPS:
        tablet.get_by_role("heading", name=step.title, exact=True).wait_for()
        settle(tablet)
        assert tablet.get_by_text(screens.LAST_TIME_HEADING).count() == 1
        changed = step.section == "lifestyle"
        tablet.get_by_text(screens.CHANGED_YES if changed else screens.CHANGED_NO, exact=True).tap()
        taps += 1
        settle(tablet)
        if step.section == "veins":
            problems["returning step"] = screen_problems(tablet)
        for question in step.questions:
            if changed and question.name == "smoker":
                answer(tablet, step, question, False)
                taps += 1
            elif question.fresh and question.is_asked(today[step.section]):
                answer(tablet, step, question, today[step.section][question.name])
                taps += 1
        tablet.get_by_test_id("stBaseButton-primary").tap()
        taps += 1
    tablet.get_by_role("heading", name=screens.REVIEW_TITLE).wait_for()
    settle(tablet)
    confirm_and_sign(tablet, NAME)
    taps += 2
    tablet.get_by_role("button", name=screens.SUBMIT_BUTTON).tap()
    taps += 1
    tablet.get_by_role("heading", name=screens.THANK_YOU_TITLE).wait_for()
    elapsed = time.monotonic() - started
    print(f"\nReturning walk: {taps} taps (typing the code and the name not counted as taps), {elapsed:.1f} s")

    with Store(Store.default_url(app.data_dir)) as store:
        [second] = [summary.id for summary in store.list_submissions() if summary.id != first]
    staff.get_by_role("button", name=staff_texts.QUEUE_BUTTON).click()
    settle(staff)
    staff.locator(f".st-key-staff-open-{second} button").click()
    staff.get_by_role("heading", name=staff_texts.CHANGED_HEADING).wait_for()
    settle(staff)
    changes = staff.locator('[data-testid="stMarkdownContainer"]').filter(has_text="(Lifestyle and aftercare)")
    assert changes.count() == 1 and "Do you smoke?" in changes.first.inner_text()
    body = staff.locator('[data-testid="stMain"]').inner_text()
    section = body.split(staff_texts.CHANGED_HEADING, 1)[1].split(staff_texts.ANSWERS_HEADING, 1)[0]
    assert sum(section.count(f"({step.title})") for step in STEPS) == 1, f"exactly one change: {section!r}"
    assert YES_NO[True] in section and YES_NO[False] in section
    assert problems == {name: [] for name in problems}
    desk.close()
    tablet_context.close()


def test_five_wrong_codes_pause_the_tablet_even_for_the_right_code(browser, clinic):
    app, patient_id, _ = clinic
    with Store(Store.default_url(app.data_dir)) as store:
        good = store.visits.prepare(patient_id, by=STAFF, at=_moment()).code
    wrong = "000000" if good != "000000" else "111111"
    context = browser.new_context(viewport=PORTRAIT, has_touch=True, is_mobile=True)
    tablet = context.new_page()
    for _ in range(5):
        _type_code(tablet, app.url, wrong)
        tablet.get_by_text(screens.VISIT_CODE_REFUSED).wait_for()
    _type_code(tablet, app.url, good)
    tablet.get_by_text(screens.VISIT_CODE_PAUSED).wait_for()
    assert tablet.get_by_text(screens.LAST_TIME_HEADING).count() == 0
    context.close()
