"""``render_pdf``: the clinician summary of one intake and its assessment, as PDF bytes (A4).

Page one is what a clinician reads in the two minutes before the consultation: who,
the decision, what is excluded and every flag, most severe first. Then every answer as
the patient saw the question, the consent and the rules version. The renderer reads no
clock: its dates are ``assessment.assessed_on`` and ``intake.consent.signed_at``, and
reportlab's invariant mode makes the same inputs give the same bytes. Every piece of
text, the patient's and ours, is set by :func:`screener.documents.style.literal` (drawn as is, or
escaped by :func:`screener.documents.style.markup` into a ``Paragraph``) or escaped by ``markup``.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from io import BytesIO
from typing import TYPE_CHECKING, Optional

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Frame, KeepTogether, PageTemplate, Paragraph, Spacer, Table, TableStyle,
)

from ..clinical.models import Assessment, Flag, Intake, Patient, age_in_years
from .course import Course, course_sections
from .style import (
    CITED_FILL, CITED_MARK, DECISION_LOOKS, HEADER_FILL, MUTED, REGULAR, RULE, SECTION_FILL, SEVERITY_FILLS,
    SEVERITY_SYMBOLS, STYLES, WrapOnceParagraph, fits_one_line, hanging, literal, markup, shortened,
    text_width,
)
from ..clinical.questionnaire import (
    AGENT_LABELS, CONSENT_QUESTIONS, DECISION_LABELS, OWN_WORDS_TITLE, SEVERITY_LABELS, STEP_BY_SECTION,
    STEPS, TECHNIQUE_LABELS, answer_rows, cited_questions, not_asked_questions, own_words,
)
from ..language.formats import long_date
from ..language.wording import consent_statements, language_named

if TYPE_CHECKING:  # the storage package (and SQLAlchemy) is not loaded to draw a PDF
    from ..storage.records import Capture

TITLE = "Microsclerotherapy screening summary"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
FOOTER_SPACE = 12 * mm
FOOTER_BASELINE = MARGIN
WIDTH = PAGE_WIDTH - 2 * MARGIN
FOOTER_NAME_WIDTH = 0.6 * WIDTH
HEADING_ROOM = 30 * mm  # a heading goes to the next page unless this much fits below it
# Questions are long and most answers short: the questions get the room, so a row rarely wraps.
ANSWER_WIDTHS = [0.64 * WIDTH, 0.36 * WIDTH]
OWN_WORDS_WIDTHS = [0.56 * WIDTH, 0.44 * WIDTH]  # free text needs the room there
RULE_ID_COLOUR = "#666666"
CELL_PADDING = 4
OWN_WORDS_FILL = colors.HexColor("#e3ecfa")
# Page one quotes this much of each text the patient wrote; the answers below hold it in full.
OWN_WORDS_LINES, OWN_WORDS_CHARACTERS = 8, 600


def render_pdf(intake: Intake, assessment: Assessment, capture: Optional["Capture"] = None,
               course: Optional[Course] = None) -> bytes:
    """The clinician summary PDF: byte-identical for the same intake, assessment, capture and course.

    With the submission's ``capture``, it names the language the patient answered in, shows
    the consent statement in the words they signed with the English beside it, and gives the
    unit a patient typed a height or weight in. With the patient's ``course``, it shows what
    changed since the last visit and the sessions given before.
    """
    buffer = BytesIO()
    # Generic metadata only: a file's properties must not name the patient.
    document = BaseDocTemplate(buffer, pagesize=A4, title=TITLE, author="", subject="", creator="screener",
                               keywords="", invariant=True, initialFontName=REGULAR)
    body = Frame(MARGIN, MARGIN + FOOTER_SPACE, WIDTH, PAGE_HEIGHT - 2 * MARGIN - FOOTER_SPACE,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    footer = partial(_draw_footer, patient_line=_footer_patient_line(intake.patient))
    document.addPageTemplates(PageTemplate(frames=[body], onPage=footer))
    document.build(_story(intake, assessment, capture, course or Course()), canvasmaker=_PageCountCanvas)
    return buffer.getvalue()


def _story(intake: Intake, assessment: Assessment, capture: Optional["Capture"], course: Course) -> list:
    answers = _answers(intake, assessment, capture.entered if capture is not None else {})
    return [
        *_header(intake, assessment),
        *_language_line(capture),
        _decision_banner(assessment),
        Spacer(1, 3 * mm),
        *_own_words(intake),
        *_not_asked(intake),
        _exclusions(assessment),
        *_flags(assessment.flags),
        *course_sections(course, WIDTH, _para, _table_style),
        *answers[:-2],
        # The consent never stands alone on a last page: it goes with the last answers. (Not nested in
        # another KeepTogether: reportlab gives one inside another an endless height.)
        KeepTogether([*answers[-2:], *_consent(intake, assessment, capture)]),
    ]



def _day(value: date) -> str:
    """A date as the clinician reads it, in English: ``21 November 2026``."""
    return long_date(value, "en")


def _date_time(moment: datetime) -> str:
    clock = f"{moment:%H:%M:%S}" if moment.second or moment.microsecond else f"{moment:%H:%M}"
    offset = moment.utcoffset()
    if offset is None:
        zone = "clinic time"
    else:
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "\u2212"
        zone = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return f"{_day(moment.date())}, {clock} ({zone})"


def _birth_and_age(patient: Patient, on: date) -> str:
    return f"{_day(patient.date_of_birth)} (age {age_in_years(patient.date_of_birth, on)})"


def _para(text: str, style=STYLES.cell) -> Paragraph:
    return WrapOnceParagraph(markup(text), style)


def _cell(text: str, column_width: float, style=STYLES.cell):
    return literal(text, style, column_width - 2 * CELL_PADDING)


def _table_style(*commands) -> TableStyle:
    """Compact cells (the answers should fit two pages), tops aligned, then ``commands``."""
    return TableStyle([
        ("FONT", (0, 0), (-1, -1), REGULAR, 8),  # for empty cells too; reportlab's default is Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        *commands,
    ])


def _header(intake: Intake, assessment: Assessment) -> list:
    patient = intake.patient
    sex = STEP_BY_SECTION["patient"].question("sex_at_birth").label(patient.sex_at_birth)
    facts = [
        ("Date of birth", _birth_and_age(patient, assessment.assessed_on)),
        ("Sex at birth", sex),
        ("Assessed on", _day(assessment.assessed_on)),
        ("Signed", _date_time(intake.consent.signed_at)),
    ]
    facts_table = Table(
        [[_para(label, STYLES.label) for label, _ in facts], [_para(value, STYLES.value) for _, value in facts]],
        colWidths=[0.295 * WIDTH, 0.092 * WIDTH, 0.205 * WIDTH, 0.408 * WIDTH],
        style=_table_style(("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 1)),
    )
    return [
        _para(f"{TITLE.upper()} \u00b7 for the clinician \u00b7 confidential", STYLES.kicker),
        Spacer(1, 1.5 * mm),
        literal(patient.full_name, STYLES.patient_name, WIDTH),
        Spacer(1, 2 * mm),
        facts_table,
        Spacer(1, 3 * mm),
    ]


def _language_line(capture: Optional["Capture"]) -> list:
    """The language the patient answered in, named for the clinician and as the patient knows it."""
    if capture is None:
        return []
    return [_para(f"Answered in {language_named(capture.language)}. Questions below are in English.", STYLES.body),
            Spacer(1, 2 * mm)]


def _severity_counts(flags: list[Flag]) -> str:
    counts = [(SEVERITY_LABELS[severity].lower(), sum(flag.severity == severity for flag in flags))
              for severity in SEVERITY_LABELS]
    listed = ", ".join(f"{count} {label}" for label, count in counts if count)
    return f"{listed} flag{'s' if len(flags) > 1 else ''}"


def _decision_banner(assessment: Assessment) -> Table:
    look = DECISION_LOOKS[assessment.decision]
    decision = DECISION_LABELS[assessment.decision].upper()
    found = _severity_counts(assessment.flags) if assessment.flags else "no rule fired on these answers"
    detail = f"Decision of rules version {assessment.rules_version}: {found}."
    return Table(
        [[_para(f"{look.symbol}  {decision}  {look.symbol}", STYLES.banner.clone("banner_on_fill", textColor=look.text))],
         [_para(detail, STYLES.banner_detail.clone("banner_detail_on_fill", textColor=look.text))]],
        colWidths=[WIDTH],
        style=_table_style(
            ("BACKGROUND", (0, 0), (-1, -1), look.fill),
            ("BOX", (0, 0), (-1, -1), 2, HEADER_FILL),
            ("TOPPADDING", (0, 0), (-1, 0), 5),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
        ),
    )


def _exclusions(assessment: Assessment) -> Table:
    agents = ", ".join(AGENT_LABELS[agent] for agent in assessment.excluded_agents)
    techniques = ", ".join(TECHNIQUE_LABELS[technique] for technique in assessment.excluded_techniques)
    label_width, value_width = 0.25 * WIDTH, 0.75 * WIDTH
    rows = [
        [_cell(label, label_width, STYLES.cell_bold),
         _cell(excluded, value_width, STYLES.cell_bold) if excluded else _cell("None", value_width)]
        for label, excluded in (("Excluded agents", agents), ("Excluded techniques", techniques))
    ]
    return Table(rows, colWidths=[label_width, value_width], style=_table_style(
        ("BOX", (0, 0), (-1, -1), 0.75, RULE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.25, RULE),
        ("BACKGROUND", (0, 0), (0, -1), SECTION_FILL),
    ))


def _flags(flags: list[Flag]) -> list:
    if not flags:
        return [_para("Flags", STYLES.heading), _para("No flags: no rule fired on these answers.", STYLES.body)]
    widths = [0.15 * WIDTH, 0.39 * WIDTH, 0.27 * WIDTH, 0.19 * WIDTH]
    heads = ("Severity", "Flag and why", "Action", "Source")
    rows = [[_cell(text, width, STYLES.column_head) for text, width in zip(heads, widths)]]
    style = [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("GRID", (0, 0), (-1, -1), 0.25, RULE)]
    for number, flag in enumerate(flags, start=1):
        severity = f"{SEVERITY_SYMBOLS[flag.severity]} {SEVERITY_LABELS[flag.severity]}"
        title = f'<b>{markup(flag.title)}</b> <font size="6.5" color="{RULE_ID_COLOUR}">{markup(flag.rule_id)}</font>'
        rows.append([
            _cell(severity, widths[0], STYLES.cell_bold),
            WrapOnceParagraph(f"{title}<br/>{markup(flag.reason)}", STYLES.cell),
            _cell(flag.action, widths[2]),
            _cell(flag.source, widths[3], STYLES.cell_small),
        ])
        style.append(("BACKGROUND", (0, number), (0, number), SEVERITY_FILLS[flag.severity]))
    return [
        CondPageBreak(HEADING_ROOM),
        _para(f"Flags ({len(flags)}), most severe first", STYLES.heading),
        Table(rows, colWidths=widths, repeatRows=1, style=_table_style(*style)),
    ]


def _choices_given(intake: Intake) -> dict[tuple[str, str], list[str]]:
    """The labels of every multiple-choice answer, one item each: labels may hold commas themselves."""
    given = {}
    for step in STEPS:
        for question in step.questions:
            chosen = getattr(getattr(intake, step.section), question.name)
            if question.kind == "multi" and chosen:
                given[(step.title, question.text)] = [question.label([choice]) for choice in chosen]
    return given


def _answer_cell(answer: str, items: list[str] | None, cited: bool, width: float) -> list:
    """An answer, or its chosen items as a bulleted list; a cited one bold after CITED_MARK.
    Wrapped lines hang under the text, so an item that wraps does not read as two."""
    style = STYLES.cell_bold if cited else STYLES.cell
    mark = f"{CITED_MARK} " if cited else ""
    bullet = "\u2022 " if items else ""
    lines = items or [answer]
    leads = [mark + bullet] + [bullet] * (len(lines) - 1)
    indent = text_width(mark + bullet, style)
    return [
        literal(lead + line, hanging(style, indent, text_width(lead, style)), width - 2 * CELL_PADDING)
        for lead, line in zip(leads, lines)
    ]


def _own_words(intake: Intake) -> list:
    """The patient's own words, on page one in a highlighted box, so nobody has to find them."""
    written = own_words(intake)
    if not written:
        return []
    question_width, text_width = OWN_WORDS_WIDTHS
    rows = [[_cell(OWN_WORDS_TITLE, WIDTH, STYLES.section_head), ""]]
    rows += [[_cell(question, question_width), _cell(_opening(text), text_width, STYLES.cell_bold)]
             for question, text in written]
    table = Table(rows, colWidths=OWN_WORDS_WIDTHS, splitInRow=1, style=_table_style(
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, -1), OWN_WORDS_FILL),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, RULE),
        ("BOX", (0, 0), (-1, -1), 1.5, RULE),
    ))
    return [table, Spacer(1, 3 * mm)]


NOT_ASKED_NOTE = ("Signed before these questions were added to the intake, so never asked (no rule read them): "
                  "{questions}. Ask them at the consultation.")


def _not_asked(intake: Intake) -> list:
    """On page one: the questions this intake, signed before they were added, was never asked."""
    questions = not_asked_questions(intake)
    if not questions:
        return []
    return [_para(NOT_ASKED_NOTE.format(questions="; ".join(f"\u201c{text}\u201d" for _, text in questions)),
                  STYLES.body), Spacer(1, 2 * mm)]


def _has_long_text(rows: list[tuple[str, str]]) -> bool:
    """Whether an answer is so long that its row may need to continue on the next page; a shorter
    row is never cut in two, so each answer reads whole beside its question."""
    return any(answer.count("\n") >= OWN_WORDS_LINES or len(answer) > OWN_WORDS_CHARACTERS for _, answer in rows)


def _opening(text: str) -> str:
    """A text as written, or its opening and a pointer to the rest when it is long."""
    lines = text.strip().splitlines()
    opening = "\n".join(lines[:OWN_WORDS_LINES])[:OWN_WORDS_CHARACTERS].rstrip()
    if opening == "\n".join(lines):
        return opening
    return f"{opening}\u2026\n(continued in full in the answers below)"


def _answers(intake: Intake, assessment: Assessment, entered: dict[str, str]) -> list:
    """The answers under their questions: a list that ends with the last step's table and a spacer."""
    cited = cited_questions(assessment)
    choices = _choices_given(intake)
    story = [CondPageBreak(HEADING_ROOM), _para("Answers, with each question as the patient saw it", STYLES.heading)]
    if cited:
        story.append(_para(f"{CITED_MARK} marks an answer that a flag above gives as its evidence.", STYLES.note))
    question_width, answer_width = ANSWER_WIDTHS
    for title, rows in answer_rows(intake, _day, entered):
        table_rows = [[_cell(title, WIDTH, STYLES.section_head), ""]]
        style = [
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), SECTION_FILL),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
            ("BOX", (0, 0), (-1, -1), 0.75, RULE),
        ]
        for number, (question, answer) in enumerate(rows, start=1):
            is_cited = (title, question) in cited
            if is_cited:
                style.append(("BACKGROUND", (0, number), (-1, number), CITED_FILL))
            shown = _answer_cell(answer, choices.get((title, question)), is_cited, answer_width)
            table_rows.append([_cell(question, question_width), shown])
        story += [
            Table(table_rows, colWidths=ANSWER_WIDTHS, repeatRows=1, splitInRow=int(_has_long_text(rows)),
                  style=_table_style(*style)),
            Spacer(1, 1.5 * mm),
        ]
    return story


def _consent(intake: Intake, assessment: Assessment, capture: Optional["Capture"]) -> list:
    consent = intake.consent
    label_width, value_width = 0.3 * WIDTH, 0.7 * WIDTH
    rows = [
        *((label, statement, STYLES.cell) for label, statement in consent_statements(capture)),
        (CONSENT_QUESTIONS["answers_confirmed"], "Yes" if consent.answers_confirmed else "No", STYLES.cell),
        (CONSENT_QUESTIONS["signature"], consent.signature, STYLES.cell_bold),
        (CONSENT_QUESTIONS["signed_at"], _date_time(consent.signed_at), STYLES.cell),
    ]
    rows = [[_cell(label, label_width), _cell(value, value_width, style)] for label, value, style in rows]
    table = Table(rows, colWidths=[label_width, value_width], style=_table_style(
        ("LINEBELOW", (0, 0), (-1, -2), 0.25, RULE),
        ("BOX", (0, 0), (-1, -1), 0.75, RULE),
    ))
    version = f"Rules version {assessment.rules_version}; assessed on {_day(assessment.assessed_on)}."
    if capture is not None and capture.wording_version:
        version = (f"Rules version {assessment.rules_version}; questionnaire wording {capture.wording_version}; "
                   f"assessed on {_day(assessment.assessed_on)}.")
    return [_para("Consent", STYLES.heading), table, Spacer(1, 2 * mm), _para(version, STYLES.note)]


def _footer_patient_line(patient: Patient) -> str:
    """Name and date of birth on one line: a name too long for it ends in an ellipsis; the date is always whole."""
    name = patient.full_name.strip()
    born = f" \u00b7 born {markup(_day(patient.date_of_birth))}"
    shortest, longest = 0, len(name)
    if fits_one_line(markup(name) + born, STYLES.footer, FOOTER_NAME_WIDTH):
        shortest = longest
    while shortest < longest:  # the longest start of the name that fits, by halving
        middle = (shortest + longest + 1) // 2
        if fits_one_line(markup(shortened(name, middle)) + born, STYLES.footer, FOOTER_NAME_WIDTH):
            shortest = middle
        else:
            longest = middle - 1
    return markup(shortened(name, shortest)) + born


def _draw_footer(canvas: Canvas, document, *, patient_line: str) -> None:
    """Name and date of birth (so loose pages can be matched) and the confidential mark."""
    canvas.saveState()
    top = FOOTER_BASELINE + 9
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, top + 4, PAGE_WIDTH - MARGIN, top + 4)
    for text, style, x, width in (
        (patient_line, STYLES.footer, MARGIN, FOOTER_NAME_WIDTH),
        ("CONFIDENTIAL", STYLES.footer_centre, MARGIN + 0.6 * WIDTH, 0.2 * WIDTH),
    ):
        paragraph = WrapOnceParagraph(text, style)
        _, height = paragraph.wrap(width, FOOTER_SPACE)
        paragraph.drawOn(canvas, x, top - height)
    canvas.restoreState()


class _PageCountCanvas(Canvas):
    """Writes "Page X of Y" on every page. The total is known only at the end, so each page shows
    a form (a PDF XObject) by name, and each form is drawn once the last page is done."""

    def showPage(self):
        self.doForm(_page_number_form(self.getPageNumber()))
        super().showPage()

    def save(self):
        total = self.getPageNumber() - 1
        for number in range(1, total + 1):
            self.beginForm(_page_number_form(number))
            self.setFont(REGULAR, 7.5)
            self.setFillColor(MUTED)
            self.drawRightString(PAGE_WIDTH - MARGIN, FOOTER_BASELINE + 9 - 7.5, f"Page {number} of {total}")
            self.endForm()
        super().save()


def _page_number_form(number: int) -> str:
    return f"page-number-{number}"
