"""The staff area in a real browser, beside a patient: Debian's chromium, several browser contexts.

- A patient completes the wizard by touch on a tablet; the patient page has no way
  into the staff area.
- On another context (a desk), /staff asks for a username and password; staff sign in,
  see the patient in the queue and open the submission. No PDF is requested before
  Download; the downloaded bytes are exactly ``render_pdf`` of the stored record, and
  the sign-in, view and download are on the audit trail under the account.
- After sign-out, and after idle expiry, the PDF's address answers a request without
  the session's cookies with no PDF within 5 seconds.
- Thirty browser contexts press Sign in at once with wrong passwords for one username:
  at most five are checked, the rest are told to wait; the right password is refused
  during the pause and accepted after it.
- The FHIR bundle downloads the same way: no request before Download, exactly
  ``submission_bundle_json`` of the stored record, audited, its address dead within 5 s of
  sign-out.
- The sign-in, the queue (with long decision badges and a long name), a Spanish
  submission with flags and the patient's own words (opened by an administrator and by a
  clinician) and the audit trail, at 800x1280 and 1280x800: axe-core with its default rules,
  best practices included, finds no violation of any impact, nothing is cut off with an
  ellipsis, no Open button sticks out of its row, every target is at least 44 x 44 px, and
  the audit table's toolbar does not cover its selectors.
- Screenshots of the sign-in, the queue and the submission go to artifacts/screenshots/.
"""

from __future__ import annotations

import time
import urllib.error
from datetime import datetime, timezone
import urllib.request
from urllib.parse import urlsplit

import pytest
from factories import AS_OF, everything_answers, healthy_answers, intake_of, with_answer
from staff_driver import PASSWORD, STAFF, add_account, save

from app.staff import staff_texts
from real_browser import LANDSCAPE, PORTRAIT, SCREENSHOTS, running_app, small_targets
from screener import assess, render_pdf
from screener.fhir import submission_bundle_json
from screener.language.screens import START_BUTTON, SUBMIT_BUTTON, THANK_YOU_TITLE
from screener.clinical.questionnaire import STEPS
from screener.storage.staff_auth import DEFAULT_THROTTLE
from screener.storage import Store
from screener.language.wording import capture_for
# The wizard engineer's touch helpers: one way of answering the wizard for every browser test.
from wizard_walk import (
    TOUCH_TARGETS, answer, axe_violations, confirm_and_sign, cut_off, next_step, screenshot, settle,
)

pytestmark = pytest.mark.browser

PDF_GONE_WITHIN_SECONDS = 5.0
PAGE_LOAD_TIMEOUT_MS = 180_000  # 31 Streamlit sessions starting at once on two shared cores


@pytest.fixture(scope="module")
def desk_app(tmp_path_factory):
    """One app server for the tests that need no special settings, with the account ``ada``."""
    with running_app(tmp_path_factory.mktemp("desk") / "data") as app:
        with Store(Store.default_url(app.data_dir)) as store:
            add_account(store)
        yield app


def _store(app) -> Store:
    return Store(Store.default_url(app.data_dir))


def _sign_in(page, url: str, username: str = STAFF, password: str = PASSWORD) -> None:
    page.goto(f"{url}/staff")
    page.get_by_label(staff_texts.USERNAME_LABEL, exact=True).fill(username)
    page.get_by_label(staff_texts.PASSWORD_LABEL, exact=True).fill(password)
    page.get_by_role("button", name=staff_texts.SIGN_IN_BUTTON).click()


def _serves_the_file(address: str, starts: bytes = b"%PDF-") -> bool:
    """Whether a plain request, with no cookies at all, gets the file (a PDF unless told) from ``address``."""
    try:
        with urllib.request.urlopen(address, timeout=5) as response:
            return response.read(len(starts)) == starts
    except urllib.error.HTTPError:
        return False


def _stops_serving(address: str, within: float = PDF_GONE_WITHIN_SECONDS, starts: bytes = b"%PDF-") -> bool:
    deadline = time.monotonic() + within
    while _serves_the_file(address, starts):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


CLINICIAN = "cleo"
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


def test_staff_sign_in_and_download_the_pdf_of_a_patient_who_just_submitted(browser, desk_app):
    answers = _patient_answers()
    app = desk_app
    tablet = browser.new_context(viewport=PORTRAIT, has_touch=True, is_mobile=True)
    _complete_the_wizard(tablet.new_page(), app.url, answers)
    tablet.close()

    desk = browser.new_context(viewport=LANDSCAPE, accept_downloads=True)
    page = desk.new_page()
    media_requests: list[str] = []
    page.on("request", lambda request: media_requests.append(request.url)
            if urlsplit(request.url).path.startswith("/media/") else None)
    page.goto(f"{app.url}/staff")
    page.get_by_role("button", name=staff_texts.SIGN_IN_BUTTON).wait_for()
    settle(page)
    assert "No secrets" not in page.content() and "secrets.toml" not in page.inner_text("body")
    screenshot(page, "staff-00-sign-in")
    _sign_in(page, app.url)
    page.get_by_role("heading", name="Review queue").wait_for()
    settle(page)
    assert page.get_by_text(PATIENT, exact=True).count() == 1, "the name is shown literally"
    screenshot(page, "staff-01-queue")

    with _store(app) as store:
        [summary] = store.list_submissions(name_contains=PATIENT)
    page.locator(f".st-key-staff-open-{summary.id} button").click()
    page.get_by_role("button", name="Download PDF summary").wait_for()
    settle(page)
    assert page.locator(".st-key-staff-own-words").get_by_text(MEDICINES, exact=True).count() == 1, "at the top"
    assert page.get_by_text(MEDICINES, exact=True).count() == 2, "and among the answers, as typed"
    screenshot(page, "staff-02-submission")
    assert media_requests == [], "no PDF leaves the server before Download"
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF summary").click()
    downloaded = download_info.value
    pdf = open(downloaded.path(), "rb").read()
    settle(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name=staff_texts.FHIR_BUTTON).click()
    bundle = download_info.value
    fhir = open(bundle.path(), "rb").read()
    settle(page)
    page.get_by_role("button", name="Audit trail").click()
    page.get_by_role("heading", name="Audit trail").wait_for()
    page.locator('[data-testid="stDataFrame"]').wait_for()
    settle(page)
    screenshot(page, "staff-03-audit-trail")
    page.get_by_role("button", name=staff_texts.SIGN_OUT_BUTTON).click()
    assert _stops_serving(downloaded.url), "the PDF's address answers no one within 5 s of sign-out"
    assert _stops_serving(bundle.url, starts=b"{"), "nor the FHIR bundle's"
    desk.close()

    with _store(app) as store:
        stored = store.get_submission(summary.id)
        actions = [(event.action, event.staff) for event in reversed(store.audit_events())]
    log = app.log_text()

    assert pdf[:5] == b"%PDF-" and pdf == render_pdf(stored.intake, stored.assessment, stored.capture)
    assert fhir == submission_bundle_json(stored, zone=datetime.now().astimezone().tzinfo)
    assert downloaded.url.startswith(f"{app.url}/media/") and media_requests == [downloaded.url, bundle.url]
    assert downloaded.suggested_filename == f"screening-{summary.id[:8]}.pdf"
    assert bundle.suggested_filename == f"screening-{summary.id[:8]}.fhir.json"
    assert actions[-7:] == [("sign_in", STAFF), ("queue_viewed", STAFF), ("submission_viewed", STAFF),
                            ("pdf_downloaded", STAFF), ("fhir_downloaded", STAFF), ("audit_viewed", STAFF),
                            ("sign_out", STAFF)]
    assert stored.intake.patient.full_name == PATIENT
    for private in (PATIENT, "Metformin", PASSWORD):
        assert private not in log
    assert {"staff-00-sign-in.png", "staff-01-queue.png", "staff-02-submission.png",
            "staff-03-audit-trail.png"} <= {path.name for path in SCREENSHOTS.iterdir()}


def test_an_unattended_staff_screen_clears_itself_and_its_pdf_address_dies(browser, tmp_path):
    with running_app(tmp_path / "data", env={"SCREENER_STAFF_IDLE_MINUTES": "0.2"}) as app:
        with _store(app) as store:
            add_account(store)
            submission = save(store, "Unattended Patientname")
        desk = browser.new_context(viewport=LANDSCAPE, accept_downloads=True)
        page = desk.new_page()
        _sign_in(page, app.url)
        page.locator(f".st-key-staff-open-{submission} button").click()
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download PDF summary").click()
        address = download_info.value.url
        page.get_by_text("You were signed out after 0.2 minutes without activity.", exact=False).wait_for(
            timeout=30000)
        assert _stops_serving(address), "the PDF's address answers no one within 5 s of idle expiry"
        page.get_by_text("Unattended Patientname", exact=True).wait_for(state="detached")
        assert "Unattended Patientname" not in page.inner_text("body")
        assert page.get_by_label(staff_texts.PASSWORD_LABEL, exact=True).is_visible()
        desk.close()
        with _store(app) as store:
            assert [event.action for event in store.audit_events()][:4] == [
                "session_expired", "pdf_downloaded", "submission_viewed", "queue_viewed"]


def _attempts_recorded(app, username: str) -> tuple[list, list]:
    with _store(app) as store:
        return (store.audit_events(action="sign_in_failed", staff=username),
                store.audit_events(action="sign_in_paused", staff=username))


GUESSERS = 12  # more than twice the five checks allowed; each browser context is a whole Streamlit session


def test_a_dozen_browsers_guessing_at_once_get_at_most_five_checks(browser, desk_app):
    with _store(desk_app) as store:
        add_account(store, "guessed", "clinician")
    started = time.monotonic()
    contexts = [browser.new_context(viewport=LANDSCAPE) for _ in range(GUESSERS + 1)]
    pages = [context.new_page() for context in contexts]
    guessers, owner = pages[:GUESSERS], pages[GUESSERS]
    for page in pages:  # all load at once
        page.goto(f"{desk_app.url}/staff", wait_until="commit")
    for number, page in enumerate(pages):
        page.get_by_label(staff_texts.USERNAME_LABEL, exact=True).wait_for(timeout=PAGE_LOAD_TIMEOUT_MS)
        page.get_by_label(staff_texts.USERNAME_LABEL, exact=True).fill("guessed")
        page.get_by_label(staff_texts.PASSWORD_LABEL, exact=True).fill(
            PASSWORD if page is owner else f"wrong guess number {number}")
    ready = time.monotonic()
    for page in guessers:  # as near at once as one driver can: no waiting between the presses
        page.get_by_role("button", name=staff_texts.SIGN_IN_BUTTON).dispatch_event("click")
    failed, paused = _attempts_recorded(desk_app, "guessed")
    while len(failed) < 5 and len(failed) + len(paused) < GUESSERS:  # until the pause is on
        time.sleep(0.05)
        failed, paused = _attempts_recorded(desk_app, "guessed")
    owner.get_by_role("button", name=staff_texts.SIGN_IN_BUTTON).click()  # the right password, in the pause
    while len(failed) + len(paused) < GUESSERS:
        time.sleep(0.05)
        failed, paused = _attempts_recorded(desk_app, "guessed")
    recorded = time.monotonic()
    owner.get_by_text("Sign-in is paused", exact=False).wait_for(timeout=60000)
    for page in guessers:
        page.get_by_text(staff_texts.REFUSED, exact=False).or_(page.get_by_text("Sign-in is paused", exact=False)) \
            .first.wait_for(timeout=60000)
    answered = time.monotonic()
    assert len(failed) <= 5 and len(paused) >= GUESSERS - 5
    assert sum(page.get_by_text("Sign-in is paused", exact=False).count() > 0 for page in guessers) >= GUESSERS - 5
    assert _attempts_recorded(desk_app, "guessed")[0] == failed, "the right password was not checked in the pause"
    for context in contexts[:GUESSERS]:
        context.close()

    pause_ends = max(event.at for event in failed) + DEFAULT_THROTTLE.delay_after(len(failed))
    print(f"\n{GUESSERS + 1} contexts: loaded and filled in {ready - started:.1f} s; {GUESSERS} attempts recorded "
          f"{recorded - ready:.1f} s and all answered on screen {answered - ready:.1f} s after the first press")
    time.sleep(max(0.0, (pause_ends - datetime.now(timezone.utc)).total_seconds()) + 0.5)  # the pause under test
    owner.get_by_label(staff_texts.PASSWORD_LABEL, exact=True).fill(PASSWORD)
    owner.get_by_role("button", name=staff_texts.SIGN_IN_BUTTON).click()
    owner.get_by_role("button", name=staff_texts.SIGN_OUT_BUTTON).wait_for()
    contexts[GUESSERS].close()


ELLIPSIS = """() => [...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(element => element.offsetParent !== null && getComputedStyle(element).textOverflow === 'ellipsis'
                       && element.scrollWidth > element.clientWidth + 1)
    .map(element => `cut off: "${element.innerText.trim().slice(0, 40)}"`)"""
OUTSIDE_ITS_ROW = """() => [...document.querySelectorAll('[class*="st-key-staff-row-"] button')]
    .filter(button => {
        const box = button.getBoundingClientRect();
        const row = button.closest('[data-testid="stVerticalBlock"][class*="st-key-staff-row-"]').getBoundingClientRect();
        return box.left < row.left || box.right > row.right; })
    .map(button => `outside its row: "${button.innerText.trim()}"`)"""


def _staff_screen_problems(page) -> list[str]:
    """Axe-core violations, text cut off, buttons outside their row and small targets, in portrait and landscape."""
    problems = []
    for viewport in (PORTRAIT, LANDSCAPE):
        page.set_viewport_size(viewport)
        found = (axe_violations(page) + cut_off(page) + page.evaluate(ELLIPSIS) + page.evaluate(OUTSIDE_ITS_ROW)
                 + small_targets(page, TOUCH_TARGETS))
        problems += [f"{viewport['width']}x{viewport['height']} {problem}" for problem in found]
    return problems


def _overlap(first: dict, second: dict) -> bool:
    return not (first["x"] + first["width"] <= second["x"] or second["x"] + second["width"] <= first["x"]
                or first["y"] + first["height"] <= second["y"] or second["y"] + second["height"] <= first["y"])


def test_every_staff_screen_passes_axe_with_nothing_cut_off_and_large_targets(browser, desk_app):
    spanish = with_answer(everything_answers(), "medications.other", "Ibuprofeno 400 mg & «té» <noche>")
    with _store(desk_app) as store:
        add_account(store, CLINICIAN, "clinician")
        save(store, "Maria Lopez", answers=with_answer(healthy_answers(), "lifestyle.smoker", True))
        save(store, "Maria Lopez", answers=with_answer(healthy_answers(), "reproductive.breastfeeding", True))
        opened = save(store, "Lucía Fernández-Castellanos de la Vega y Martínez", answers=spanish,
                      capture=capture_for("es", {"patient.height_cm": "5 ft 6 in"}))
    page = browser.new_context(viewport=PORTRAIT).new_page()
    page.goto(f"{desk_app.url}/staff")
    page.get_by_label(staff_texts.USERNAME_LABEL, exact=True).wait_for()
    settle(page)
    problems = {"sign-in": _staff_screen_problems(page)}
    _sign_in(page, desk_app.url)
    page.get_by_role("heading", name="Review queue").wait_for()
    settle(page)
    problems["queue"] = _staff_screen_problems(page)
    page.locator(f".st-key-staff-open-{opened} button").click()
    page.get_by_role("button", name=staff_texts.FHIR_BUTTON).wait_for()
    settle(page)
    problems["submission"] = _staff_screen_problems(page)
    page.get_by_role("button", name=staff_texts.AUDIT_BUTTON).click()
    page.locator('[data-testid="stDataFrame"]').wait_for()
    settle(page)
    problems["audit trail"] = _staff_screen_problems(page)
    page.locator('[data-testid="stDataFrame"]').hover()
    toolbar = page.locator('[data-testid="stElementToolbar"]').filter(visible=True).first
    toolbar.wait_for()
    for selector in (".st-key-staff-audit-limit", ".st-key-staff-audit-action"):
        assert not _overlap(toolbar.bounding_box(), page.locator(selector).bounding_box()), selector
    page.get_by_role("button", name=staff_texts.SIGN_OUT_BUTTON).click()
    _sign_in(page, desk_app.url, CLINICIAN)  # a clinician's screen has no administrator's buttons or warnings
    page.get_by_role("heading", name="Review queue").wait_for()
    page.locator(f".st-key-staff-open-{opened} button").click()
    page.get_by_role("button", name=staff_texts.FHIR_BUTTON).wait_for()
    settle(page)
    problems["submission, for a clinician"] = _staff_screen_problems(page)
    assert problems == {screen: [] for screen in problems}


def test_an_urgent_submission_shows_its_banner_on_an_open_queue_within_10_seconds_without_a_reload(browser, desk_app):
    """Same-day triage: a patient with a current clot signs (stored through the storage API, as the tablet
    stores it) while a clinician's queue is open; the banner appears without a reload, and the time is printed."""
    context = browser.new_context(viewport=LANDSCAPE)
    page = context.new_page()
    _sign_in(page, desk_app.url)
    page.get_by_role("heading", name=staff_texts.QUEUE_TITLE).wait_for()
    settle(page)
    reloads = []
    page.on("framenavigated", lambda frame: reloads.append(frame.url) if frame == page.main_frame else None)
    with _store(desk_app) as store:
        waiting = store.count_urgent_waiting()
        intake = intake_of(with_answer(healthy_answers(), "clotting.vte_history", "current"))
        store.save_submission(intake, assess(intake, AS_OF), datetime.now(timezone.utc))
    saved = time.monotonic()
    expected = staff_texts.URGENT_WAITING_ONE if waiting == 0 else staff_texts.URGENT_WAITING_MANY.format(count=waiting + 1)
    page.get_by_text(expected).wait_for(timeout=10_000)
    print(f"\nUrgent banner shown {time.monotonic() - saved:.1f} s after the submission was stored")
    assert reloads == [], "no reload"
    context.close()
