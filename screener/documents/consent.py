"""The consent to the treatment as PDF: the signed record (rendered once, at countersigning) and the blank
paper form for a patient who cannot use the tablet.

The signed record shows the words exactly as the patient was shown them (stored with the consent, in their
language), which parts they ticked as read, their questions and their decision, their typed name and drawn
signature, when they signed, and the clinician's countersignature and answer. It reads no clock and no
store: the same consent and countersignature give the same bytes. The clinic's own labels are English;
the words the patient read are theirs. It says nothing of the screening's decision or flags.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from io import BytesIO
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate, Frame, Image, KeepTogether, PageTemplate, Paragraph, Spacer, Table, TableStyle,
)

from ..clinical.consent import (
    CHOICES, CHOICE_LABEL, FITTED_LEAD, GROUPS, INTRO, NAME_LABEL, QUESTIONS_LABEL, READ, SIGNATURE, SIGNED_ON,
    STATEMENT, TITLE,
)
from ..language.formats import long_date
from ..language.i18n import Words
from ..language.wording import language_named
from .handout_style import styles_for
from .style import REGULAR, RULE, markup

MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN
SIGNATURE_SIZE = (80 * mm, 30 * mm)
LINE = "_" * 46
TICKED, UNTICKED = "\u2611", "\u2610"
PDF_TITLE = "Consent to treatment"  # generic metadata: a file's properties must not name the patient


def _para(text: str, style) -> Paragraph:
    return Paragraph(markup(text), style)


def _document(buffer: BytesIO) -> BaseDocTemplate:
    document = BaseDocTemplate(buffer, pagesize=A4, title=PDF_TITLE, author="", subject="", creator="screener",
                               keywords="", invariant=True, initialFontName=REGULAR)
    frame = Frame(MARGIN, MARGIN, WIDTH, A4[1] - 2 * MARGIN, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0)
    document.addPageTemplates(PageTemplate(frames=[frame]))
    return document


def _moment(moment: datetime) -> str:
    moment = moment.astimezone(timezone.utc)
    return f"{long_date(moment.date(), 'en')}, {moment:%H:%M} UTC"


def _facts(rows: list[tuple[str, str]], styles) -> Table:
    cells = [[_para(label, styles.kicker), _para(value, styles.body)] for label, value in rows]
    return Table(cells, colWidths=[0.3 * WIDTH, 0.7 * WIDTH], style=TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))


def render_consent(consent, *, patient_name: str, date_of_birth: date, countersigned_by: str,
                   countersigned_at: datetime, answer: str) -> bytes:
    """The signed consent's PDF (``consent`` a ``screener.storage.consents.StoredConsent``)."""
    styles = styles_for(consent.language)
    say = Words(consent.language, "consent")
    buffer = BytesIO()
    story = [
        _para(say(TITLE), styles.title), Spacer(1, 3 * mm),
        _facts([("Patient", patient_name), ("Date of birth", long_date(date_of_birth, "en")),
                ("Language", language_named(consent.language)), ("Wording version", consent.wording_version),
                ("Signed", "on the tablet" if consent.kind == "tablet" else "on the paper form (recorded by the clinic)")],
               styles),
        Spacer(1, 3 * mm), _para(say(INTRO), styles.body),
    ]
    read = set(consent.read)
    for group in consent.words:
        part = [_para(group["title"], styles.heading), *(_para(text, styles.body) for text in group["paragraphs"])]
        if group["fitted"]:
            part += [_para(say(FITTED_LEAD), styles.warning_call), *(_para(text, styles.body) for text in group["fitted"])]
        if consent.kind == "tablet":
            part.append(_para(f"{TICKED if group['key'] in read else UNTICKED} {say(READ)}", styles.body))
        story.append(KeepTogether(part))
    story += [Spacer(1, 3 * mm), _para(say(STATEMENT), styles.body)]
    facts = [(say(QUESTIONS_LABEL), consent.questions.strip() or "None"),
             (say(CHOICE_LABEL), say(CHOICES[consent.decision])), (say(NAME_LABEL), consent.typed_name),
             ("Signed at", _moment(consent.signed_at))]
    story += [Spacer(1, 2 * mm), _facts(facts, styles)]
    if consent.signature_png:
        story += [Spacer(1, 2 * mm), _para(say(SIGNATURE), styles.kicker),
                  Image(BytesIO(consent.signature_png), *SIGNATURE_SIZE, kind="proportional", hAlign="LEFT")]
    if consent.scan:
        story += [_para(f"A scan of the signed paper form is kept with this record ({len(consent.scan):,} bytes, "
                        f"{consent.scan_type or 'unknown type'}).", styles.body)]
    story += [Spacer(1, 4 * mm), _para("Countersigned by the clinician", styles.heading),
              _facts([("Clinician", countersigned_by), ("Countersigned at", _moment(countersigned_at)),
                      ("Answer to the patient's questions", answer.strip() or "None")], styles)]
    _document(buffer).build(story)
    return buffer.getvalue()


def consent_renderer(intake):
    """What countersigning calls, once, to make the PDF of a consent signed with this intake's answers."""
    patient = intake.patient

    def render(consent, by: str, at: datetime, answer: str) -> bytes:
        return render_consent(consent, patient_name=patient.full_name, date_of_birth=patient.date_of_birth,
                              countersigned_by=by, countersigned_at=at, answer=answer)

    return render


def render_consent_form(language: str = "en") -> bytes:
    """The blank consent on paper in ``language``: every part with a box to tick, the choices, lines to sign."""
    styles = styles_for(language)
    say = Words(language, "consent")
    buffer = BytesIO()
    story = [_para(say(TITLE), styles.title), Spacer(1, 3 * mm), _para(say(INTRO), styles.body)]
    for group in GROUPS:
        story.append(KeepTogether([_para(say(group.title), styles.heading),
                                   *(_para(say(text), styles.body) for text in group.paragraphs),
                                   _para(f"{UNTICKED} {say(READ)}", styles.check)]))
    story += [Spacer(1, 3 * mm), _para(say(STATEMENT), styles.body),
              _para(say(QUESTIONS_LABEL), styles.kicker), _para(LINE, styles.body), _para(LINE, styles.body),
              _para(say(CHOICE_LABEL), styles.kicker),
              *(_para(f"{UNTICKED} {say(text)}", styles.check) for text in CHOICES.values()),
              Spacer(1, 3 * mm), _para(say(NAME_LABEL), styles.kicker), _para(LINE, styles.body),
              _para(say(SIGNATURE), styles.kicker), _para(LINE, styles.body),
              _para(say(SIGNED_ON, date="__________", time="______"), styles.body),
              Spacer(1, 5 * mm), _para("For the clinic: countersigned by ______________________  on ______________",
                                        styles.kicker)]
    _document(buffer).build(story)
    return buffer.getvalue()

