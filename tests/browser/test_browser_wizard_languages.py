"""The wizard in Spanish and in Chinese in a real browser: Debian's chromium on an 800 x 1280 tablet.

- The welcome offers each language by its own name as large buttons; with them on screen, axe-core
  finds no violation and every target is at least 44 x 44 CSS pixels, in portrait and landscape.
- A patient who taps "Español" (or "中文（简体）") completes every step by touch in that language; on
  every screen nothing is cut off and every target is at least 44 x 44 px; the language switch
  beside the text size passes axe-core too. The record is stored with the patient's language.
- Screenshots of every screen go to artifacts/screenshots/ (``lang-es-…``, ``lang-zh-Hans-…``).
"""

from __future__ import annotations

import pytest

from app.patient.answers import implied_answers
from real_browser import PORTRAIT, small_targets
from factories import everything_answers
from screener.language.i18n import LANGUAGE_NAMES, Words
from screener.clinical.questionnaire import CONSENT_STATEMENT, STEPS
from screener.language.screens import REVIEW_TITLE, START_BUTTON, SUBMIT_BUTTON, THANK_YOU_TITLE, WELCOME_TITLE
from screener.storage import Store
from wizard_walk import (
    TOUCH_TARGETS, answer, confirm_and_sign, cut_off, next_step, screen_problems, screenshot, settle,
)

pytestmark = pytest.mark.browser


def _layout(page) -> list[str]:
    return cut_off(page) + small_targets(page, TOUCH_TARGETS)


@pytest.mark.parametrize("language", ["es", "zh-Hans"])
def test_a_patient_completes_the_wizard_in_their_language_by_touch(browser, app_server, language):
    say, answers = Words(language), everything_answers()
    context = browser.new_context(viewport=PORTRAIT, has_touch=True, is_mobile=True)
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    page.goto(app_server.url)
    page.get_by_role("heading", name=WELCOME_TITLE).wait_for()
    settle(page)
    for code in ("en", "es", "zh-Hans"):  # drawn just after the heading: wait for each, under load too
        page.get_by_role("button", name=LANGUAGE_NAMES[code], exact=True).wait_for(state="visible", timeout=30000)
    problems["welcome, English"] = screen_problems(page) + cut_off(page)

    page.get_by_role("button", name=LANGUAGE_NAMES[language], exact=True).tap()
    page.get_by_role("heading", name=say(WELCOME_TITLE)).wait_for()
    settle(page)
    assert page.evaluate("() => document.documentElement.lang") == language
    screenshot(page, f"lang-{language}-00-welcome")
    problems["welcome"] = screen_problems(page) + cut_off(page)
    page.get_by_role("button", name=say(START_BUTTON)).tap()
    page.get_by_role("heading", name=say(STEPS[0].title), exact=True).wait_for()
    settle(page)
    problems["first step, with the language switch"] = screen_problems(page)

    for number, step in enumerate(STEPS, start=1):
        not_asked = implied_answers(step, answers)
        for question in step.questions:
            if question.is_asked(answers[step.section]) and question.name not in not_asked:
                answer(page, step, question, answers[step.section].get(question.name), say)
        screenshot(page, f"lang-{language}-{number:02d}-{step.section}")
        problems[step.section] = _layout(page)
        next_step(page, say(STEPS[number].title if number < len(STEPS) else REVIEW_TITLE), say)

    screenshot(page, f"lang-{language}-12-review")
    problems["review"] = _layout(page)
    confirm_and_sign(page, answers["consent"]["signature"], say)
    screenshot(page, f"lang-{language}-13-consent")
    problems["consent"] = _layout(page)
    page.get_by_role("button", name=say(SUBMIT_BUTTON)).tap()
    page.get_by_role("heading", name=say(THANK_YOU_TITLE)).wait_for()
    settle(page)
    screenshot(page, f"lang-{language}-14-thank-you")
    problems["thank-you"] = _layout(page)
    context.close()

    assert {screen: found for screen, found in problems.items() if found} == {}
    with Store(Store.default_url(app_server.data_dir)) as store:
        records = [store.get_submission(summary.id) for summary in store.list_submissions()]
    [record] = [record for record in records if record.capture.language == language]
    assert record.intake.patient.full_name == answers["patient"]["full_name"]
    assert record.capture.consent_statement == say(CONSENT_STATEMENT) != CONSENT_STATEMENT
