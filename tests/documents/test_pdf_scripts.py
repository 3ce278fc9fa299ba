"""Every script a patient may type, printed right in the clinician PDF (issue 11).

- Devanagari, Bengali, Gurmukhi, Gujarati, Tamil, Thai, Arabic and Hebrew names are drawn in
  shipped fonts, shaped, and never as ``[U+…]`` codes; Thai and Hebrew copy out of the PDF
  exactly as typed, Arabic as typed once pdftotext's presentation forms are normalised (NFKC).
  Shaped Indic conjuncts copy out as private-use characters (reportlab's mapping), so for those
  the promise tested is the weaker one: no code-point marker, every page's footer intact.
- Right-to-left words stand in reading order, and a wrapped right-to-left name reads top down.
- An emoji copies out exactly; a tab is a space (a character no font has is still named:
  tests/test_pdf.py).
- The footer of every page holds the whole date of birth: a long name ends in an ellipsis.
- A shaped or emoji summary's bytes do not depend on the names rendered before it in the process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from factories import AS_OF, healthy_answers, intake_of, with_answer
from screener import assess
from screener.documents.summary import render_pdf
from screener.documents.scripts import _to_unicode_cmap, visual_order

ROOT = Path(__file__).resolve().parents[2]
BORN = "born 9 March 1984"
RIGHT_TO_LEFT_MARKS = dict.fromkeys(map(ord, "\u202a\u202b\u202c"))  # pdftotext wraps right-to-left lines in these

EXACT = {
    "thai": "สมชาย ใจดี",
    "hebrew": "שרה כהן",
    "arabic": "محمد عبد الله",
}
SHAPED_INDIC = {
    "devanagari": "अनुष्का शर्मा",
    "bengali": "সৌমিত্র চট্টোপাধ্যায়",
    "gurmukhi": "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ",
    "gujarati": "ક્રિષ્ના પટેલ",
    "tamil": "கிருஷ்ணன் சுப்பிரமணியம்",
}


def _pdf(name: str, **answers: str) -> bytes:
    changed = with_answer(healthy_answers(), "patient.full_name", name)
    for path, value in answers.items():
        changed = with_answer(changed, path.replace("__", "."), value)
    intake = intake_of(changed)
    return render_pdf(intake, assess(intake, AS_OF))


def _pdftotext_pages(pdf: bytes) -> list[list[str]]:
    """Each page's lines as pdftotext reads them, without its right-to-left marks, normalised (NFKC)."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return [[unicodedata.normalize("NFKC", line.translate(RIGHT_TO_LEFT_MARKS)).strip() for line in page.splitlines()]
            for page in text.split("\f")[:-1]]


@pytest.mark.parametrize("name", EXACT.values(), ids=EXACT.keys())
def test_a_name_in_thai_hebrew_or_arabic_copies_out_as_typed_in_header_answers_and_every_footer(name):
    pages = _pdftotext_pages(_pdf(name))
    assert name in pages[0][:4]  # the header
    assert any(line.endswith(name) and "Your full name" in line or line == name for line in sum(pages, []))
    footers = [next(line for line in page if BORN in line) for page in pages]
    # pdftotext sets a right-to-left name apart from the "·" after it, so the two are checked apart
    assert all(name in footer and footer.endswith(BORN) for footer in footers)


@pytest.mark.parametrize("name", SHAPED_INDIC.values(), ids=SHAPED_INDIC.keys())
def test_an_indic_name_is_drawn_in_its_font_without_code_point_markers(name):
    pdf = _pdf(name)
    text = "\n".join(sum(_pdftotext_pages(pdf), []))
    assert "[U+" not in text
    pages = _pdftotext_pages(pdf)
    assert all(any(line.endswith(f" · {BORN}") for line in page) for page in pages)
    fonts = {str(font.get_object()["/BaseFont"]) for page in PdfReader(BytesIO(pdf)).pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("NotoSans" in font for font in fonts)


def test_right_to_left_words_are_put_in_reading_order_and_keep_their_letters():
    assert visual_order("محمد عبد الله") == "الله عبد محمد"
    assert visual_order("Dr محمد عبد Smith") == "Dr عبد محمد Smith"
    assert visual_order("שלום Alex Example עולם") == "עולם Alex Example שלום"
    assert visual_order("Alex Example") == "Alex Example"


def test_a_wrapped_right_to_left_name_reads_top_down():
    name = " ".join(["محمد", "عبد", "الله", "بن", "يوسف"] * 8)[:200].strip()
    header = _pdftotext_pages(_pdf(name))[0]
    lines = header[header.index("MICROSCLEROTHERAPY SCREENING SUMMARY · for the clinician · confidential") + 2:]
    lines = lines[:lines.index("Date of birth")]
    assert len(lines) > 1 and " ".join(lines) == name


def test_an_emoji_name_copies_out_exactly_with_pdftotext_and_pypdf():
    name = "Zoë \U0001F600 Smile"
    pdf = _pdf(name)
    assert f"{name} · {BORN}" in _pdftotext_pages(pdf)[0]
    assert name in PdfReader(BytesIO(pdf)).pages[0].extract_text()


def test_the_to_unicode_map_writes_characters_beyond_the_basic_plane_as_surrogate_pairs():
    cmap = _to_unicode_cmap("F1", [0x20, 0x1F600])
    assert "<00> <0020>" in cmap and "<01> <D83DDE00>" in cmap and "1F600" not in cmap


def test_a_tab_in_a_free_text_is_a_space():
    text = "\n".join(sum(_pdftotext_pages(_pdf("Alex Example", medications__other="Aspirin\t75 mg")), []))
    assert "Aspirin 75 mg" in text and "[U+0009]" not in text


@pytest.mark.parametrize("name", [("Bartholomew-Alexandros " * 9)[:200].strip(), ("अनुष्का शर्मा " * 15)[:200].strip(),
                                  ("محمد عبد الله " * 15)[:200].strip()], ids=["latin", "devanagari", "arabic"])
def test_the_footer_of_every_page_of_a_200_character_name_holds_the_whole_date_of_birth(name):
    pages = _pdftotext_pages(_pdf(name, medications__other="A long list. " * 70))
    assert len(pages) >= 2
    for page in pages:
        footer = next(line for line in page if BORN in line)
        assert footer.endswith(BORN) and "..." in footer  # the ellipsis, as NFKC writes it


RENDER_AFTER = """
import hashlib, sys
from factories import AS_OF, healthy_answers, intake_of, with_answer
from screener import assess
from screener.documents.summary import render_pdf
for name in sys.argv[1:]:
    intake = intake_of(with_answer(healthy_answers(), "patient.full_name", name))
    pdf = render_pdf(intake, assess(intake, AS_OF))
print(hashlib.sha256(pdf).hexdigest())
"""


@pytest.mark.parametrize("name, before", [("अनुष्का शर्मा", ["क्षत्रिय द्वारका ङ्क", "محمد عبد الله"]),
                                          ("Anna 😀🎉 Smith 👨‍👩‍👧", ["🇯🇵 👍🏽 #️⃣", "Zoë \U0001F600 Smile"])],
                         ids=["shaped", "emoji"])
def test_a_summary_has_the_same_bytes_whatever_names_the_process_rendered_before(name, before):
    def digest(*names: str) -> str:
        return subprocess.run([sys.executable, "-c", RENDER_AFTER, *names], capture_output=True, text=True, check=True,
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests' / 'support'}"}).stdout
    assert digest(name) == digest(*before, name)
