"""The patient handout's one stylesheet: larger type than the clinician summary, same shipped fonts.

Fonts, colours and the literal-text markup come from :mod:`screener.documents.style` (importing
it registers the fonts). Chinese has no spaces between words, so its paragraphs break
between characters (reportlab's ``CJK`` word wrap); the other languages break at spaces.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from typing import NamedTuple

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle

from .style import BOLD, INK, MUTED, REGULAR

ACCENT = colors.HexColor("#0b4f6c")  # headings: dark blue, readable in grey print
CHECK_BOX = "\u2610"  # ballot box, to tick by hand
BULLET = "\u2022"


class BoxLook(NamedTuple):
    """A warning box's border and text colour (``ink``), its background (``fill``) and the mark before its heading."""

    ink: colors.Color
    fill: colors.Color
    mark: str = ""


# Red for the emergency, amber for the clinic: told apart by colour, by the mark and by the words
# (in grey print the red is the darker).
EMERGENCY_BOX = BoxLook(colors.HexColor("#8e0000"), colors.HexColor("#fdecea"), "\u26a0 ")
CLINIC_BOX = BoxLook(colors.HexColor("#7a4100"), colors.HexColor("#fff3df"))
LANGUAGES_WITHOUT_SPACES = frozenset({"zh-Hans"})


def _style(name: str, size: float, **more) -> ParagraphStyle:
    more.setdefault("fontName", REGULAR)
    more.setdefault("textColor", INK)
    more.setdefault("leading", round(size * 1.28, 2))
    more.setdefault("bulletFontSize", size)
    return ParagraphStyle(name, fontSize=size, bulletFontName=REGULAR, **more)


@dataclass(frozen=True)
class HandoutStyles:
    kicker: ParagraphStyle = _style("kicker", 9, textColor=MUTED)
    title: ParagraphStyle = _style("title", 18, fontName=BOLD, textColor=ACCENT, leading=22)
    subtitle: ParagraphStyle = _style("subtitle", 12.5, leading=16, spaceAfter=3)
    heading: ParagraphStyle = _style("heading", 12.5, fontName=BOLD, textColor=ACCENT, spaceBefore=5, spaceAfter=2)
    body: ParagraphStyle = _style("body", 10, spaceAfter=2)
    item: ParagraphStyle = _style("item", 10, leftIndent=15, bulletIndent=2, spaceAfter=1.5)
    # A box large enough to tick by hand, its text clear of it on every line.
    check: ParagraphStyle = _style("check", 10, leftIndent=20, bulletIndent=1, bulletFontSize=13, bulletOffsetY=-1.5,
                                   spaceAfter=2)
    # A warning box's heading and signs take the box's ink: in colour as well as bold, since the CJK font has one
    # weight.
    warning_heading: ParagraphStyle = _style("warning_heading", 12.5, fontName=BOLD, spaceAfter=1)
    warning_call: ParagraphStyle = _style("warning_call", 10.5, fontName=BOLD, spaceAfter=2)
    warning_item: ParagraphStyle = _style("warning_item", 10, fontName=BOLD, leftIndent=15, bulletIndent=2,
                                          spaceAfter=1.5)
    source: ParagraphStyle = _style("source", 7.5, textColor=MUTED, spaceBefore=6)
    footer: ParagraphStyle = _style("footer", 7.5, textColor=MUTED)


@lru_cache(maxsize=None)
def styles_for(language: str) -> HandoutStyles:
    """The stylesheet for text in ``language``: the same sizes, and CJK line breaking where words have no spaces."""
    styles = HandoutStyles()
    if language not in LANGUAGES_WITHOUT_SPACES:
        return styles
    return HandoutStyles(**{
        field.name: getattr(styles, field.name).clone(f"{field.name}_{language}", wordWrap="CJK")
        for field in fields(HandoutStyles)
    })
