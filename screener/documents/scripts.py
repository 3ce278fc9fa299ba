"""Scripts beyond Latin, Greek, Cyrillic and CJK in the clinician PDF: their fonts, their word
order, and text that copies out of the PDF as it was typed.

**Fonts.** Noto Sans (SIL OFL 1.1, ``screener/documents/fonts/LICENSE-Noto-OFL.txt``) for Devanagari,
Bengali, Gurmukhi, Gujarati, Tamil, Thai, Arabic and Hebrew, regular and bold. Each claims
its script's Unicode blocks, also where DejaVu has glyphs (Arabic, Hebrew), because these
runs are shaped: reportlab 5.1 shapes a ``Paragraph`` whose style has ``shaping=1`` through
HarfBuzz (``uharfbuzz``), forming conjuncts, vowel signs and joined Arabic letters, and laying
each right-to-left word out right to left.

**Word order.** HarfBuzz orders the letters inside a word; the order of words is the
Unicode bidirectional algorithm's. reportlab does that through ``rlbidi``, which is not on
PyPI, and python-bidi's ``get_display`` reverses the letters themselves, which HarfBuzz would
then reverse again. So :func:`visual_order` applies the algorithm to whole words, at the two
levels plain text has: a right-to-left line (its first strong letter is) lists its runs from
the right, and a right-to-left run of words inside a left-to-right line is reversed in place.

**As typed.** reportlab shapes with the OpenType features ``kern``, ``liga`` and ``dlig``; the
discretionary ligatures of Noto Sans Arabic add vowel marks nobody typed (محمد drawn as مُحَمَّد),
so paragraphs are shaped with ``kern`` and ``liga`` only (HarfBuzz always applies the required ones).

**Copying out.** reportlab writes each entry of a font's ToUnicode map as ``<%04X>``, so a
character beyond U+FFFF (an emoji, drawn in Noto Emoji) becomes five hex digits that PDF
readers cut to four. :func:`_to_unicode_cmap` writes those as the UTF-16 surrogate pair the PDF
specification asks for; it is installed when this module is imported.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import groupby
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph

FONT_DIR = Path(__file__).with_name("fonts")

# Each script font by name, with the Unicode blocks it draws.
SCRIPT_BLOCKS = {
    "NotoSansDevanagari": "\u0900-\u097f\ua8e0-\ua8ff",
    "NotoSansBengali": "\u0980-\u09ff",
    "NotoSansGurmukhi": "\u0a00-\u0a7f",
    "NotoSansGujarati": "\u0a80-\u0aff",
    "NotoSansTamil": "\u0b80-\u0bff",
    "NotoSansThai": "\u0e00-\u0e7f",
    "NotoSansArabic": "\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufefc",
    "NotoSansHebrew": "\u0590-\u05ff\ufb1d-\ufb4f",
}


def _number_unmapped_glyphs(font: TTFont) -> None:
    """Give every glyph with no character of its own (conjuncts, joined forms) its private-use code now,
    in glyph order. reportlab numbers them as shaping first meets them, so a summary's bytes would
    depend on whose names the process rendered before, and would hint at them."""
    shaper = font.hbFont()
    for glyph in range(font.face.numGlyphs):
        if glyph not in font.face.glyphToChar:
            font.hbAddPrivate(shaper.glyph_to_string(glyph), glyph, shaper.get_glyph_h_advance(glyph))


def _register(name: str) -> frozenset[int]:
    """Register a script font's two weights as a family; the code points both have in its blocks."""
    regular = TTFont(name, str(FONT_DIR / f"{name}-Regular.ttf"))
    bold = TTFont(f"{name}-Bold", str(FONT_DIR / f"{name}-Bold.ttf"))
    for font in (regular, bold):
        pdfmetrics.registerFont(font)
        _number_unmapped_glyphs(font)
    pdfmetrics.registerFontFamily(name, normal=name, bold=f"{name}-Bold", italic=name, boldItalic=f"{name}-Bold")
    blocks = re.compile(f"[{SCRIPT_BLOCKS[name]}]")
    return frozenset(code for code in set(regular.face.charToGlyph) & set(bold.face.charToGlyph)
                     if blocks.match(chr(code)))


SCRIPT_FONTS = frozenset(SCRIPT_BLOCKS)
SCRIPT_CODES = {name: _register(name) for name in SCRIPT_BLOCKS}
_SCRIPT_BY_CODE = {code: name for name, codes in SCRIPT_CODES.items() for code in codes}
CLAIMED = frozenset(_SCRIPT_BY_CODE)
SHAPED_MARKUP = re.compile(f'<font name="(?:{"|".join(SCRIPT_BLOCKS)})"')


def script_font(char: str) -> str | None:
    """The script font that draws ``char``, if one claims it."""
    return _SCRIPT_BY_CODE.get(ord(char))


def covers(font_name: str, char: str) -> bool:
    """Whether the registered font has a glyph for ``char``."""
    return ord(char) in pdfmetrics.getFont(font_name).face.charToGlyph


# Bidirectional classes that decide a word's direction (UAX #9, strong types).
_RIGHT_TO_LEFT = {"R", "AL"}


def _direction(word: str) -> str | None:
    for char in word:
        kind = unicodedata.bidirectional(char)
        if kind in _RIGHT_TO_LEFT:
            return "R"
        if kind == "L":
            return "L"
    return None


def has_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in _RIGHT_TO_LEFT for char in text)


def visual_order(line: str) -> str:
    """``line`` with its words (split at spaces) in the order they are read on the page; each word
    keeps its letters as typed, for HarfBuzz to lay out. A line without right-to-left letters is returned as is."""
    words = line.split(" ")
    directions = [_direction(word) for word in words]
    if "R" not in directions:
        return line
    base = next(direction for direction in directions if direction)
    resolved = []
    for index, direction in enumerate(directions):  # a word without letters takes its neighbours' direction if they agree
        if direction is None:
            before = next((d for d in reversed(directions[:index]) if d), base)
            after = next((d for d in directions[index + 1:] if d), base)
            direction = before if before == after else base
        resolved.append(direction)
    runs: list[tuple[str, list[str]]] = []
    for word, direction in zip(words, resolved):
        if runs and runs[-1][0] == direction:
            runs[-1][1].append(word)
        else:
            runs.append((direction, [word]))
    ordered = [run[::-1] if direction == "R" else run for direction, run in runs]
    if base == "R":
        ordered.reverse()
    return " ".join(word for run in ordered for word in run)


_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with each code point beyond U+FFFF as its UTF-16 surrogate pair."""
    cmap = _reportlab_to_unicode_cmap(fontname, subset)
    wrong = {f"<{index:02X}> <{code:04X}>": f"<{index:02X}> <{_utf16_hex(code)}>"
             for index, code in enumerate(subset) if code > 0xFFFF}
    if not wrong:
        return cmap
    return "\n".join(wrong.get(line, line) for line in cmap.split("\n"))


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


_reportlab_shape = ttfonts.shapeFragWord
AS_TYPED = {"kern": True, "liga": True}


def _shape_as_typed(word, features=None, force=False):
    """reportlab's shaping of one word of Paragraph fragments, for the runs in script fonts only,
    each run of one font apart: reportlab shapes a whole word with its first fragment's font, so
    "अनुष्…" drew and copied out its ellipsis as a Devanagari glyph's number read in DejaVu; and
    Latin, CJK and emoji need no shaping (it would only kern them)."""
    features = AS_TYPED if features is None else features
    runs = [list(pairs) for _, pairs in groupby(word[1:], key=lambda pair: getattr(pair[0], "fontName", None))]
    if len(runs) == 1:
        return _reportlab_shape(word, features=features, force=force) if _in_script_font(runs[0]) else word
    shaped = [_reportlab_shape([sum(_width(pair) for pair in run), *run], features=features, force=force)
              if _in_script_font(run) else [sum(_width(pair) for pair in run), *run] for run in runs]
    if not any(isinstance(part, ttfonts.ShapedFragWord) for part in shaped):
        return word
    whole = ttfonts.makeShapedFragWord(word)([sum(part[0] for part in shaped)])
    for part in shaped:
        whole.extend(part[1:])
    return whole


def _in_script_font(run: list) -> bool:
    return getattr(run[0][0], "fontName", "").removesuffix("-Bold") in SCRIPT_FONTS


def _width(pair) -> float:
    fragment, text = pair
    if not hasattr(fragment, "fontName"):  # an inline image or link: no text
        return 0.0
    return pdfmetrics.stringWidth(text, fragment.fontName, fragment.fontSize)


paragraph.shapeFragWord = _shape_as_typed  # the name Paragraph calls, with its default features
