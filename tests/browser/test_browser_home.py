"""Answering at home in a real browser, on a phone's screen (390x844), through the example nginx proxy with TLS.

- A patient opens their invitation's link, confirms their date of birth, answers two steps and closes the
  browser; in a new browser (nothing shared but the server) the same link and date of birth open the third
  step, and finishing and signing stores a submission answered at home, of the invitation's patient, holding
  the two steps answered in the first browser. The staff queue lists it marked "Answered at home" (its badge:
  tests/app/test_staff_invitations_app.py).
- axe-core finds no violation on the date of birth screen and a step, on the phone and on a desktop's screen
  (1280x800); every visible target is at least 44 x 44 CSS pixels; nothing is wider than the phone.
- Nothing the patient typed is in the app's log or the proxy's, and the browser keeps no answer in its storage.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from factories import healthy_answers, with_answer
from home_proxy import published_home
from playwright.sync_api import expect
from real_browser import small_targets

from app.home import page as home_page
from app.patient.answers import DATE_PARTS, month_names
from screener.clinical.questionnaire import STEPS
from screener.language import screens
from screener.language.i18n import Words
from screener.language.screens import REVIEW_TITLE, SUBMIT_BUTTON, THANK_YOU_TITLE
from screener.storage import Store
from wizard_walk import (
    TOUCH_TARGETS, answer, axe_violations, confirm_and_sign, cut_off, next_step, settle,
)

pytestmark = pytest.mark.browser

PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}
CLINIC = "Clínica Venas Claras"
NAME, BIRTH = "Hortensia Homeworth", date(1986, 7, 23)
ANSWERS = with_answer(with_answer(with_answer(healthy_answers(), "patient.full_name", NAME), "patient.date_of_birth",
                                  BIRTH.isoformat()), "medications.other", "Quillwort drops at night")
PREFILLED = {"full_name", "date_of_birth"}  # the clinic's invitation filled them in


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("home-browser") / "data"
    Store(Store.default_url(data_dir)).dispose()
    with published_home(data_dir, {"SCREENER_CLINIC_NAME": CLINIC}) as published:
        yield published


def problems_here(page) -> list[str]:
    """axe-core's violations and small targets on the phone and on a desktop; cut-off words on the phone."""
    found = []
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        settle(page)
        where = f"{viewport['width']}x{viewport['height']}"
        found += [f"{where} {problem}" for problem in axe_violations(page) + small_targets(page, TOUCH_TARGETS)]
    page.set_viewport_size(PHONE)
    settle(page)
    return found + [f"phone {problem}" for problem in cut_off(page)]


def open_with_birth_date(browser, link: str):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, ignore_https_errors=True)
    page = context.new_page()
    page.goto(link)
    page.get_by_role("heading", name=Words()(screens.HOME_BIRTH_TITLE)).wait_for()
    settle(page)
    shown = {"day": str(BIRTH.day), "month": month_names()[BIRTH.month], "year": str(BIRTH.year)}
    for part in DATE_PARTS:
        page.locator(f".st-key-{home_page.BIRTH_KEYS[part]} [role='combobox']").tap()
        page.keyboard.type(shown[part])
        page.get_by_role("option", name=shown[part], exact=True).tap()
        settle(page)
    return context, page


def answer_step(page, number: int) -> None:
    step = STEPS[number]
    for question in step.questions:
        if question.name not in PREFILLED and question.is_asked(ANSWERS[step.section]):
            answer(page, step, question, ANSWERS[step.section].get(question.name))
    next_step(page, STEPS[number + 1].title if number + 1 < len(STEPS) else REVIEW_TITLE)


def test_a_patient_answers_two_steps_on_a_phone_and_finishes_in_another_browser(browser, home):
    with Store(Store.default_url(home.app.data_dir)) as store:
        patient = store.patients.add(NAME, BIRTH, by="ada", at=datetime.now(timezone.utc))
        token = store.invitations.make(NAME, BIRTH, by="ada", at=datetime.now(timezone.utc),
                                       patient_id=patient.id).token
    link = f"{home.url}/home/?t={token}"
    problems: dict[str, list[str]] = {}

    first, page = open_with_birth_date(browser, link)
    problems["date of birth"] = problems_here(page)
    page.get_by_role("button", name=Words()(screens.HOME_BIRTH_CONTINUE)).tap()
    page.get_by_role("heading", name=STEPS[0].title, exact=True).wait_for()
    settle(page)
    # The name the clinic gave, for the patient to check (waited for: the step's heading can come a moment before it)
    expect(page.get_by_test_id("stTextInputField").first).to_have_value(NAME, timeout=15_000)
    problems["first step"] = problems_here(page)
    answer_step(page, 0)
    answer_step(page, 1)
    stored_in_browser = page.evaluate("""() => JSON.stringify([Object.entries(localStorage),
                                                               Object.entries(sessionStorage), document.cookie])""")
    first.close()

    second, page = open_with_birth_date(browser, link)
    page.get_by_role("button", name=Words()(screens.HOME_BIRTH_CONTINUE)).tap()
    page.get_by_role("heading", name=STEPS[2].title, exact=True).wait_for()  # where the first browser stopped
    settle(page)
    for number in range(2, len(STEPS)):
        answer_step(page, number)
    assert page.get_by_text(ANSWERS["medications"]["other"], exact=True).count() == 1
    confirm_and_sign(page, NAME)
    page.get_by_role("button", name=SUBMIT_BUTTON).tap()
    page.get_by_role("heading", name=THANK_YOU_TITLE).wait_for()
    settle(page)
    assert page.get_by_text(Words()(screens.HOME_THANK_YOU_TEXT, clinic=CLINIC), exact=True).count() == 1
    second.close()

    assert {screen: found for screen, found in problems.items() if found} == {}
    for typed in (NAME, "Hortensia", str(BIRTH.year), ANSWERS["patient"]["sex_at_birth"]):  # Streamlit's own keys only
        assert typed not in stored_in_browser, stored_in_browser
    with Store(Store.default_url(home.app.data_dir)) as store:
        [summary] = store.list_submissions()
        stored = store.get_submission(summary.id)
    assert (summary.visit_kind, stored.patient_id) == ("home", patient.id)
    first_two = {step.section for step in STEPS[:2]}
    intake = stored.intake.model_dump(mode="json")
    for section in first_two:
        for name, value in ANSWERS[section].items():
            if name in intake[section] and not isinstance(value, dict):
                assert intake[section][name] == value, (section, name)
    for log in (home.app.log_text(), home.access_log.read_text(encoding="utf-8")):
        for typed in (NAME, ANSWERS["medications"]["other"], token):
            assert typed not in log
