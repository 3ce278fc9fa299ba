"""The clinician PDF's one stylesheet: shipped fonts, colours, paragraph styles, text as markup.

The fonts live in ``screener/documents/fonts`` (a fresh machine has none) and are registered once
per process when this module is imported; they are not patient data. DejaVu Sans covers
Latin, Greek and Cyrillic; Droid Sans Fallback (TrueType, so reportlab can subset and
embed it) covers Chinese, Japanese kana and Korean Hangul. A ``Paragraph`` does not fall
back between fonts by itself, so :func:`markup` sets each run of characters DejaVu lacks
in the fallback font, deciding by the glyphs the fonts actually have.

Devanagari, Bengali, Gurmukhi, Gujarati, Tamil, Thai, Arabic and Hebrew are set in the
Noto fonts of :mod:`screener.documents.scripts`, shaped, right-to-left words in reading order.
Emoji are set in Noto Emoji, monochrome (reportlab draws no colour fonts) and unshaped: every
code point is its own glyph, so a sequence joined by U+200D, a skin tone or a flag draws as its
parts, and copies out as typed; the joiners and selectors are glyphs that draw nothing.
A character no shipped font has is printed as its code point in red, never as nothing.

Text reaches the page in one of two ways, both literal: :func:`literal` draws text the
main font fully covers as plain lines (no markup is parsed), and sends anything else
through :func:`markup`, which escapes it, into a ``Paragraph``. Tabs become spaces.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph

from .scripts import CLAIMED, SCRIPT_FONTS, SHAPED_MARKUP, covers, has_right_to_left, script_font, visual_order

FONT_DIR = Path(__file__).with_name("fonts")
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FALLBACK = "DroidSansFallback"
EMOJI = "NotoEmoji"


def _register(name: str, file_name: str) -> TTFont:
    font = TTFont(name, str(FONT_DIR / file_name))
    pdfmetrics.registerFont(font)
    return font


_regular = _register(REGULAR, "DejaVuSans.ttf")
_bold = _register(BOLD, "DejaVuSans-Bold.ttf")
_fallback = _register(FALLBACK, "DroidSansFallback.ttf")
_emoji = _register(EMOJI, "NotoEmoji-Regular.ttf")
pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
# The fallback and emoji fonts have one weight: <b> around CJK text or emoji keeps the regular strokes.
for _single_weight in (FALLBACK, EMOJI):
    pdfmetrics.registerFontFamily(_single_weight, normal=_single_weight, bold=_single_weight,
                                  italic=_single_weight, boldItalic=_single_weight)

# DejaVu draws Arabic and Hebrew unshaped: those go to the script fonts, which are shaped.
_MAIN_FONT = (frozenset(_regular.face.charToGlyph) & frozenset(_bold.face.charToGlyph)) - CLAIMED
# Code points to set in the fallback font: those it has and either DejaVu weight lacks.
_FALLBACK_ONLY = frozenset(_fallback.face.charToGlyph) - _MAIN_FONT - CLAIMED
# Code points to set in the emoji font: every pictograph from U+1F000 on, also those DejaVu draws, so the
# parts of one emoji (👨‍👩‍👧) look alike; below that only what no other font has (a keycap's U+20E3).
_PICTOGRAPHS = 0x1F000
_EMOJI_CODES = frozenset(_emoji.face.charToGlyph)
_EMOJI_ONLY = frozenset(code for code in _EMOJI_CODES if code >= _PICTOGRAPHS) | frozenset(
    code for code in _EMOJI_CODES - _MAIN_FONT - _FALLBACK_ONLY - CLAIMED if unicodedata.category(chr(code)) != "Cc")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
MISSING_COLOUR = "#b00020"
# Page streams compressed only, not also ASCII85-encoded: smaller files, faster saves.
rl_config.useA85 = 0


MAIN, MISSING = REGULAR, ""


def _font_for(char: str) -> str:
    """The font that draws ``char`` by itself: a script font, the emoji font, the main font, the fallback, or MISSING."""
    code = ord(char)
    if (script := script_font(char)) is not None:
        return script
    if code in _EMOJI_ONLY:
        return EMOJI
    if code in _MAIN_FONT or unicodedata.category(char) == "Cf":
        return MAIN
    return FALLBACK if code in _FALLBACK_ONLY else MISSING


def _clings(char: str) -> bool:
    """A mark, a joiner, or an ASCII digit or punctuation mark: set in the font of the script beside it
    when that font has it, so a word such as "(राम)" is one run that HarfBuzz can shape."""
    kind = unicodedata.category(char)
    return kind[0] == "M" or kind == "Cf" or (char.isascii() and kind[0] in "NPS")


def _fonts_of(line: str) -> list[str]:
    fonts = [_font_for(char) for char in line]
    for index, char in enumerate(line):
        if _clings(char):
            for font in fonts[max(index - 1, 0):index] + fonts[index + 1:index + 2]:
                if font in SCRIPT_FONTS and (covers(font, char) or unicodedata.category(char) == "Cf"):
                    fonts[index] = font
                    break
    return fonts


def _run_markup(font: str, run: str) -> str:
    if font == MAIN:
        return escape(run)
    if font == MISSING:  # no embedded font draws it: name it rather than print an empty box
        return f'<font color="{MISSING_COLOUR}">{"".join(f"[U+{ord(char):04X}]" for char in run)}</font>'
    return f'<font name="{font}">{escape(run)}</font>'


def _line_markup(line: str) -> str:
    line = visual_order(line)
    runs = groupby(zip(_fonts_of(line), line), key=lambda pair: pair[0])
    return "".join(_run_markup(font, "".join(char for _, char in chars)) for font, chars in runs)


def markup(text: str) -> str:
    """Any text as Paragraph markup that shows it literally: escaped, line breaks kept, tabs as spaces,
    each script in its font."""
    return "<br/>".join(_line_markup(line) for line in _LINE_BREAK.split(text.replace("\t", " ")))


@lru_cache(maxsize=64)
def _shaped(style: ParagraphStyle) -> ParagraphStyle:
    return style.clone(f"{style.name}_shaped", shaping=1)


class WrapOnceParagraph(Paragraph):
    """A Paragraph that breaks its lines once per width: a table wraps each cell several times
    (measuring, splitting across pages, drawing), and line breaking is the costly part.
    Markup with a script font is shaped (only then: shaping costs time and kerns Latin). The parts of
    a paragraph split across pages come with no text, only its fragments, and keep its style; one that
    reportlab moves whole to the next page has forgotten its lines and breaks them again."""

    def __init__(self, text: str | None, style: ParagraphStyle, **options):
        shaped = text is not None and SHAPED_MARKUP.search(text)
        super().__init__(text, _shaped(style) if shaped else style, **options)

    def wrap(self, available_width, available_height):
        if getattr(self, "_wrapped_width", None) != available_width or not hasattr(self, "blPara"):
            self._wrapped_size = super().wrap(available_width, available_height)
            self._wrapped_width = available_width
        return self._wrapped_size


def fits_one_line(text: str, style: ParagraphStyle, width: float) -> bool:
    """Whether Paragraph markup ``text`` takes one line of ``width``."""
    paragraph = WrapOnceParagraph(text, style)
    paragraph.wrap(width, 10_000)
    return len(paragraph.blPara.lines) <= 1


_SKIN_TONES_AND_TAGS = re.compile("[\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")
_REGIONAL_INDICATORS = re.compile("[\U0001f1e6-\U0001f1ff]+\\Z")


def _belongs_to_previous(text: str, index: int) -> bool:
    """Whether ``text[index]`` is part of the letter or emoji before it: a mark, a joiner or what a
    joiner joins, a skin tone, a flag's tag, or the second letter of a flag."""
    char = text[index]
    if unicodedata.category(char)[0] == "M" or char in "\u200c\u200d" or text[index - 1] in "\u200c\u200d":
        return True
    if _SKIN_TONES_AND_TAGS.match(char):
        return True
    indicators = _REGIONAL_INDICATORS.search(text, 0, index + 1)
    return indicators is not None and (index + 1 - indicators.start()) % 2 == 0


def shortened(text: str, length: int) -> str:
    """``text`` whole if ``length`` holds it, else its first ``length`` characters and an ellipsis,
    cut before a letter or emoji rather than inside one."""
    if length >= len(text):
        return text
    while length and _belongs_to_previous(text, length):
        length -= 1
    return text[:length].rstrip() + "\u2026"


class _PlainLines(Flowable):
    """Lines of one-font text, each drawn as it is at its own indent, where a Paragraph would set them."""

    def __init__(self, lines: list[tuple[float, str]], style: ParagraphStyle):
        super().__init__()
        self.lines, self.style = lines, style

    def wrap(self, available_width, available_height):
        self.width, self.height = available_width, len(self.lines) * self.style.leading
        return self.width, self.height

    def split(self, available_width, available_height):
        fit = int(available_height // self.style.leading)
        if fit < 1 or fit >= len(self.lines):
            return []
        return [_PlainLines(self.lines[:fit], self.style), _PlainLines(self.lines[fit:], self.style)]

    def draw(self):
        style = self.style
        self.canv.setFont(style.fontName, style.fontSize)
        self.canv.setFillColor(style.textColor)
        top = len(self.lines) * style.leading
        for number, (indent, line) in enumerate(self.lines, start=1):
            self.canv.drawString(indent, top - (number - 1) * style.leading - style.fontSize, line)


def _plain_lines(text: str, style: ParagraphStyle, width: float) -> list[tuple[float, str]] | None:
    """``text`` broken into lines of ``width`` at spaces and line breaks, as a Paragraph would break it,
    with each line's indent; None when it needs a Paragraph (a glyph the main font lacks, a word too wide)."""
    if not all(ord(char) in _MAIN_FONT for char in text if char not in "\r\n"):
        return None
    space = pdfmetrics.stringWidth(" ", style.fontName, style.fontSize)
    first_indent = style.leftIndent + style.firstLineIndent
    lines: list[tuple[float, str]] = []
    for paragraph_line in _LINE_BREAK.split(text):
        words: list[str] = []
        used = 0.0
        for word in paragraph_line.split():
            indent = first_indent if not lines else style.leftIndent
            room = width - indent - style.rightIndent
            word_width = pdfmetrics.stringWidth(word, style.fontName, style.fontSize)
            if word_width > room:
                return None
            if words and used + space + word_width > room:
                lines.append((indent, " ".join(words)))
                if word_width > width - style.leftIndent - style.rightIndent:
                    return None
                words, used = [word], word_width
            else:
                used += (space if words else 0) + word_width
                words.append(word)
        lines.append((first_indent if not lines else style.leftIndent, " ".join(words)))
    return lines


def _word_width(word: str, style: ParagraphStyle) -> float:
    """The width of ``word`` unshaped in its fonts: joined Arabic letters take no more room than these."""
    bold = style.fontName == BOLD
    width = 0.0
    for font, pairs in groupby(zip(_fonts_of(word), word), key=lambda pair: pair[0]):
        run = "".join(char for _, char in pairs)
        if font == MISSING:
            font, run = MAIN, "[U+0000]" * len(run)
        if bold:
            font = BOLD if font == MAIN else f"{font}-Bold" if font in SCRIPT_FONTS else font
        width += pdfmetrics.stringWidth(run, font, style.fontSize)
    return width


def _broken_in_typed_order(text: str, style: ParagraphStyle, width: float) -> str:
    """``text`` with line breaks where its lines of ``width`` end, found in the order it was typed: a
    Paragraph would break the words after they were put in reading order, and so read its lines bottom up."""
    room = width - style.leftIndent - max(style.firstLineIndent, 0) - style.rightIndent
    space = pdfmetrics.stringWidth(" ", style.fontName, style.fontSize)
    lines = []
    for typed_line in _LINE_BREAK.split(text):
        words, used = [], 0.0
        for word in typed_line.split(" "):
            word_width = _word_width(word, style)
            if words and used + space + word_width > room:
                lines.append(" ".join(words))
                words, used = [], 0.0
            used += (space if words else 0) + word_width
            words.append(word)
        lines.append(" ".join(words))
    return "\n".join(lines)


def literal(text: str, style: ParagraphStyle, width: float) -> Flowable:
    """Text shown literally in ``width``: drawn line by line when the main font has all of it
    (laying out a Paragraph costs far more), else a Paragraph of :func:`markup`; right-to-left
    text is broken into lines first, so each line reads in order."""
    text = text.replace("\t", " ")
    lines = _plain_lines(text, style, width)
    if lines is not None:
        return _PlainLines(lines, style)
    if has_right_to_left(text):
        text = _broken_in_typed_order(text, style, width)
    return WrapOnceParagraph(markup(text), style)


INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#b0b0b0")
HEADER_FILL = colors.HexColor("#333333")
SECTION_FILL = colors.HexColor("#e6e6e6")
CITED_FILL = colors.HexColor("#fff4d1")
WHITE = colors.white


@dataclass(frozen=True)
class DecisionLook:
    """How the decision banner looks: the fill, the text colour on it, and a symbol that reads without colour."""

    fill: colors.Color
    text: colors.Color
    symbol: str


DECISION_LOOKS = {
    "not_eligible": DecisionLook(colors.HexColor("#b71c1c"), WHITE, "\u2716"),  # heavy X
    "clinician_review": DecisionLook(colors.HexColor("#f9a825"), INK, "\u26a0"),  # warning sign
    "eligible_with_precautions": DecisionLook(colors.HexColor("#c5e1a5"), INK, "\u2714"),  # heavy check mark
    "eligible": DecisionLook(colors.HexColor("#2e7d32"), WHITE, "\u2714"),
}
SEVERITY_FILLS = {
    "absolute": colors.HexColor("#f4c7c3"),
    "relative": colors.HexColor("#fce3b0"),
    "precaution": colors.HexColor("#dcedc8"),
}
SEVERITY_SYMBOLS = {"absolute": "\u2716", "relative": "\u26a0", "precaution": "\u25cf"}
CITED_MARK = "\u2691"  # black flag


def _style(name: str, size: float, **more) -> ParagraphStyle:
    more.setdefault("fontName", REGULAR)
    more.setdefault("textColor", INK)
    more.setdefault("leading", round(size * 1.25, 2))
    return ParagraphStyle(name, fontSize=size, **more)


@dataclass(frozen=True)
class Styles:
    kicker: ParagraphStyle = _style("kicker", 8, textColor=MUTED)
    patient_name: ParagraphStyle = _style("patient_name", 16, fontName=BOLD, leading=19)
    label: ParagraphStyle = _style("label", 7, textColor=MUTED)
    value: ParagraphStyle = _style("value", 9, fontName=BOLD)
    banner: ParagraphStyle = _style("banner", 20, fontName=BOLD, leading=24, alignment=TA_CENTER)
    banner_detail: ParagraphStyle = _style("banner_detail", 9, alignment=TA_CENTER)
    heading: ParagraphStyle = _style("heading", 12, fontName=BOLD, spaceBefore=9, spaceAfter=4)
    note: ParagraphStyle = _style("note", 8, textColor=MUTED, spaceAfter=4)
    body: ParagraphStyle = _style("body", 9)
    cell: ParagraphStyle = _style("cell", 8)
    cell_bold: ParagraphStyle = _style("cell_bold", 8, fontName=BOLD)
    cell_small: ParagraphStyle = _style("cell_small", 7, textColor=MUTED)
    column_head: ParagraphStyle = _style("column_head", 8, fontName=BOLD, textColor=WHITE)
    section_head: ParagraphStyle = _style("section_head", 9, fontName=BOLD)
    footer: ParagraphStyle = _style("footer", 7.5, textColor=MUTED)
    footer_centre: ParagraphStyle = _style("footer_centre", 7.5, fontName=BOLD, textColor=MUTED, alignment=TA_CENTER)


STYLES = Styles()


def text_width(text: str, style: ParagraphStyle) -> float:
    return pdfmetrics.stringWidth(text, style.fontName, style.fontSize)


@lru_cache(maxsize=64)
def hanging(style: ParagraphStyle, indent: float, lead_width: float) -> ParagraphStyle:
    """``style`` with every line at ``indent`` but the first, which starts ``lead_width`` earlier (for its lead-in)."""
    if not indent:
        return style
    return style.clone(f"{style.name}_hanging", leftIndent=indent, firstLineIndent=-lead_width)
