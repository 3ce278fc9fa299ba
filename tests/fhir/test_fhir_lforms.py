"""A real SDC form filler: NLM's LHC-Forms (npm ``lforms``, installed by scripts/test.sh into
node_modules/) renders the Questionnaire in Debian's chromium, is filled by clicking and
typing, and the QuestionnaireResponse it exports, read by ``python -m screener from-fhir``,
screens as the same intake does.

The page and the lforms files are served on loopback by the test; nothing leaves the machine.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
from datetime import datetime

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from factories import AS_OF, everything_answers, healthy_answers, intake_of, with_answer
from screener import assess
from screener.fhir import questionnaire
from screener.fhir.form import fields
from screener.fhir.response import response_items
from real_browser import PROJECT, SCREENSHOTS
from cli_driver import run

pytestmark = pytest.mark.browser

LFORMS = PROJECT / "node_modules" / "lforms" / "dist" / "lforms"
CLINIC_ZONE = "Europe/Berlin"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Intake in LHC-Forms</title>
<link rel="stylesheet" href="lforms/webcomponent/styles.css">
<script src="lforms/webcomponent/assets/lib/zone.min.js"></script>
<script src="lforms/webcomponent/runtime.js" type="module"></script>
<script src="lforms/webcomponent/polyfills.js" type="module"></script>
<script src="lforms/webcomponent/main.js" type="module"></script>
<script src="lforms/fhir/R4/lformsFHIR.min.js" defer></script>
</head><body><main><div id="form"></div></main></body></html>
"""
EXPORT = "LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', document.getElementById('form'))"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not LFORMS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{LFORMS} is missing: scripts/test.sh installs the lforms npm package")
        pytest.skip("lforms is not installed (bash scripts/test.sh installs it into node_modules/)")
    root = tmp_path_factory.mktemp("lforms-site")
    (root / "page.html").write_text(PAGE, encoding="utf-8")
    (root / "lforms").symlink_to(LFORMS)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/page.html"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep the test output to the test
        pass


@pytest.fixture(scope="module")
def lforms_page(browser, site):
    """One page with LHC-Forms loaded, in the clinic's time zone; each test adds the form anew."""
    context = browser.new_context(timezone_id=CLINIC_ZONE, viewport={"width": 1000, "height": 1200})
    page = context.new_page()
    page.goto(site)
    page.wait_for_function("!!(window.LForms && LForms.Util && LForms.Util.addFormToPage)")
    yield page
    context.close()


@pytest.fixture
def form(lforms_page):
    lforms_page.evaluate("q => LForms.Util.addFormToPage(q, 'form', {fhirVersion: 'R4'})", questionnaire())
    lforms_page.wait_for_selector('[id="item-consent.signed_at/1/1"]')
    return lforms_page


def _item(page, link_id: str):
    return page.locator(f'[id="item-{link_id}/1/1"]')


def _fill(page, intake) -> None:
    """Answer the form as a person would: clicking choices, typing texts, numbers and dates."""
    for group in response_items(intake):
        for item in group["item"]:
            field_id = f'{item["linkId"]}/1/1'
            for answer in item["answer"]:
                (kind, value), = answer.items()
                if kind == "valueBoolean":
                    page.locator(f'[id="{field_id}|{str(value).lower()}"]').click()
                elif kind == "valueCoding":
                    page.locator(f'[id="{field_id}|{value["system"]}|{value["code"]}"]').click()
                elif kind in ("valueDate", "valueDateTime"):
                    moment = datetime.fromisoformat(value)
                    typed = moment.strftime("%m/%d/%Y %H:%M:%S" if kind == "valueDateTime" else "%m/%d/%Y")
                    box = page.locator(f'[id="{field_id}"] input')
                    box.fill(typed)
                    box.press("Enter")
                else:
                    page.locator(f'[id="{field_id}"]').fill(str(value))


def test_every_question_is_shown_with_the_patients_words(form):
    for field in fields().values():
        if field.enable_when is None:
            assert field.text in _item(form, field.link_id).inner_text(), field.link_id


def test_follow_up_questions_stay_hidden_until_their_condition_holds(form):
    follow_ups = [field for field in fields().values() if field.enable_when]
    assert follow_ups
    for field in follow_ups:
        assert _item(form, field.link_id).count() == 0, field.link_id
    for question, answer in dict.fromkeys(field.enable_when for field in follow_ups):
        choice = f"{question}/1/1|{str(answer).lower()}" if isinstance(answer, bool) else \
            f"{question}/1/1|{fields()[question].system}|{answer}"
        form.locator(f'[id="{choice}"]').click()
    for field in follow_ups:
        assert field.text in _item(form, field.link_id).inner_text(), field.link_id


def test_questions_the_wizard_leaves_out_are_hidden_once_the_answer_that_leaves_them_out_is_given(form):
    skipped = [field for field in fields().values() if field.disable_when]
    assert skipped
    for field in skipped:
        assert field.text in _item(form, field.link_id).inner_text(), field.link_id
    for question, answer in dict.fromkeys(field.disable_when for field in skipped):
        form.locator(f'[id="{question}/1/1|{fields()[question].system}|{answer}"]').click()
    for field in skipped:
        assert _item(form, field.link_id).count() == 0, field.link_id


@pytest.mark.parametrize("answers", [
    everything_answers(),
    with_answer(healthy_answers(), "consent.signed_at", "2026-11-21T09:30:00+01:00"),
], ids=["everything", "healthy"])
def test_a_form_filled_in_lhc_forms_screens_as_the_same_intake(form, answers, request):
    intake = intake_of(answers)
    _fill(form, intake)
    exported = form.evaluate(EXPORT)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    form.screenshot(path=str(SCREENSHOTS / f"lforms-filled-{request.node.callspec.id}.png"))
    QuestionnaireResponse.model_validate(exported)
    imported = run("from-fhir", "-", "--as-of", AS_OF.isoformat(), stdin=json.dumps(exported).encode())
    assert imported.returncode == 0, imported.stderr.decode()
    back = intake_of(json.loads(imported.stdout))
    assert back == intake
    assert assess(back, AS_OF) == assess(intake, AS_OF)
