"""The patient wizard in a real browser: Debian's chromium on a 10-inch tablet's viewport.

- A patient completes every step by touch in portrait, ticks each part of the consent to the treatment,
  agrees and signs with a stroke drawn by touch; the record and the consent land in the database, and
  the drawn signature shows in the countersigned consent's PDF (looked at as an image).
- Every screen (each step empty, with its messages and filled; the review, the consent, the
  thank-you), in portrait and in landscape: axe-core finds no violation of any impact, every
  visible button, choice, checkbox and field is at least 44 x 44 CSS pixels, and no keyboard
  hint ("Press Enter to apply") is on screen.
- A message under a text field goes as soon as the field holds an answer, while typing; a
  message under a height or weight goes while a value the server accepts is typed and comes
  back while one it refuses is, to the last decimal of each bound, in every unit; a message
  hidden while typing is shown again when Next finds the answer still wrong.
- A date is chosen by touch as day, month and year, and nothing covers the next question.
- A patient whose sex at birth is male is not asked about pregnancy, breastfeeding or a birth.
- A pull-down on the page does not reload it: the answers stay.
- Screenshots of each step go to artifacts/screenshots/ (portrait, and landscape).
- Nothing of the patient is left after reloading, after the thank-you, or after idling,
  and nothing of the patient appears in the server's log.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import groupby

import pytest
from playwright.sync_api import expect

from app.patient.answers import implied_answers
from app.patient.widgets import widget_key
from real_browser import LANDSCAPE, PORTRAIT, running_app, small_targets
from factories import everything_answers, healthy_answers, with_answer
from pdf_pictures import dark_marks_only_in
from screener.clinical.consent import GROUPS
from screener.clinical.models import text_limit
from screener.documents.consent import consent_renderer
from screener.language.screens import (
    NEXT_BUTTON, REVIEW_TITLE, START_BUTTON, SUBMIT_BUTTON, THANK_YOU_TITLE, UNIT_NAMES, WELCOME_TITLE,
)
from screener.clinical.questionnaire import STEPS
from screener.storage import Store
from unit_cases import BOUNDARIES, MESSAGES
from wizard_walk import (
    TOUCH_TARGETS, answer, choose_date, confirm_and_sign, next_step, question_block, screen_problems, screenshot, settle,
    tap_label, visible_keyboard_hints,
)

pytestmark = pytest.mark.browser

def test_a_patient_completes_the_wizard_by_touch_in_portrait(browser, app_server, tmp_path):
    answers = everything_answers()
    context = browser.new_context(viewport=PORTRAIT, has_touch=True, is_mobile=True)
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    page.goto(app_server.url)
    page.get_by_role("button", name=START_BUTTON).wait_for()
    settle(page)
    screenshot(page, "00-welcome")
    problems["welcome"] = screen_problems(page)
    page.get_by_role("button", name=START_BUTTON).tap()
    page.get_by_role("heading", name=STEPS[0].title).wait_for()
    settle(page)

    for number, step in enumerate(STEPS, start=1):
        problems[f"{step.section} empty"] = screen_problems(page)
        page.get_by_test_id("stBaseButton-primary").filter(has_text=NEXT_BUTTON).tap()
        page.get_by_test_id("stAlertContentError").first.wait_for()
        settle(page)
        expect(page.get_by_test_id("stAlertContentError").first).to_be_in_viewport()
        problems[f"{step.section} with messages"] = screen_problems(page)
        if number == 1:
            screenshot(page, "01-patient-messages")
        for question in step.questions:
            if question.is_asked(answers[step.section]):
                answer(page, step, question, answers[step.section].get(question.name))
        screenshot(page, f"{number:02d}-{step.section}")
        problems[f"{step.section} filled"] = screen_problems(page)
        next_step(page, STEPS[number].title if number < len(STEPS) else REVIEW_TITLE)

    screenshot(page, "12-review")
    problems["review"] = screen_problems(page)
    name = answers["patient"]["full_name"]
    assert page.get_by_text(name, exact=True).count() == 1, "the name is echoed literally, once"
    def look(page, where):
        screenshot(page, "13-consent-to-treatment")
        problems[where] = screen_problems(page)

    confirm_and_sign(page, answers["consent"]["signature"], check=look)
    screenshot(page, "13-consent")
    problems["consent"] = screen_problems(page)
    page.get_by_role("button", name=SUBMIT_BUTTON).tap()
    page.get_by_role("heading", name=THANK_YOU_TITLE).wait_for()
    settle(page)
    screenshot(page, "14-thank-you")
    problems["thank-you"] = screen_problems(page)

    assert {screen: found for screen, found in problems.items() if found} == {}
    with Store(Store.default_url(app_server.data_dir)) as store:
        [summary] = store.list_submissions()
        stored = store.get_submission(summary.id)
    assert stored.intake.patient.full_name == name
    assert stored.intake.allergies.other == answers["allergies"]["other"]
    assert stored.intake.medications.other == answers["medications"]["other"]
    with Store(Store.default_url(app_server.data_dir)) as store:
        consent = store.consents.for_submission(stored.id)
        assert consent.decision == "agreed" and set(consent.read) == {group.key for group in GROUPS}
        assert consent.signature_png.startswith(b"\x89PNG"), "the stroke drawn by touch is kept"
        signed = store.consents.countersign(consent.id, by="Ada Example (ada)", at=stored.submitted_at, answer="",
                                            render=consent_renderer(stored.intake)).pdf
    unsigned = consent_renderer(stored.intake)(replace(consent, signature_png=None), "Ada Example (ada)",
                                               stored.submitted_at, "")
    marks = dark_marks_only_in(signed, unsigned, tmp_path)
    assert marks and all(darkest < 80 for _, darkest in marks), "the drawn signature shows in the PDF"

    for leave_and_return in (page.go_back, page.go_forward, page.reload):
        leave_and_return()
        assert name not in page.content()
    page.get_by_role("button", name=START_BUTTON).wait_for()
    context.close()
    log = app_server.log_text()
    for typed in (name, "Penicillin", "Metformin", answers["consent"]["signature"]):
        assert typed not in log


def _on_first_step(browser, app_server, viewport=PORTRAIT):
    context = browser.new_context(viewport=viewport, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(app_server.url)
    page.get_by_role("button", name=START_BUTTON).tap()
    page.get_by_role("heading", name=STEPS[0].title).wait_for()
    settle(page)
    return context, page


def test_a_message_goes_while_the_answer_is_typed(browser, app_server):
    context, page = _on_first_step(browser, app_server)
    name = question_block(page, STEPS[0], STEPS[0].question("full_name"))
    page.get_by_test_id("stBaseButton-primary").filter(has_text=NEXT_BUTTON).tap()
    message = name.get_by_test_id("stAlert")
    expect(message).to_be_visible()
    name.locator("input").tap()
    page.keyboard.type("Al")
    expect(message).to_be_hidden()
    assert name.locator("input").evaluate("field => field === document.activeElement"), "still typing"
    assert visible_keyboard_hints(page) == 0
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    expect(message).to_be_visible()
    context.close()


def test_a_message_hidden_while_typing_is_shown_again_when_next_finds_the_answer_still_wrong(browser, app_server):
    context, page = _on_first_step(browser, app_server)
    name = question_block(page, STEPS[0], STEPS[0].question("full_name"))
    too_long = "A" * (text_limit("patient", "full_name") + 5)
    answer(page, STEPS[0], STEPS[0].question("full_name"), too_long)
    page.get_by_test_id("stBaseButton-primary").filter(has_text=NEXT_BUTTON).tap()
    settle(page)
    message = name.get_by_test_id("stAlert")
    expect(message).to_be_visible()
    name.locator("input").fill(too_long + "A")
    expect(message).to_be_hidden()
    page.get_by_test_id("stBaseButton-primary").filter(has_text=NEXT_BUTTON).tap()
    settle(page)
    expect(message).to_be_visible()
    expect(message).to_be_in_viewport()
    context.close()


def _still_typing(field) -> bool:
    return field.evaluate("field => field === document.activeElement")


def _box(block, question, unit: str, part: str):
    """The box of one part (feet, inches...) of a height or weight in ``unit``."""
    key = widget_key("patient", question.name, *((unit, part) if unit != question.unit else ()))
    return block.locator(f".st-key-{key} input")


def test_a_height_or_weight_message_follows_what_is_typed_before_leaving_the_field(browser, app_server):
    """A missing weight's message goes as a weight is typed. Then for each bound in each unit: the first
    value outside it (with the part before, as feet before inches) gets the plain message at Next;
    typed in the last box without leaving it, each value inside the range hides the message and each
    outside shows it again, as the server decides, even where arithmetic in floats would not."""
    context, page = _on_first_step(browser, app_server)
    patient = STEPS[0]
    height, weight = patient.question("height_cm"), patient.question("weight_kg")
    answer(page, patient, height, 170.0)
    page.get_by_test_id("stBaseButton-primary").filter(has_text=NEXT_BUTTON).tap()
    settle(page)
    block = question_block(page, patient, weight)
    message = block.get_by_test_id("stAlert")
    expect(message).to_be_visible()
    box = _box(block, weight, "kg", "kg")
    box.tap()
    page.keyboard.type("70")
    expect(message).to_be_hidden()
    expect(message).to_have_count(1)
    assert _still_typing(box), "the message went before the field was left"
    box.fill("")
    expect(message).to_be_visible()
    assert _still_typing(box)

    for (name, unit, _), cases in groupby(BOUNDARIES, key=lambda case: (*case[:2], list(case[2].items())[:-1])):
        cases = list(cases)
        question, block = patient.question(name), question_block(page, patient, patient.question(name))
        if unit != question.unit:
            tap_label(block, UNIT_NAMES[unit])
            settle(page)
        refused = next(parts for *_, parts, accepted in cases if not accepted)
        for part, value in refused.items():
            _box(block, question, unit, part).fill(str(value))
            _box(block, question, unit, part).blur()
            settle(page)
        page.get_by_test_id("stBaseButton-primary").filter(has_text=NEXT_BUTTON).tap()
        settle(page)
        message = block.get_by_test_id("stAlert")
        expect(message.locator("p")).to_have_text(MESSAGES[unit])
        last = list(refused)[-1]
        box = _box(block, question, unit, last)
        for *_, parts, accepted in cases:
            box.fill(str(parts[last]))
            if accepted:
                expect(message).to_be_hidden()
            else:
                expect(message).to_be_visible()
            expect(message).to_have_count(1)
            assert _still_typing(box), f"{parts} was judged before the field was left"
    assert screen_problems(page) == [], "the step with a height and a weight message, in portrait and landscape"
    context.close()


def test_a_date_is_chosen_by_touch_and_covers_nothing(browser, app_server):
    context, page = _on_first_step(browser, app_server)
    patient = STEPS[0]
    choose_date(page, patient, patient.question("date_of_birth"), date(1984, 3, 9))
    expect(page.get_by_role("listbox")).to_have_count(0)
    tap_label(question_block(page, patient, patient.question("sex_at_birth")), "Female")
    settle(page)
    expect(page.get_by_role("radio", name="Female")).to_be_checked()
    context.close()


def test_a_male_patient_is_not_asked_about_pregnancy(browser, app_server):
    context, page = _on_first_step(browser, app_server, LANDSCAPE)
    values = with_answer(healthy_answers(), "patient.sex_at_birth", "male")
    for number, step in enumerate(STEPS[:4], start=1):
        skipped = implied_answers(step, values)
        for question in step.questions:
            if question.is_asked(values[step.section]) and question.name not in skipped:
                answer(page, step, question, values[step.section].get(question.name))
        if step.section == "reproductive":
            for name in ("pregnancy", "breastfeeding", "gave_birth_last_3_months"):
                expect(question_block(page, step, step.question(name))).to_have_count(0)
            expect(question_block(page, step, step.question("hormonal_medication"))).to_be_visible()
        next_step(page, STEPS[number].title)
    context.close()


def test_a_pull_down_does_not_reload_the_page(browser, app_server):
    context, page = _on_first_step(browser, app_server)
    answer(page, STEPS[0], STEPS[0].question("full_name"), "Pull Testperson")
    page.evaluate("() => { window.notReloaded = true; }")
    assert page.evaluate("() => getComputedStyle(document.documentElement).overscrollBehaviorY") == "none"
    assert page.evaluate("() => getComputedStyle(document.body).overscrollBehaviorY") == "none"
    touch = context.new_cdp_session(page)
    for kind, y in (("touchStart", 200), *(("touchMove", 200 + step * 60) for step in range(1, 11)), ("touchEnd", 800)):
        points = [] if kind == "touchEnd" else [{"x": 400, "y": y}]
        touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})
    settle(page)
    assert page.evaluate("() => window.notReloaded === true")
    assert question_block(page, STEPS[0], STEPS[0].question("full_name")).locator("input").input_value() == (
        "Pull Testperson")
    context.close()


def test_the_wizard_in_landscape(browser, app_server):
    context, page = _on_first_step(browser, app_server, viewport=LANDSCAPE)
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
    with running_app(tmp_path / "idle", env={"SCREENER_IDLE_MINUTES": "0.1"}) as app:
        context = browser.new_context(viewport=PORTRAIT, has_touch=True)
        page = context.new_page()
        page.goto(app.url)
        page.get_by_role("button", name=START_BUTTON).tap()
        answer(page, STEPS[0], STEPS[0].questions[0], "Idle Testperson")
        page.get_by_role("heading", name=WELCOME_TITLE).wait_for(timeout=20000)
        assert "Idle Testperson" not in page.content()
        page.get_by_role("button", name=START_BUTTON).tap()
        page.get_by_role("heading", name=STEPS[0].title).wait_for()
        settle(page)
        assert question_block(page, STEPS[0], STEPS[0].questions[0]).locator("input").input_value() == ""
        context.close()
