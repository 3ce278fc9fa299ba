"""Emoji in the clinician PDF (issue 26): every one a patient can type prints and copies out as typed.

- Every code point of every fully-qualified emoji of Unicode 15.1, and of the skin tones and hair
  styles they are made with, is drawn by a shipped font: none is printed as its ``[U+…]`` code.
- All of those emoji copy out of a PDF as typed: exactly with pypdf; character for character with
  pdftotext, which joins evenly spaced one-character words in any script ("a b c" reads "abc").
- A name and a free text of 50 emoji from across the list (faces, flags, families joined by
  U+200D, skin tones, symbols, keycaps) copy out of pdftotext and pypdf exactly, and every footer
  still ends in the date of birth. Drawn, they ink the page, no two alike, none in the missing red:
  sequences draw as their parts (the emoji font is not shaped), and copy out whole.
- "Anna 😀🎉 Smith" copies out whole on every page, footer included.
"""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import emoji
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader
from reportlab.platypus import SimpleDocTemplate

from factories import AS_OF, healthy_answers, intake_of, with_answer
from screener import assess
from screener.documents.style import MISSING_COLOUR, STYLES, literal, markup
from screener.documents.summary import render_pdf

BORN = "born 9 March 1984"
# The list a keyboard offers: Unicode 15.1's fully-qualified emoji and the components (skin tones, hair).
TYPABLE = {"fully_qualified", "component"}
LISTED = sorted(text for text, data in emoji.EMOJI_DATA.items()
                if data["E"] <= 15.1 and data["status"] in {emoji.STATUS[status] for status in TYPABLE})
ACROSS_THE_LIST = {
    "faces": "😀 😂 🥲 😍 🤔 😶‍🌫️ 🫠 🥶 🤯 🫨",
    "flags": "🇪🇸 🇯🇵 🇺🇦 🇧🇷 🇺🇳 🏴󠁧󠁢󠁥󠁮󠁧󠁿 🏳️‍🌈 🏳️‍⚧️ 🏁 🇪🇺",
    "families": "👨‍👩‍👧‍👦 👩‍👩‍👦 👨‍👧 🧑‍🧑‍🧒 👪 💑 💏🏽 🧑🏻‍🤝‍🧑🏿 👨‍👨‍👧‍👧 👩‍👦‍👦",
    "skin tones": "👍🏽 👋🏻 🤝🏾 🧑🏿‍⚕️ 👩🏼‍🔬 🙋🏾‍♀️ 🫶🏽 🏃🏻‍♂️‍➡️ 🫱🏼‍🫲🏿 🧔🏽‍♂️",
    "symbols": "❤️ ☀️ ⚠️ #️⃣ 1️⃣ ©️ ♻️ ⚕️ 🐦‍🔥 🍋‍🟩",
}
FIFTY = [item for items in ACROSS_THE_LIST.values() for item in items.split(" ")]
NAME = " ".join(FIFTY)


def _pdf(name: str, **answers: str) -> bytes:
    changed = with_answer(healthy_answers(), "patient.full_name", name)
    for path, value in answers.items():
        changed = with_answer(changed, path.replace("__", "."), value)
    intake = intake_of(changed)
    return render_pdf(intake, assess(intake, AS_OF))


def _pdftotext(pdf: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return text.split("\f")[:-1]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def fifty_pdf() -> bytes:
    return _pdf(NAME, allergies__other=NAME, medications__other="\n".join(ACROSS_THE_LIST.values()))


def test_the_fifty_are_fully_qualified_emoji_of_unicode_15_1_from_every_part_of_the_list():
    assert len(FIFTY) == len(set(FIFTY)) == 50 and set(FIFTY) <= set(LISTED)
    assert len(NAME) <= 200  # a name's limit


def test_every_code_point_of_every_listed_emoji_is_drawn_by_a_shipped_font():
    assert len(LISTED) == 3782  # 3773 fully-qualified and 9 components (emoji-test.txt, 15.1)
    assert [text for text in LISTED if "[U+" in markup(text)] == []


def test_every_listed_emoji_copies_out_of_a_pdf_as_typed():
    output = BytesIO()
    document = SimpleDocTemplate(output)
    document.build([literal(" ".join(LISTED), STYLES.body, document.width)])
    pdf = output.getvalue()
    assert " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split() == LISTED
    assert "".join("".join(_pdftotext(pdf)).split()) == "".join(LISTED)


def test_a_name_of_fifty_emoji_copies_out_of_the_header_and_answers_and_every_footer_ends_in_the_birth_date(fifty_pdf):
    pages = _pdftotext(fifty_pdf)
    first = _flat(pages[0])
    assert first.startswith(f"MICROSCLEROTHERAPY SCREENING SUMMARY · for the clinician · confidential {NAME} Date of birth")
    assert f"Your full name {NAME}" in _flat(" ".join(pages))
    footers = [next(line for line in page.splitlines() if BORN in line) for page in pages]
    assert all(footer.endswith(f"… · {BORN}") and NAME.startswith(footer.split("…")[0]) for footer in footers)
    assert NAME in _flat(" ".join(page.extract_text() for page in PdfReader(BytesIO(fifty_pdf)).pages))


def test_a_free_text_of_fifty_emoji_copies_out_in_the_own_words_box_and_the_answers(fifty_pdf):
    text = _flat(" ".join(_pdftotext(fifty_pdf)))
    assert f"Please describe your other allergies {NAME} Please list your other medicines {NAME} Excluded agents" in text
    assert f"Please describe your other allergies ⚑ {NAME} Your skin" in text  # ⚑: a flag's evidence
    assert f"Please list your other medicines {NAME} Lifestyle and aftercare" in text  # its line breaks as spaces


def test_an_emoji_name_copies_out_whole_on_every_page_footer_included():
    name = "Anna 😀🎉 Smith"
    pages = _pdftotext(_pdf(name, medications__other="A long list. " * 70))
    assert len(pages) >= 2 and name in pages[0].splitlines()[:4]
    assert all(f"{name} · {BORN}" in page.splitlines() for page in pages)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils; scripts/test.sh installs it)")
def test_the_fifty_emoji_draw_each_its_own_glyphs_and_none_in_the_missing_red(fifty_pdf, tmp_path):
    output = BytesIO()
    document = SimpleDocTemplate(output)
    spaced = STYLES.patient_name.clone("spaced", leading=30)  # a blank row of pixels between lines
    document.build([literal("\n".join(FIFTY[:25]), spaced, document.width), literal("\n".join(FIFTY[25:]), spaced, document.width)])
    bands = [band for page in _page_images(output.getvalue(), tmp_path / "list") for band in _inked_bands(page)]
    assert len(bands) == 50 and len({band.tobytes() for band in bands}) == 50
    missing = tuple(int(MISSING_COLOUR[index:index + 2], 16) for index in (1, 3, 5))
    for page in _page_images(fifty_pdf, tmp_path / "summary"):
        colours = {colour for _, colour in page.getcolors(maxcolors=1 << 24)}
        assert not any(all(abs(a - b) <= 24 for a, b in zip(colour, missing)) for colour in colours)


def _page_images(pdf: bytes, stem: Path) -> list[Image.Image]:
    stem.with_suffix(".pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(stem.with_suffix(".pdf")), str(stem)], check=True)
    return [Image.open(path).convert("RGB") for path in sorted(stem.parent.glob(f"{stem.name}-*.png"))]


def _inked_bands(page: Image.Image) -> list[Image.Image]:
    """Each run of rows with ink in them, cropped to its ink."""
    ink = ImageChops.invert(page.convert("L")).point(lambda level: 255 if level > 64 else 0)
    rows = [ink.crop((0, row, ink.width, row + 1)).getbbox() is not None for row in range(ink.height)]
    bands, start = [], None
    for row, inked in enumerate([*rows, False]):
        if inked and start is None:
            start = row
        elif not inked and start is not None:
            band = page.crop((0, start, page.width, row))
            bands.append(band.crop(ImageChops.invert(band.convert("L")).getbbox()))
            start = None
    return bands
