"""The clinician summary's part for a course of treatment: what changed since the last visit, answer by
answer, and the sessions given before (date, agent, strength, form, volume, lot, reactions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Table

from ..clinical.treatment import AGENT_WORDS, TreatmentRecord
from .style import HEADER_FILL, RULE, STYLES, literal

CELL_PADDING = 4
HEADING_ROOM = 30 * mm  # as the summary's: a heading goes to the next page unless this much fits
GAS_WORDS = {"air": "air", "co2": "CO2", "co2_o2": "CO2/O2"}


@dataclass(frozen=True)
class Course:
    """What the summary shows of the patient's course: ``changes`` (step title, question, before, now)
    from the visit this one started from, and the ``sessions`` recorded before this visit."""

    changes: Sequence[tuple[str, str, str, str]] = field(default_factory=tuple)
    sessions: Sequence[TreatmentRecord] = field(default_factory=tuple)
    returning: bool = False  # a returning visit, so an empty list of changes says "nothing changed"


def _cell(text: str, width: float, style=STYLES.cell):
    return literal(text, style, width - 2 * CELL_PADDING)


def _table(heads: Sequence[str], widths: Sequence[float], rows: list[list], table_style) -> Table:
    header = [_cell(text, width, STYLES.column_head) for text, width in zip(heads, widths)]
    return Table([header, *rows], colWidths=list(widths), repeatRows=1, style=table_style(
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("GRID", (0, 0), (-1, -1), 0.25, RULE)))


def session_words(record: TreatmentRecord) -> list[str]:
    """One session as its row reads: date, agent, %, form (and gas), volume, lot, reactions."""
    form = f"foam ({GAS_WORDS[record.gas]})" if record.form == "foam" and record.gas else record.form
    return [record.session_date.isoformat(), AGENT_WORDS[record.agent], f"{record.concentration_percent:g} %", form,
            f"{record.volume_ml:g} mL", record.lot,
            ", ".join(reaction.replace("_", " ") for reaction in record.reactions) or "None seen"]


def course_sections(course: Course, width: float, paragraph, table_style) -> list:
    """The flowables: "Changed since last visit" (on a returning visit) and "Previous sessions" (when any)."""
    story: list = []
    if course.returning:
        story += [CondPageBreak(HEADING_ROOM), paragraph("Changed since last visit", STYLES.heading)]
        if course.changes:
            widths = [0.46 * width, 0.27 * width, 0.27 * width]
            rows = [[_cell(f"{question} ({title})", widths[0]), _cell(before, widths[1]),
                     _cell(now, widths[2], STYLES.cell_bold)] for title, question, before, now in course.changes]
            story.append(_table(("Question", "Last visit", "Now"), widths, rows, table_style))
        else:
            story.append(paragraph("Nothing: every answer is as at the last visit.", STYLES.body))
    if course.sessions:
        widths = [0.13 * width, 0.2 * width, 0.08 * width, 0.14 * width, 0.09 * width, 0.14 * width, 0.22 * width]
        rows = [[_cell(text, cell_width) for text, cell_width in zip(session_words(record), widths)]
                for record in course.sessions]
        story += [CondPageBreak(HEADING_ROOM),
                  paragraph(f"Previous sessions ({len(course.sessions)})", STYLES.heading),
                  _table(("Date", "Agent", "%", "Form", "Volume", "Lot", "Reactions"), widths, rows, table_style)]
    return story

