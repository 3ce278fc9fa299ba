"""Driving the patient wizard in a real browser by touch, as a patient would: shared by
the browser tests of the wizard and of the staff area."""

from __future__ import annotations

from datetime import date

from axe_playwright_python.sync_playwright import Axe

from app.patient.answers import DATE_PARTS, month_names
from app.patient.widgets import widget_key
from real_browser import LANDSCAPE, PORTRAIT, SCREENSHOTS, small_targets
from screener.language.i18n import Words
from screener.clinical.questionnaire import (
    CONSENT_QUESTIONS, FITZPATRICK_TYPES, NONE_OF_THESE, YES_NO, Question, Step,
)
from screener.clinical import consent
from screener.language.screens import CONSENT_TITLE, CONTINUE_TO_CONSENT_BUTTON, NEXT_BUTTON

MAIN = '[data-testid="stMain"]'
SIGNATURE_FRAME = 'iframe[title*="signature_pad"]'
TOUCH_TARGETS = ", ".join([
    "button", '[data-testid="stRadioOption"]', '[data-testid="stCheckbox"] > label', "textarea",
    'input:not([type="radio"]):not([type="checkbox"]):not([role="combobox"])', '[data-testid="stSelectbox"] [role="group"]',
])


AXE = Axe()
ENGLISH = Words()
KEYBOARD_HINTS = r"/Press (Ctrl\+)?Enter/"


# axe-core's default rule set, said outright: the whole document as context, so the page-level rules
# (region, landmark-one-main, bypass, page-has-heading-one) run, and no runOnly, so every rule axe
# enables runs, best practices included, of every impact. The rules of the WCAG 2.0/2.1 A and AA and
# best-practice tags that are neither experimental nor deprecated are all on by default; the run
# reports any that did not run, so a narrower run can never pass for a clean one.
AXE_DEFAULT_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  const ran = new Set([...results.violations, ...results.passes, ...results.incomplete, ...results.inapplicable]
                      .map(rule => rule.id));
  const skipped = axe.getRules(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .filter(rule => !rule.tags.some(tag => ['experimental', 'deprecated'].includes(tag)) && !ran.has(rule.ruleId))
    .map(rule => rule.ruleId);
  return {violations: results.violations, skipped};
}"""


def axe_violations(page) -> list[str]:
    """Every axe-core violation on the page now, of any impact, under axe's default rules (best practices
    included): "rule-id (impact): first targets".

    axe-core 4.12.1 (bundled by axe-playwright-python) is put into the page once: the wizard never reloads it."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.axe_script)
    results = page.evaluate(AXE_DEFAULT_RUN)
    assert results["skipped"] == [], f"axe-core ran fewer rules than its defaults: {results['skipped']}"
    return [f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes'][:3]]}"
            for violation in results["violations"]]


def visible_keyboard_hints(page) -> int:
    return page.locator(f"text={KEYBOARD_HINTS}").filter(visible=True).count()


def screen_problems(page) -> list[str]:
    """What keeps the screen now from being usable by touch and assistive technology, in portrait and in
    landscape: axe-core violations, targets under 44 x 44 px, keyboard hints on screen."""
    problems = []
    for viewport in (PORTRAIT, LANDSCAPE):
        page.set_viewport_size(viewport)
        where = f"{viewport['width']}x{viewport['height']}"
        problems += [f"{where} {problem}" for problem in axe_violations(page) + small_targets(page, TOUCH_TARGETS)]
        if visible_keyboard_hints(page):
            problems.append(f"{where} a keyboard hint is on screen")
    page.set_viewport_size(PORTRAIT)
    return problems


def settle(page) -> None:
    """Wait until the app has finished the rerun a touch started (as Streamlit's own browser tests do),
    and then the move that the rerun's screen makes once drawn (app.patient.style.scroll: to the top or
    to the first message, and showing the messages again after a check): on a slow machine it can come
    well after the run, and a tap or a keystroke meanwhile would race it."""
    page.wait_for_timeout(100)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=15000)
    page.wait_for_function("() => !window.screenerMoving", timeout=15000)


def screenshot(page, name: str) -> None:
    """The whole screen, however long: the viewport is stretched to the content for the picture."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size
    height = page.evaluate(f"() => document.querySelector('{MAIN}').scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], height)})
    page.wait_for_timeout(200)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    page.set_viewport_size(viewport)


def question_block(page, step: Step, question: Question):
    return page.locator(f".st-key-{widget_key(step.section, question.name, 'question')}")


def tap_label(block, text: str) -> None:
    block.get_by_text(text, exact=True).first.tap()


def answer(page, step: Step, question: Question, value, say: Words = ENGLISH) -> None:
    """Give one answer by touch, finding the choices by their words in ``say``'s language."""
    block = question_block(page, step, question)
    block.wait_for()
    if question.kind == "text":
        block.locator("input").fill(value)
        block.locator("input").blur()
    elif question.kind == "date":
        if value is None:
            return
        choose_date(page, step, question, date.fromisoformat(value), say)
    elif question.kind == "number":
        if value is not None:
            field = block.locator('input[type="number"]').first
            field.fill(f"{value:g}")
            field.blur()
    elif question.kind == "multi":
        for choice in value or []:
            tap_label(block, say(question.choices[choice]))
            settle(page)
        if not value:
            tap_label(block, say(NONE_OF_THESE))
    elif question.kind == "long_text":
        tap_label(block, say(YES_NO[bool(value)]))
        if value:
            settle(page)
            block.locator("textarea").fill(value)
            block.locator("textarea").blur()
    elif question.kind == "skin_type":
        tap_label(block, say(FITZPATRICK_TYPES[value]))
    else:
        tap_label(block, say((YES_NO if question.kind == "yes_no" else question.choices)[value]))
    settle(page)


def choose_date(page, step: Step, question: Question, day: date, say: Words = ENGLISH) -> None:
    """Tap the day, the month and the year in turn, each narrowed by typing and then tapped."""
    shown = {"day": str(day.day), "month": month_names(say)[day.month], "year": str(day.year)}
    for part in DATE_PARTS:
        page.locator(f".st-key-{widget_key(step.section, question.name, part)} [role='combobox']").tap()
        page.keyboard.type(shown[part])
        page.get_by_role("option", name=shown[part], exact=True).tap()
        settle(page)


def next_step(page, title: str, say: Words = ENGLISH) -> None:
    """Tap Next and wait for the next screen (``title`` as shown), which must open at its top."""
    page.get_by_test_id("stBaseButton-primary").filter(has_text=say(NEXT_BUTTON)).tap()
    page.get_by_role("heading", name=title, exact=True).wait_for()
    settle(page)
    page.wait_for_function(f"() => document.querySelector('{MAIN}').scrollTop === 0", timeout=5000)


def draw_by_touch(page, frame: str = SIGNATURE_FRAME) -> None:
    """A finger's stroke across the signature pad: touch events through the browser's DevTools protocol
    (as a touch screen sends them, so the pad sees pointer events of type "touch")."""
    pad = page.frame_locator(frame).locator("canvas")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    left, top, width, height = box["x"], box["y"], box["width"], box["height"]
    points = [(left + width * (0.15 + 0.7 * step / 12), top + height * (0.5 + 0.3 * (-1) ** step * (step % 3) / 2))
              for step in range(13)]
    touch = page.context.new_cdp_session(page)
    kinds = ["touchStart"] + ["touchMove"] * (len(points) - 1)
    for kind, (x, y) in zip(kinds, points):
        touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    touch.detach()
    # A tap at once after a stroke sent this way is taken by chromium as part of the same gesture and never
    # reaches the page (the next tap goes through); a finger lifted and moved to a button takes longer.
    page.wait_for_timeout(1500)
    settle(page)


def consent_to_treatment(page, say: Words = ENGLISH, check=lambda page, where: None) -> None:
    """On the consent to the treatment: tick each part as read and agree, by touch; then Next. ``check``
    looks at the screen first (its problems, a screenshot)."""
    words = Words(say.language, "consent")
    page.get_by_role("heading", name=words(consent.TITLE)).wait_for()
    settle(page)
    check(page, "consent to treatment")
    for box in page.get_by_text(words(consent.READ), exact=True).all():
        box.tap()
    page.get_by_text(words(consent.CHOICES["agreed"]), exact=True).tap()
    settle(page)
    page.get_by_test_id("stBaseButton-primary").filter(has_text=say(NEXT_BUTTON)).tap()


def confirm_and_sign(page, signature: str, say: Words = ENGLISH, check=lambda page, where: None) -> None:
    """From the review page: through the consent to the treatment (when it is asked), confirm the answers,
    type the name and draw the signature by touch (not yet sent). ``check`` looks at each screen."""
    page.get_by_role("button", name=say(CONTINUE_TO_CONSENT_BUTTON)).tap()
    treatment = page.get_by_role("heading", name=Words(say.language, "consent")(consent.TITLE))
    signing = page.get_by_role("heading", name=say(CONSENT_TITLE))
    treatment.or_(signing).first.wait_for()
    if treatment.count():
        consent_to_treatment(page, say, check)
    signing.wait_for()
    settle(page)
    page.get_by_text(say(CONSENT_QUESTIONS["answers_confirmed"]), exact=True).tap()
    settle(page)
    page.get_by_test_id("stTextInputField").fill(signature)
    page.get_by_test_id("stTextInputField").blur()
    settle(page)
    if page.locator(SIGNATURE_FRAME).count():
        draw_by_touch(page)
        settle(page)


def cut_off(page) -> list[str]:
    """What is cut off on the screen now: the page wider than the screen, or a visible button, label,
    heading or paragraph whose words overflow their box (hidden or clipped)."""
    return page.evaluate("""() => {
        const found = [];
        if (document.documentElement.scrollWidth > window.innerWidth + 1) {
            found.push(`page ${document.documentElement.scrollWidth}px wide on a ${window.innerWidth}px screen`);
        }
        for (const element of document.querySelectorAll(
                '[data-testid="stMain"] :is(button, label, p, h1, h2, h3, [role="combobox"], [role="progressbar"])')) {
            if (element.offsetParent === null) continue;
            if (element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== "visible") {
                found.push(`${element.tagName} "${element.innerText.trim().slice(0, 40)}" ` +
                           `${element.scrollWidth}px of text in ${element.clientWidth}px`);
            }
        }
        return found;
    }""")
