"""Every word a patient reads, in one place: steps, questions, help texts and choice labels,
and when each question is asked.

The wizard draws these, and the clinician PDF and screens quote them, so the clinician
reads exactly the question the patient answered. Plain language first; the medical term
in brackets where a patient may know it (wording after the source articles in seeds/).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Literal, Optional

Kind = Literal["text", "date", "choice", "multi", "yes_no", "number", "long_text", "skin_type"]


@dataclass(frozen=True)
class Answered:
    """An answer given: ``section.name`` is ``value``, or, for a list of choices, has it among them."""

    section: str
    name: str
    value: Any

    def holds(self, answers: dict) -> bool:
        """Whether it holds for ``answers``, the answers of its section (name → value)."""
        given = answers.get(self.name)
        return self.value in given if isinstance(given, list) else given == self.value


@dataclass(frozen=True)
class Question:
    """One answer of the intake: ``name`` is the field inside its section.

    When a question is asked is declared here, once, and read by the wizard, the model's
    cross-field check and the FHIR Questionnaire: a follow-up is asked only when an answer
    of its own step holds (``asked_only_when``); a question is not asked when an answer of an
    earlier step holds (``not_asked_when``), and then the intake records ``recorded_as``.
    """

    name: str
    text: str
    kind: Kind
    help: str = ""
    choices: dict[Any, str] = field(default_factory=dict)
    optional: bool = False
    # For a free text: the yes/no question asked before the text box appears.
    gate: str = ""
    asked_only_when: Optional[Answered] = None
    not_asked_when: Optional[Answered] = None
    recorded_as: Any = None
    unit: str = ""
    # About now or a recent stretch of time (pregnant now, a journey in the next 4 weeks, the last
    # session): asked afresh at every visit, never filled in from an earlier one.
    fresh: bool = False

    def is_asked(self, answers: dict) -> bool:
        """Whether a follow-up is asked, for ``answers`` of its step (every other question is)."""
        return self.asked_only_when is None or self.asked_only_when.holds(answers)

    def is_skipped(self, answers: dict[str, dict]) -> bool:
        """Whether the question is left out, ``recorded_as`` recorded instead, for ``answers``
        (section → name → value)."""
        condition = self.not_asked_when
        return condition is not None and condition.holds(answers.get(condition.section, {}))

    def unasked_answer(self) -> Any:
        """What the intake records for the question when it is not asked: ``recorded_as`` when
        another answer leaves it out, no choices for a list, nothing (None) otherwise."""
        if self.not_asked_when is not None:
            return self.recorded_as
        return [] if self.kind == "multi" else None

    def label(self, value: Any) -> str:
        """The words for a stored answer, as the patient chose them. A date is written by its
        reader's side, in the reader's language (``screener.language.formats.long_date``)."""
        if isinstance(value, date):
            raise TypeError("a date is written by its reader's side: screener.language.formats.long_date")
        if value is None:
            return NOT_GIVEN
        if self.kind == "yes_no" or isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, list):
            return ", ".join(self.choices.get(item, str(item)) for item in value) if value else "None of these"
        if self.choices:
            return self.choices.get(value, str(value))
        if self.unit:  # a height or weight converted from another unit is shown to a tenth
            return f"{round(value, 1):g} {self.unit}" if isinstance(value, float) else f"{value} {self.unit}"
        return str(value)


@dataclass(frozen=True)
class Step:
    """One screen of the wizard: one topic, one section of the intake."""

    section: str
    title: str
    intro: str
    questions: tuple[Question, ...]

    def question(self, name: str) -> Question:
        return next(question for question in self.questions if question.name == name)


YES_NO = {True: "Yes", False: "No"}
NONE_OF_THESE = "None of these"
NOT_GIVEN = "Not given"
# An answer added to the intake (SCREENING.md version 2) after this intake was signed.
NOT_ASKED_THEN = "Not asked (signed before this question was added)"


# The questions about earlier injection treatment, asked only after it is chosen.
HAD_SCLEROTHERAPY = Answered("veins", "prior_treatments", "sclerotherapy")
# Not asked of a patient whose sex at birth is male: pregnancy, breastfeeding and a recent birth,
# recorded as not applicable, no and no (the README says why this is safe); asked of everyone
# else, intersex and "prefer not to say" too.
MALE_AT_BIRTH = Answered("patient", "sex_at_birth", "male")


FITZPATRICK_TYPES = {
    1: "Very fair skin: always burns, never tans",
    2: "Fair skin: usually burns, tans with difficulty",
    3: "Medium skin: sometimes burns, tans gradually",
    4: "Olive or light brown skin: rarely burns, tans easily",
    5: "Brown skin: very rarely burns, tans very easily",
    6: "Dark brown or black skin: never burns",
}

STEPS: tuple[Step, ...] = (
    Step(
        "patient",
        "About you",
        "A few details so the clinic knows who you are.",
        (
            Question("full_name", "Your full name", "text", help="As it appears on your ID or health card."),
            Question("date_of_birth", "Your date of birth", "date"),
            Question(
                "sex_at_birth",
                "Your sex at birth",
                "choice",
                help="Some risks depend on it. You may choose not to say.",
                choices={"female": "Female", "male": "Male", "intersex": "Intersex", "prefer_not_to_say": "I prefer not to say"},
            ),
            Question("height_cm", "Your height (optional)", "number", unit="cm", optional=True,
                     help="If you give your height, please give your weight too."),
            Question("weight_kg", "Your weight (optional)", "number", unit="kg", optional=True,
                     help="If you give your weight, please give your height too."),
        ),
    ),
    Step(
        "veins",
        "Your veins",
        "Spider veins are the small red, blue or purple veins just under the skin.",
        (
            Question(
                "areas",
                "Where are the veins you would like treated?",
                "multi",
                help="Choose all that apply.",
                choices={"legs": "Legs", "face": "Face", "other": "Somewhere else"},
            ),
            Question(
                "largest_vein",
                "How wide is the largest vein you want treated?",
                "choice",
                help="A guide: a thread is under 1 mm; a matchstick is about 2 to 3 mm; a pencil is about 7 mm.",
                choices={
                    "under_1mm": "Very thin, like a thread (under 1 mm)",
                    "1_to_3mm": "Up to the width of a matchstick (1 to 3 mm)",
                    "over_3mm": "Wider than a matchstick (over 3 mm)",
                    "unsure": "I am not sure",
                },
            ),
            Question(
                "bulging",
                "Does any of your veins bulge above the skin or look like a rope?",
                "choice",
                help="Bulging veins (varicose veins) are raised, often blue and twisted.",
                choices={"yes": "Yes", "no": "No", "unsure": "I am not sure"},
            ),
            Question(
                "prior_treatments",
                "Have you had any of these vein treatments before?",
                "multi",
                choices={
                    "sclerotherapy": "Injections into the veins (sclerotherapy)",
                    "laser_or_ipl": "Laser or light treatment (IPL)",
                    "surgery_or_ablation": "Vein surgery or a vein closed from inside (ablation)",
                },
            ),
            Question(
                "last_sclerotherapy_date",
                "When was your last injection treatment? (optional)",
                "date",
                help="Leave empty if you do not remember.",
                optional=True,
                asked_only_when=HAD_SCLEROTHERAPY,
                fresh=True,
            ),
            Question(
                "prior_sclerotherapy_reactions",
                "After injection treatment, did you ever have any of these?",
                "multi",
                choices={
                    "allergic": "An allergic reaction (rash, swelling, trouble breathing)",
                    "visual_or_neurological": "Problems seeing, or numbness, weakness or trouble speaking",
                    "stroke_or_heart_event": "A stroke or a heart attack",
                    "skin_necrosis_or_ulcer": "A sore or wound where you were injected",
                    "marked_pigmentation": "Brown marks that lasted for months",
                },
                asked_only_when=HAD_SCLEROTHERAPY,
            ),
        ),
    ),
    Step(
        "symptoms",
        "How your legs feel",
        "These answers tell the clinic whether deeper veins should be checked first.",
        (
            Question(
                "leg_symptoms",
                "Do you often have any of these in your legs?",
                "multi",
                choices={
                    "aching": "Aching or pain",
                    "heaviness": "Heavy or tired legs",
                    "swelling": "Swollen ankles or legs",
                    "itching": "Itching over the veins",
                    "night_cramps": "Cramps at night",
                    "restless_legs": "Restless legs",
                },
            ),
            Question(
                "skin_changes",
                "Do you have any of these skin changes on your legs?",
                "multi",
                choices={
                    "discoloration": "Brown or darker skin near the ankles",
                    "eczema": "Red, itchy or flaky skin (eczema)",
                    "hardened_skin": "Hard, tight skin",
                    "healed_ulcer": "A healed leg wound or ulcer",
                    "open_ulcer": "An open wound or ulcer now",
                },
            ),
            Question("bleeding_vein", "Has a vein on your legs bled on its own?", "yes_no"),
        ),
    ),
    Step(
        "reproductive",
        "Pregnancy, breastfeeding and hormones",
        "Injection treatment is not done during pregnancy. Please answer every question.",
        (
            Question(
                "pregnancy",
                "Are you pregnant?",
                "choice",
                choices={"no": "No", "yes": "Yes", "unsure": "I am not sure", "not_applicable": "This does not apply to me"},
                not_asked_when=MALE_AT_BIRTH,
                recorded_as="not_applicable",
                fresh=True,
            ),
            Question("breastfeeding", "Are you breastfeeding?", "yes_no",
                     not_asked_when=MALE_AT_BIRTH, recorded_as=False, fresh=True),
            Question("gave_birth_last_3_months", "Have you given birth in the last 3 months?", "yes_no",
                     not_asked_when=MALE_AT_BIRTH, recorded_as=False, fresh=True),
            Question(
                "hormonal_medication",
                "Do you take hormones?",
                "yes_no",
                help="For example the contraceptive pill, patch, ring, injection or implant; hormone replacement "
                     "therapy (HRT); tamoxifen or raloxifene; testosterone; or fertility treatment.",
            ),
        ),
    ),
    Step(
        "clotting",
        "Blood clots",
        "Blood clots matter for your safety. Please answer as well as you can.",
        (
            Question(
                "vte_history",
                "Have you ever had a blood clot in a deep vein or in the lungs?",
                "choice",
                help="Deep vein thrombosis (DVT) or pulmonary embolism (PE).",
                choices={"none": "No, never", "past": "Yes, in the past", "current": "Yes, I have one now"},
            ),
            Question(
                "superficial_thrombophlebitis",
                "Have you had a painful, hard, red vein just under the skin?",
                "choice",
                help="An inflamed surface vein (superficial thrombophlebitis).",
                choices={"none": "No, never", "past": "Yes, in the past", "current": "Yes, I have one now"},
            ),
            Question(
                "clotting_disorder",
                "Have you been told your blood clots too easily?",
                "yes_no",
                help="For example factor V Leiden or antiphospholipid syndrome.",
            ),
            Question(
                "family_vte",
                "Has a parent, brother, sister or child of yours had a blood clot?",
                "yes_no",
            ),
            Question("active_cancer", "Do you have cancer now, or are you being treated for it?", "yes_no"),
            Question(
                "recent_surgery_or_hospital_stay",
                "In the last 3 months, have you had an operation or stayed in hospital?",
                "yes_no",
                fresh=True,
            ),
            Question("immobile", "Are you confined to bed, or unable to walk?", "yes_no"),
            Question(
                "reduced_mobility",
                "In the last 4 weeks, have you used a walking aid, had a leg in plaster, or spent most of the day "
                "in a chair or bed?",
                "yes_no",
                fresh=True,
            ),
        ),
    ),
    Step(
        "health",
        "Circulation and general health",
        "Questions about your blood flow and your health today.",
        (
            Question(
                "arterial_disease",
                "Do you have poor blood flow in your legs?",
                "choice",
                help="Narrowed leg arteries (peripheral arterial disease).",
                choices={
                    "none": "No",
                    "mild": "Yes: my calves hurt when I walk and ease when I rest",
                    "severe": "Yes: pain even at rest, or wounds or dark skin on the feet",
                },
            ),
            Question(
                "diabetes",
                "Do you have diabetes?",
                "choice",
                choices={"none": "No", "controlled": "Yes, and it is well controlled", "uncontrolled": "Yes, and it is not well controlled"},
            ),
            Question(
                "heart_disease",
                "Do you have a heart condition?",
                "yes_no",
                help="For example heart failure, a heart valve problem or an irregular heartbeat.",
            ),
            Question(
                "other_uncontrolled_illness",
                "Do you have any other illness that is not under control at the moment?",
                "yes_no",
            ),
            Question("acute_illness_or_fever", "Are you unwell today, or do you have a fever?", "yes_no", fresh=True),
            Question(
                "infection_at_treatment_site",
                "Is there an infection, rash or wound on the skin where the veins are?",
                "yes_no",
                fresh=True,
            ),
        ),
    ),
    Step(
        "neurology",
        "Migraine, stroke and the heart",
        "Some people feel brief visual or migraine symptoms after treatment; these answers help plan it safely.",
        (
            Question(
                "migraine",
                "Do you get migraines?",
                "choice",
                help="An aura is a warning before the headache, such as flashing lights or zigzag lines.",
                choices={"none": "No", "without_aura": "Yes, without an aura", "with_aura": "Yes, with an aura"},
            ),
            Question(
                "right_to_left_shunt",
                'Have you been told you have a "hole in the heart"?',
                "choice",
                help="For example a patent foramen ovale (PFO).",
                choices={
                    "none_known": "No, not that I know of",
                    "asymptomatic": "Yes, and it has never caused problems",
                    "symptomatic": "Yes, and it has caused a stroke, mini-stroke or other problems",
                },
            ),
            Question(
                "stroke_or_tia",
                "Have you ever had a stroke or a mini-stroke?",
                "yes_no",
                help="A mini-stroke is also called a transient ischaemic attack (TIA).",
            ),
        ),
    ),
    Step(
        "allergies",
        "Allergies",
        "Tell us about any allergy, even if it seems small.",
        (
            Question(
                "sclerosants",
                "Have you had an allergic reaction to a vein injection medicine?",
                "multi",
                choices={
                    "polidocanol": "Polidocanol (Asclera, Aethoxysklerol)",
                    "sodium_tetradecyl_sulfate": "Sodium tetradecyl sulfate (Sotradecol, Fibrovein)",
                    "hypertonic_saline": "Strong salt water (hypertonic saline)",
                    "unknown_agent": "Yes, but I do not know which medicine",
                },
            ),
            Question(
                "anaphylaxis_history",
                "Have you ever had a severe allergic reaction to anything?",
                "yes_no",
                help="For example swelling of the throat, trouble breathing or collapse (anaphylaxis).",
            ),
            Question("asthma", "Do you have asthma?", "yes_no"),
            Question("lidocaine", "Are you allergic to local anaesthetic (lidocaine)?", "yes_no"),
            Question("latex", "Are you allergic to latex (rubber gloves)?", "yes_no"),
            Question("adhesive_tape", "Are you allergic to plasters or sticky tape?", "yes_no"),
            Question(
                "other",
                "Please describe your other allergies",
                "long_text",
                gate="Do you have any other allergies?",
                help="For example medicines, foods or anything else, and what happened.",
                optional=True,
            ),
        ),
    ),
    Step(
        "skin",
        "Your skin",
        "Skin type helps the clinic plan how to avoid brown marks after treatment.",
        (
            Question(
                "fitzpatrick_type",
                "Which of these describes your skin best?",
                "skin_type",
                help="Think of your skin without a tan.",
                choices=FITZPATRICK_TYPES,
            ),
            Question(
                "pigmentation_history",
                "Have you had dark marks on your skin that lasted after an injury or an earlier treatment?",
                "yes_no",
            ),
            Question("current_tan", "Do you have a suntan or a fake tan right now?", "yes_no", fresh=True),
        ),
    ),
    Step(
        "medications",
        "Medicines",
        "Please include medicines from the pharmacy and supplements.",
        (
            Question(
                "anticoagulant",
                "Do you take a blood thinner?",
                "yes_no",
                help="For example warfarin, apixaban, rivaroxaban, dabigatran or injections of heparin.",
            ),
            Question(
                "antiplatelet",
                "Do you take aspirin, clopidogrel or a similar medicine every day?",
                "yes_no",
            ),
            Question("minocycline", "Do you take the antibiotic minocycline?", "yes_no"),
            Question("disulfiram", "Do you take disulfiram (Antabuse)?", "yes_no"),
            Question("iron_supplement", "Do you take iron tablets or have iron infusions?", "yes_no"),
            Question(
                "other",
                "Please list your other medicines",
                "long_text",
                gate="Do you take any other medicines or supplements?",
                help="The name and, if you know it, the dose.",
                optional=True,
            ),
        ),
    ),
    Step(
        "lifestyle",
        "Lifestyle and aftercare",
        "After treatment you usually wear compression stockings and stay active.",
        (
            Question("smoker", "Do you smoke?", "yes_no"),
            Question(
                "can_wear_compression",
                "Could you wear compression stockings for a few days to weeks after treatment?",
                "yes_no",
            ),
            Question(
                "long_travel_planned",
                "Are you planning a journey of more than 4 hours in the next 4 weeks?",
                "yes_no",
                help="By car, coach, train or plane.",
                fresh=True,
            ),
        ),
    ),
)

STEP_BY_SECTION: dict[str, Step] = {step.section: step for step in STEPS}

CONSENT_STATEMENT = (
    "I confirm that my answers are true and complete to the best of my knowledge. "
    "I understand that a clinician will review them with me before any treatment."
)
CONSENT_QUESTIONS = {
    "answers_confirmed": "I confirm my answers",
    "signature": "Type your full name to sign",
    "signed_at": "Signed at",
}

DECISION_LABELS = {
    "not_eligible": "Not eligible",
    "clinician_review": "Clinician review",
    "eligible_with_precautions": "Eligible with precautions",
    "eligible": "Eligible",
}
SEVERITY_LABELS = {"absolute": "Absolute", "relative": "Relative", "precaution": "Precaution"}
AGENT_LABELS = {
    "polidocanol": "Polidocanol",
    "sodium_tetradecyl_sulfate": "Sodium tetradecyl sulfate",
    "hypertonic_saline": "Hypertonic saline",
}
TECHNIQUE_LABELS = {"foam": "Foam"}


def cited_questions(assessment) -> set[tuple[str, str]]:
    """(step title, question text) of every answer that a flag of ``assessment`` gives as evidence."""
    evidence = {path for flag in assessment.flags for path in flag.evidence}
    return {
        (step.title, text)
        for step in STEPS
        for question in step.questions
        if f"{step.section}.{question.name}" in evidence
        for text in (question.text, question.gate)
        if text
    }


ENTERED_AS = "{stored} (entered as {entered})"
OWN_WORDS_TITLE = "In the patient's own words"


def answer_rows(intake, date_words: Callable[[date], str],
                entered: Optional[dict[str, str]] = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every answer of an intake as (step title, [(question, answer words)]), in wizard order;
    ``date_words`` writes a date as its reader reads it, and ``entered`` (``Capture.entered``)
    adds how the patient gave a value typed in another unit."""
    entered = entered or {}
    rows = []
    for step in STEPS:
        section = getattr(intake, step.section)
        answers = section.model_dump()
        shown = []
        for question in step.questions:
            if not question.is_asked(answers):
                continue
            value = answers[question.name]
            if value is None and question.name in type(section).added_in_version_2:
                shown.append((question.text, NOT_ASKED_THEN))
                continue
            if question.kind == "long_text":
                shown.append((question.gate, "Yes" if (value or "").strip() else "No"))
                if (value or "").strip():
                    shown.append((question.text, value))
                continue
            answer = date_words(value) if isinstance(value, date) else question.label(value)
            typed = entered.get(f"{step.section}.{question.name}")
            shown.append((question.text, ENTERED_AS.format(stored=answer, entered=typed) if typed else answer))
        rows.append((step.title, shown))
    return rows


NOT_ASKED_THIS_TIME = "Not asked"


def changed_answers(before, after, date_words: Callable[[date], str]) -> list[tuple[str, str, str, str]]:
    """What changed from one visit's intake to the next, answer by answer: (step title, question, the
    answer before, the answer now), in wizard order, dates written by ``date_words``. A follow-up asked
    only one of the two times shows "Not asked" the other time."""
    earlier = {(title, question): answer for title, rows in answer_rows(before, date_words)
               for question, answer in rows}
    changes = []
    for title, rows in answer_rows(after, date_words):
        for question, answer in rows:
            previous = earlier.pop((title, question), NOT_ASKED_THIS_TIME)
            if previous != answer:
                changes.append((title, question, previous, answer))
    changes += [(title, question, answer, NOT_ASKED_THIS_TIME) for (title, question), answer in earlier.items()]
    return changes


def not_asked_questions(intake) -> list[tuple[str, str]]:
    """(step title, question) of every answer added to the intake after this one was signed: asked
    of nobody then, to be asked at the next visit."""
    paths = set(intake.not_asked())
    return [(step.title, question.text) for step in STEPS for question in step.questions
            if f"{step.section}.{question.name}" in paths]


def own_words(intake) -> list[tuple[str, str]]:
    """What the patient wrote in their own words (other allergies, other medicines): (question, text)."""
    return [
        (question.text, text)
        for step in STEPS
        for question in step.questions
        if question.kind == "long_text" and (text := getattr(getattr(intake, step.section), question.name) or "").strip()
    ]


# Pictures drawn beside a question, by (section, question): things of about a vein's
# width, each drawn as a bar that wide (in millimetres) with its words.
VISUAL_GUIDES = {
    ("veins", "largest_vein"): (("A thread: under 1 mm", 0.5), ("A matchstick: 2 to 3 mm", 2.5), ("A pencil: about 7 mm", 7.0)),
}
