"""The patient wizard in a real browser: Debian's chromium on a 10-inch tablet's viewport.

- A patient completes every step by touch in portrait; the record lands in the database.
- Every visible button, choice, checkbox and field is at least 44 x 44 CSS pixels.
- Screenshots of each step go to artifacts/screenshots/ (portrait, and landscape).
- Nothing of the patient is left after reloading, after the thank-you, or after idling,
  and nothing of the patient appears in the server's log.
"""

from __future__ import annotations


import pytest
from playwright.sync_api import expect

from browser import LANDSCAPE, PORTRAIT, running_app, small_targets
from factories import everything_answers
from screener.questionnaire import (
    NEXT_BUTTON, START_BUTTON, STEPS, SUBMIT_BUTTON, THANK_YOU_TITLE, WELCOME_TITLE,
)
from screener.storage import Store

from wizard_walk import confirm_and_sign, TOUCH_TARGETS, answer, next_step, question_block, screenshot, settle

pytestmark = pytest.mark.browser

def test_a_patient_completes_the_wizard_by_touch_in_portrait(browser, app_server):
    answers = everything_answers()
    context = browser.new_context(viewport=PORTRAIT, has_touch=True, is_mobile=True)
    page = context.new_page()
    too_small: dict[str, list[str]] = {}
    page.goto(app_server.url)
    page.get_by_role("button", name=START_BUTTON).wait_for()
    settle(page)
    screenshot(page, "00-welcome")
    too_small["welcome"] = small_targets(page, TOUCH_TARGETS)
    page.get_by_role("button", name=START_BUTTON).tap()
    page.get_by_role("heading", name=STEPS[0].title).wait_for()
    settle(page)

    for question in STEPS[0].questions[1:]:  # all but the name, which stands at the top
        answer(page, STEPS[0], question, answers["patient"].get(question.name))
    page.get_by_test_id("stBaseButton-primary").filter(has_text=NEXT_BUTTON).tap()
    page.get_by_text("This cannot be left blank.").wait_for()
    settle(page)
    expect(page.get_by_test_id("stAlertContentError").first).to_be_in_viewport()
    screenshot(page, "01-patient-missing-name")

    for number, step in enumerate(STEPS, start=1):
        for question in step.questions:
            if question.is_asked(answers[step.section]):
                answer(page, step, question, answers[step.section].get(question.name))
        screenshot(page, f"{number:02d}-{step.section}")
        too_small[step.section] = small_targets(page, TOUCH_TARGETS)
        next_step(page, STEPS[number].title if number < len(STEPS) else "Check your answers")

    screenshot(page, "12-review")
    too_small["review"] = small_targets(page, TOUCH_TARGETS)
    name = answers["patient"]["full_name"]
    assert page.get_by_text(name, exact=True).count() == 1, "the name is echoed literally, once"
    confirm_and_sign(page, answers["consent"]["signature"])
    screenshot(page, "13-consent")
    too_small["consent"] = small_targets(page, TOUCH_TARGETS)
    page.get_by_role("button", name=SUBMIT_BUTTON).tap()
    page.get_by_role("heading", name=THANK_YOU_TITLE).wait_for()
    settle(page)
    screenshot(page, "14-thank-you")

    assert {screen: targets for screen, targets in too_small.items() if targets} == {}
    with Store(Store.default_url(app_server.data_dir)) as store:
        [summary] = store.list_submissions()
        stored = store.get_submission(summary.id)
    assert stored.intake.patient.full_name == name
    assert stored.intake.allergies.other == answers["allergies"]["other"]
    assert stored.intake.medications.other == answers["medications"]["other"]

    for leave_and_return in (page.go_back, page.go_forward, page.reload):
        leave_and_return()
        assert name not in page.content()
    page.get_by_role("button", name=START_BUTTON).wait_for()
    context.close()
    log = app_server.log_text()
    for typed in (name, "Penicillin", "Metformin", answers["consent"]["signature"]):
        assert typed not in log


def test_the_wizard_in_landscape(browser, app_server):
    context = browser.new_context(viewport=LANDSCAPE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(app_server.url)
    page.get_by_role("button", name=START_BUTTON).tap()
    page.get_by_role("heading", name=STEPS[0].title).wait_for()
    settle(page)
    screenshot(page, "landscape-01-patient")
    assert small_targets(page, TOUCH_TARGETS) == []
    context.close()


def test_reloading_the_page_starts_blank(browser, app_server):
    context = browser.new_context(viewport=PORTRAIT, has_touch=True)
    page = context.new_page()
    page.goto(app_server.url)
    page.get_by_role("button", name=START_BUTTON).tap()
    answer(page, STEPS[0], STEPS[0].questions[0], "Reload Testperson")
    page.reload()
    page.get_by_role("button", name=START_BUTTON).tap()
    page.get_by_role("heading", name=STEPS[0].title).wait_for()
    settle(page)
    assert question_block(page, STEPS[0], STEPS[0].questions[0]).locator("input").input_value() == ""
    context.close()


def test_an_abandoned_session_is_cleared_while_the_page_stays_open(browser, tmp_path):
    with running_app(tmp_path / "idle", env={"SCREENER_IDLE_MINUTES": "0.05"}) as app:
        context = browser.new_context(viewport=PORTRAIT, has_touch=True)
        page = context.new_page()
        page.goto(app.url)
        page.get_by_role("button", name=START_BUTTON).tap()
        answer(page, STEPS[0], STEPS[0].questions[0], "Idle Testperson")
        page.get_by_role("heading", name=WELCOME_TITLE).wait_for(timeout=15000)
        assert "Idle Testperson" not in page.content()
        page.get_by_role("button", name=START_BUTTON).tap()
        page.get_by_role("heading", name=STEPS[0].title).wait_for()
        settle(page)
        assert question_block(page, STEPS[0], STEPS[0].questions[0]).locator("input").input_value() == ""
        context.close()
