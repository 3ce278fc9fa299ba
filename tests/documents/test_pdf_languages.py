"""The clinician PDF of a patient who answered in Spanish or Chinese (issue 13).

- Near the top it names the language the patient answered in; the questions stay in English.
- The consent block shows the statement in the words the patient signed, with the English beside it.
- Free text is printed exactly as typed: a Chinese "other medicines" in CJK.
- Without a capture (the CLI, the API) the PDF is as before; an older wording is said to be older.
"""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO

import pytest
from pypdf import PdfReader

from factories import AS_OF, healthy_answers, intake_of, with_answer
from screener import assess
from screener.language.i18n import Words
from screener.documents.summary import render_pdf
from screener.clinical.questionnaire import CONSENT_STATEMENT
from screener.storage import Capture
from screener.language.wording import WORDING_VERSION, capture_for

CHINESE_MEDICINES = "二甲双胍 每天两次 <b>&amp;\n鱼油"
SPANISH_MEDICINES = "Ibuprofeno «600 mg» & paracetamol"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _render(answers: dict, capture=None) -> bytes:
    intake = intake_of(answers)
    return render_pdf(intake, assess(intake, AS_OF), capture)


def _pages(pdf: bytes) -> list[str]:
    return [_flat(page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]


def _answers(medicines: str) -> dict:
    return with_answer(healthy_answers(), "medications.other", medicines)


@pytest.fixture(scope="module")
def spanish_pdf() -> bytes:
    return _render(_answers(SPANISH_MEDICINES), capture_for("es"))


@pytest.fixture(scope="module")
def chinese_pdf() -> bytes:
    return _render(_answers(CHINESE_MEDICINES), capture_for("zh-Hans"))


@pytest.mark.parametrize("pdf, named", [("spanish_pdf", "Spanish, Español"), ("chinese_pdf", "Chinese (Simplified), 中文（简体）")])
def test_page_one_names_the_language_the_patient_answered_in(pdf, named, request):
    first = _pages(request.getfixturevalue(pdf))[0]
    assert f"Answered in {named}. Questions below are in English." in first
    assert "Do you take a blood thinner?" in " ".join(_pages(request.getfixturevalue(pdf)))


@pytest.mark.parametrize("pdf, language", [("spanish_pdf", "es"), ("chinese_pdf", "zh-Hans")])
def test_the_consent_is_shown_in_the_patients_words_with_the_english_beside_it(pdf, language, request):
    text = _pages(request.getfixturevalue(pdf))[-1]
    signed = Words(language)(CONSENT_STATEMENT)
    assert signed != CONSENT_STATEMENT
    # Extraction puts a space where a line wraps; Chinese has no spaces of its own to tell apart.
    shown = text if language == "es" else text.replace(" ", "")
    assert (signed if language == "es" else signed.replace(" ", "")) in shown
    assert f"Statement in English {_flat(CONSENT_STATEMENT)}" in text
    assert f"questionnaire wording {WORDING_VERSION}" in text


def test_spanish_free_text_is_printed_exactly_as_typed(spanish_pdf):
    assert SPANISH_MEDICINES in " ".join(_pages(spanish_pdf))


def test_chinese_free_text_is_printed_in_cjk_exactly_as_typed(chinese_pdf):
    text = " ".join(_pages(chinese_pdf))
    assert "二甲双胍 每天两次 <b>&amp;" in text and "鱼油" in text
    fonts = {str(font.get_object()["/BaseFont"]) for page in PdfReader(BytesIO(chinese_pdf)).pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("DroidSansFallback" in font for font in fonts)


def test_without_a_capture_the_summary_is_as_before():
    answers = healthy_answers()
    intake = intake_of(answers)
    assessment = assess(intake, AS_OF)
    plain = render_pdf(intake, assessment)
    text = " ".join(_pages(plain))
    assert "Answered in" not in text and f"Statement shown {_flat(CONSENT_STATEMENT)}" in text
    assert plain == render_pdf(intake, assessment, None)


def test_an_english_capture_names_english_and_shows_one_statement():
    text = " ".join(_pages(_render(healthy_answers(), capture_for("en"))))
    assert "Answered in English. Questions" in text and "Statement in English" not in text
    assert f"Statement shown {_flat(CONSENT_STATEMENT)}" in text


def test_a_record_signed_under_an_older_wording_says_which_english_is_shown():
    older = Capture(language="es", wording_version="2026.01.01-1", consent_statement="Confirmo lo de antes.")
    text = " ".join(_pages(_render(healthy_answers(), older)))
    assert "Statement shown, in Spanish Confirmo lo de antes." in text
    assert f"Statement in English (wording {WORDING_VERSION}; signed under 2026.01.01-1)" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (Debian poppler-utils)")
def test_the_chinese_summary_renders_to_pages(chinese_pdf, tmp_path):
    from PIL import Image

    (tmp_path / "zh.pdf").write_bytes(chinese_pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(tmp_path / "zh.pdf"), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(PdfReader(BytesIO(chinese_pdf)).pages)
    assert all(Image.open(image).convert("L").getextrema()[0] < 128 for image in images)
