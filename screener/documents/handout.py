"""``render_handout``: the sheet a patient takes home, in their language, as PDF bytes (A4).

What microsclerotherapy is, the sessions, what is normal afterwards and when results
show, the warning signs in two boxes (call the emergency number now; call the clinic
today: SCREENING.md, "The patient's take-home sheet"), aftercare as a checklist, and
notes fitted to this patient. Each fitted note comes from the patient's answers, through
the same test of the answers as the rule it belongs to (so a threshold is declared once,
in ``screener.clinical.rules``), never from the assessment's decision, flags or
exclusions: the only thing the handout reads from the assessment is its date. It names
no patient and quotes no free text. The two telephone numbers are arguments: the
renderer reads no environment.

Every text is an English gettext message of the domain ``handout`` (marked with ``N_``
so ``pybabel extract`` finds it) and is translated through :class:`screener.language.i18n.Words`
where it is drawn. Each number and claim comes from the source articles (SCREENING.md's
``seeds/``) or from the sources SCREENING.md cites; the comment beside it says which.
Dates are written by :func:`screener.language.formats.long_date`, the one format of each language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from io import BytesIO
from typing import Callable

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Frame, KeepTogether, PageTemplate, Paragraph, Spacer, Table, TableStyle,
)

from .handout_style import ACCENT, BULLET, CHECK_BOX, CLINIC_BOX, EMERGENCY_BOX, BoxLook, HandoutStyles, styles_for
from ..clinical.conditions import Test
from ..clinical.models import Assessment, Intake
from ..clinical.rules import rule_test
from ..config import DEFAULT_EMERGENCY_NUMBER
from ..language.formats import long_date
from ..language.i18n import Words
from .style import REGULAR, RULE, markup

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 14 * mm
FOOTER_SPACE = 8 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN
HEADING_ROOM = 35 * mm  # the notes' heading goes to the next page unless this much fits below it
PHONE_BLANK = "_" * 24  # no clinic phone set: the clinic writes its number in by hand


def N_(message: str) -> str:
    """Marks an English message for extraction; it is translated where it is drawn."""
    return message


TITLE = N_("Microsclerotherapy for spider veins")
SUBTITLE = N_("What to expect, and how to look after your legs")
KICKER = N_("Information for you to take home")
PREPARED = N_("Prepared on {date}. Your clinician will go through this sheet with you, answer your questions "
              "and talk with you about whether this treatment suits you.")
PAGE = N_("Page {number}")


@dataclass(frozen=True)
class Section:
    """A heading and its texts: ``paragraphs`` as running text, ``bullets`` as a list, ``checklist`` with tick boxes."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    checklist: tuple[str, ...] = ()


# What the treatment is and what to expect; the warning boxes follow on page one, then the aftercare.
ABOUT: tuple[Section, ...] = (
    Section(
        N_("What is microsclerotherapy?"),
        paragraphs=(
            # Seed 1: "tiny red or blue veins"; a sclerosing agent injected with a very fine needle
            # irritates the vein's walls, which close and fade; blood reroutes to healthier veins.
            N_("Spider veins are tiny red or blue veins close to the skin. In microsclerotherapy, your clinician "
               "injects a medicine into each vein with a very fine needle. The medicine irritates the wall of the "
               "vein. The vein then closes and slowly fades. Your blood flows on through other, healthy veins."),
            # Seed 1: "it does not prevent new ones from developing in the future".
            N_("The treatment does not stop new spider veins from forming later on."),
        ),
    ),
    Section(
        N_("Your sessions"),
        bullets=(
            # Seed 1: "Typically, patients require 2 to 5 sessions"; "takes less than an hour".
            N_("Most people need 2 to 5 sessions. A session usually takes less than an hour."),
            # Seed 2: "wait at least 6 weeks before the procedure is performed again".
            N_("Sessions are at least 6 weeks apart."),
            # Seed 1: "mild discomfort or a slight burning sensation, usually brief"; Seed 2: "a few seconds".
            N_("Each injection may sting or burn for a few seconds. Most people find this easy to bear."),
            # Seed 1: "resume normal activities the day after the procedure" (Seed 2: "immediately"; the
            # later of the two). The walk straight after is in the checklist.
            N_("You can go back to your daily life the day after a session."),
        ),
    ),
    Section(
        N_("After a session: what is normal"),
        bullets=(
            # Seed 2: "the treated areas will feel slightly sore and itchy".
            N_("The treated skin may feel a little sore and itchy."),
            # Seed 1: "mild bruising, swelling, or redness ... usually subside within a few days to a few weeks".
            N_("Bruises, swelling or redness where the needle went in are common. They usually go within a few "
               "days to a few weeks."),
            # Seed 2: "the treated veins will appear darker than before".
            N_("Treated veins look darker at first, then fade slowly."),
            # Seed 2: "Small veins respond within three to six weeks; larger veins ... three to four months".
            N_("Small veins fade over 3 to 6 weeks. Larger veins can take 3 to 4 months."),
            # Asclera and Varithena labels (neovascularization); SCREENING.md's take-home sheet: fine new red
            # veins ("matting") can appear and usually fade.
            N_("Fine new red veins can appear near the treated ones. This is called matting. They usually fade."),
            # Seed 2: brown spots, "Dark-skinned patients are at greater risk", "they can even disappear on their
            # own"; labels (injection site discoloration); SCREENING.md's take-home sheet: they can take a year
            # or more to fade and are rarely permanent.
            N_("Brown marks can show on the skin over treated veins. They are more common on darker skin. They "
               "can take a year or more to fade, but they are rarely permanent."),
            # Seed 2: ulcers ("can take months to heal"), severe allergic reactions and clots are rare; clots
            # are "not a high risk with normal walking and compression therapy".
            N_("Rare problems are a sore that is slow to heal (an ulcer), an allergic reaction, or a blood clot. "
               "Walking and wearing your stockings make a clot less likely."),
        ),
    ),
)
AFTERCARE = Section(
    N_("Looking after your legs"),
    checklist=(
        # Seed 1: compression stockings "as advised by the healthcare provider".
        N_("Wear your compression stockings (firm support stockings) as your clinician tells you."),
        # Asclera patient information; SCREENING.md's take-home sheet: a walk straight after the session.
        N_("Straight after each session, walk for 15 to 20 minutes."),
        # Seed 2: "normal walking and compression therapy".
        N_("Walk every day."),
        # Asclera patient information (no long flights for 2 to 3 days); SCREENING.md's take-home sheet:
        # journeys over 4 hours, and moving the feet when one cannot be avoided.
        N_("For 2 to 3 days after a session, avoid long journeys (over 4 hours). If you cannot avoid one, "
           "move your feet often on the way."),
        # Seed 1: avoid "strenuous physical activities, hot baths, saunas, or direct sun exposure for a few
        # days. Smoking and crossing legs should also be avoided".
        N_("For a few days, do no hard exercise."),
        N_("For a few days, take no hot baths and no saunas."),
        N_("For a few days, keep your legs out of direct sun."),
        N_("Do not smoke."),
        N_("Do not cross your legs when you sit."),
        # Seed 2: "a follow-up visit is needed".
        N_("Go to your follow-up visit."),
    ),
)
SECTIONS: tuple[Section, ...] = (*ABOUT, AFTERCARE)


@dataclass(frozen=True)
class WarningBox:
    """Warning signs in a coloured box: ``heading``, then ``call`` (who to call, with ``{number}``), then the signs."""

    heading: str
    call: str
    signs: tuple[str, ...]
    look: BoxLook


# SCREENING.md, "The patient's take-home sheet": two boxes, in this order, each sign as listed there.
# Sources: the Asclera and Varithena labels and patient information; Seed 2 (clots, necrosis, allergic reactions).
# First what cannot wait: a clot in the lung, a stroke (an embolism through the arteries), anaphylaxis.
EMERGENCY = WarningBox(
    N_("Call the emergency number now"),
    N_("Call {number} now if you have:"),
    (
        N_("chest pain or sudden breathlessness"),
        N_("weakness or numbness of the face, an arm or a leg, trouble speaking, confusion or loss of sight"),
        N_("swelling of the lips, face or throat, wheezing or feeling faint"),
    ),
    EMERGENCY_BOX,
)
# Then the same day: a deep vein clot; an injection into an artery or beside the vein (ischaemia, then
# necrosis or an ulcer); a milder allergic reaction; superficial thrombophlebitis.
CLINIC = WarningBox(
    N_("Call the clinic today"),
    N_("Call the clinic on {number} today if you have:"),
    (
        N_("a painful, swollen leg"),
        N_("skin that turns white, blue-black or very painful where a needle went in, or later a dark patch or "
           "an open wound"),
        N_("a rash"),
        N_("a hard, red, painful lump along a vein"),
    ),
    CLINIC_BOX,
)
WARNING_BOXES = (EMERGENCY, CLINIC)

FITTED_HEADING = N_("About your answers")
FITTED_INTRO = N_("These notes come from answers you gave us.")
# How a note's two sentences stand together: Chinese sets them without a space.
NOTE = N_("{lead} {advice}")

SOURCES = N_("Where this comes from: the articles \u201cHow Micro Sclerotherapy Can Improve the Appearance of "
             "Spider Veins\u201d and \u201cMicro Sclerotherapy For Spider Veins\u201d; European Guidelines for "
             "Sclerotherapy (2014); International Union of Phlebology (2023); US prescribing information and "
             "patient information (Asclera, Varithena).")


def _no_values(intake: Intake, on: date) -> dict[str, date]:
    return {}


def holds(*tests: Test) -> Callable[[Intake, date], bool]:
    """True for an intake on which any of ``tests`` holds (on the assessment date)."""
    return lambda intake, on: any(test.match(intake, on) is not None for test in tests)


@dataclass(frozen=True)
class FittedNote:
    """A note for a patient whose answers make ``applies`` true: ``lead`` (in bold) says which answer, ``advice``
    what to do. ``dates`` gives the dates its texts name, written out in the patient's language."""

    lead: str
    advice: str
    applies: Callable[[Intake, date], bool]
    dates: Callable[[Intake, date], dict[str, date]] = field(default=_no_values)


# Seed 2: "wait at least 6 weeks"; the interval is SESSION-INTERVAL's, from its declaration.
SESSION_TOO_SOON = rule_test("SESSION-INTERVAL", "veins.last_sclerotherapy_date")


def _session_dates(intake: Intake, on: date) -> dict[str, date]:
    last = intake.veins.last_sclerotherapy_date
    return {"last_session": last, "earliest": last + timedelta(days=SESSION_TOO_SOON.days)}


FITTED_NOTES: tuple[FittedNote, ...] = (
    FittedNote(  # Seed 1: smoking "can affect blood flow"; SCREENING.md SMOKER: not smoking around treatment.
        N_("You told us that you smoke."),
        N_("Smoking affects blood flow. Try not to smoke around the time of each session."),
        holds(rule_test("SMOKER", "lifestyle.smoker")),
    ),
    FittedNote(  # Seed 2: brown spots, more likely on dark skin; Seed 1: no direct sun. HYPERPIGMENTATION-RISK's
        # findings on the skin (its skin types), dark marks before and an earlier sclerotherapy's; iron has its note.
        N_("You told us about your skin, or about dark marks you had before."),
        N_("This makes brown marks after treatment more likely. Keep the treated skin out of the sun, and ask "
           "your clinician how to lower the risk."),
        holds(*(rule_test("HYPERPIGMENTATION-RISK", answer) for answer in (
            "skin.fitzpatrick_type", "skin.pigmentation_history", "veins.prior_sclerotherapy_reactions"))),
    ),
    FittedNote(  # Seed 2: "take their prescribed migraine medication before treatment".
        N_("You told us that you get migraines."),
        N_("Bring your usual migraine medicine to each session, and ask your clinician if you should take it "
           "before the session starts."),
        holds(rule_test("MIGRAINE", "neurology.migraine")),
    ),
    FittedNote(  # Seed 1: without stockings "slower healing, increased bruising, or less effective" results.
        N_("You told us that you could not wear compression stockings."),
        N_("Stockings help your legs heal, with less bruising and swelling. Talk to your clinician about this "
           "before treatment."),
        holds(rule_test("NO-COMPRESSION", "lifestyle.can_wear_compression")),
    ),
    FittedNote(  # Asclera (aftercare), SCREENING.md LONG-TRAVEL: treatment clear of long journeys.
        N_("You told us that you plan a journey of more than 4 hours in the next 4 weeks."),
        N_("Tell your clinician the dates, so that your sessions can be planned around the journey."),
        holds(rule_test("LONG-TRAVEL", "lifestyle.long_travel_planned")),
    ),
    FittedNote(  # Seed 1: no direct sun after; SCREENING.md CURRENT-TAN: treat once the tan has faded.
        N_("You told us that you have a suntan or a fake tan."),
        N_("It is best to wait until the tan has faded before treatment. After each session, keep the treated "
           "skin out of the sun."),
        holds(rule_test("CURRENT-TAN", "skin.current_tan")),
    ),
    FittedNote(  # Seed 2: "wait at least 6 weeks"; SCREENING.md SESSION-INTERVAL: the last session + its interval.
        N_("Your last session was on {last_session}."),
        N_("The next one should be at least 6 weeks later: not before {earliest}."),
        holds(SESSION_TOO_SOON),
        _session_dates,
    ),
    FittedNote(  # SCREENING.md HYPERPIGMENTATION-RISK (iron supplement); never stop a medicine unadvised.
        N_("You told us that you take iron tablets or have iron infusions."),
        N_("Iron can make brown marks after treatment more likely. Ask your clinician about it before "
           "treatment, and do not stop it on your own."),
        holds(rule_test("HYPERPIGMENTATION-RISK", "medications.iron_supplement")),
    ),
    FittedNote(  # UIP 2023 (SCREENING.md MINOCYCLINE): lasting blue-black pigmentation.
        N_("You told us that you take minocycline, an antibiotic."),
        N_("It can leave blue-black marks on the skin after treatment that last a long time. Talk to your "
           "clinician about it before treatment, and do not stop it on your own."),
        holds(rule_test("MINOCYCLINE", "medications.minocycline")),
    ),
)


def fitted_notes(intake: Intake, on: date) -> list[FittedNote]:
    """The notes this patient's answers call for, in the handout's order; ``on`` is the assessment date."""
    return [note for note in FITTED_NOTES if note.applies(intake, on)]


def render_handout(intake: Intake, assessment: Assessment, language: str = "en", *, clinic_phone: str = "",
                   emergency_number: str = DEFAULT_EMERGENCY_NUMBER) -> bytes:
    """The patient's take-home sheet in ``language``: byte-identical for the same inputs; reads no clock.

    Only ``assessment.assessed_on`` is read from the assessment (the sheet's date and the
    6-week count); never its decision, flags or exclusions. ``emergency_number`` is printed
    in the first box, ``clinic_phone`` in the second ("": a line to write it on); the
    caller resolves both (``screener.config``). UnknownLanguage for a language with no
    catalogs; ValueError for a blank emergency number.
    """
    if not emergency_number.strip():
        raise ValueError("the take-home sheet needs the emergency number to print (screener.config.emergency_number)")
    words = Words(language, "handout")
    styles = styles_for(language)
    on = assessment.assessed_on
    buffer = BytesIO()
    # Generic metadata only: the file's properties must not name the patient.
    document = BaseDocTemplate(buffer, pagesize=A4, title=words(TITLE), author="", subject="", creator="screener",
                               keywords="", lang=language, invariant=True, initialFontName=REGULAR)
    frame = Frame(MARGIN, MARGIN + FOOTER_SPACE, WIDTH, PAGE_HEIGHT - 2 * MARGIN - FOOTER_SPACE,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    footer = partial(_draw_footer, words=words, style=styles.footer)
    document.addPageTemplates(PageTemplate(frames=[frame], onPage=footer))
    boxes = ((EMERGENCY, emergency_number.strip()), (CLINIC, clinic_phone.strip() or PHONE_BLANK))
    story = [
        *_header(words, styles, on),
        *(flowable for section in ABOUT for flowable in _section(section, words, styles)),
        _warning_boxes(boxes, words, styles),
        KeepTogether(_section(AFTERCARE, words, styles)),  # a checklist to tick is not split between pages
        *_fitted(intake, on, words, styles),
        KeepTogether([_para(words(SOURCES), styles.source)]),
    ]
    document.build(story)
    return buffer.getvalue()


def _para(text: str, style: ParagraphStyle, **bullet) -> Paragraph:
    """``text`` shown literally (escaped, CJK in the fallback font)."""
    return Paragraph(markup(text), style, **bullet)


def _header(words: Words, styles: HandoutStyles, on: date) -> list:
    return [
        _para(words(KICKER), styles.kicker),
        _para(words(TITLE), styles.title),
        _para(words(SUBTITLE), styles.subtitle),
        _para(words(PREPARED, date=long_date(on, words.language)), styles.body),
    ]


def _section(section: Section, words: Words, styles: HandoutStyles) -> list:
    items = [_para(words(text), styles.body) for text in section.paragraphs]
    items += [_para(words(text), styles.item, bulletText=BULLET) for text in section.bullets]
    items += [_para(words(text), styles.check, bulletText=CHECK_BOX) for text in section.checklist]
    return [KeepTogether([_para(words(section.heading), styles.heading), items[0]]), *items[1:]]


def _warning_boxes(boxes: tuple[tuple[WarningBox, str], ...], words: Words, styles: HandoutStyles) -> KeepTogether:
    """The boxes, each with the number it prints, kept together on one page."""
    return KeepTogether([flowable for box, number in boxes
                         for flowable in (Spacer(1, 3 * mm), _warning_box(box, number, words, styles))])


def _warning_box(box: WarningBox, number: str, words: Words, styles: HandoutStyles) -> Table:
    ink, fill, mark = box.look
    heading, item = (style.clone(f"{style.name}_{ink.hexval()}", textColor=ink)
                     for style in (styles.warning_heading, styles.warning_item))
    inside = [
        _para(f"{mark}{words(box.heading)}", heading),
        _para(words(box.call, number=number), styles.warning_call),
        *(_para(words(sign), item, bulletText=BULLET) for sign in box.signs),
    ]
    table = Table([[inside]], colWidths=[WIDTH], style=TableStyle([
        ("FONT", (0, 0), (-1, -1), REGULAR, styles.body.fontSize),  # reportlab's default is Helvetica, not embedded
        ("BOX", (0, 0), (-1, -1), 1.5, ink),
        ("BACKGROUND", (0, 0), (-1, -1), fill),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def _fitted(intake: Intake, on: date, words: Words, styles: HandoutStyles) -> list:
    notes = fitted_notes(intake, on)
    if not notes:
        return []
    story = [CondPageBreak(HEADING_ROOM), _para(words(FITTED_HEADING), styles.heading),
             _para(words(FITTED_INTRO), styles.body)]
    for note in notes:
        dates = {name: long_date(day, words.language) for name, day in note.dates(intake, on).items()}
        lead = _emphasis(markup(words(note.lead, **dates)))
        text = markup(words(NOTE)).format(lead=lead, advice=markup(words(note.advice, **dates)))
        story.append(Paragraph(text, styles.item, bulletText=BULLET))
    return story


def _emphasis(text_markup: str) -> str:
    """Markup in bold and colour: the colour shows in scripts whose shipped font has one weight (CJK)."""
    return f'<font color="{ACCENT.hexval()}"><b>{text_markup}</b></font>'


def _draw_footer(canvas: Canvas, document, *, words: Words, style: ParagraphStyle) -> None:
    """The sheet's title and the page number, so a loose second page is still recognised."""
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, MARGIN + 11, PAGE_WIDTH - MARGIN, MARGIN + 11)
    for text, alignment in ((words(TITLE), TA_LEFT), (words(PAGE, number=document.page), TA_RIGHT)):
        paragraph = Paragraph(markup(text), style.clone(f"footer_{alignment}", alignment=alignment))
        _, height = paragraph.wrap(WIDTH, FOOTER_SPACE)
        paragraph.drawOn(canvas, MARGIN, MARGIN + 8 - height)
    canvas.restoreState()
