"""A patient's answers as the wizard holds them, and what the intake models make of them.

The wizard keeps, per section, the answers as the widgets give them (``None`` while a
question is unanswered, the ``NONE`` choice for "None of these", the yes/no asked before
a free text under ``gate_name``). This module turns them into section data, asks the
section model for problems and builds the intake. No Streamlit here: it is tested alone.

A height or weight is kept as the patient typed it: the unit chosen under ``<name>.unit``
and each part under ``<name>.<unit>.<part>`` (the stored unit's own value under the name
itself); a date as the day, month and year chosen, under ``<name>.day`` and so on.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Optional

from annotated_types import Ge, Le, MinLen
from babel.lists import format_list
from pydantic import ValidationError

from screener import Intake
from screener.clinical.errors import problems_from
from screener.language import formats
from screener.language.i18n import Words
from screener.clinical.models import SECTIONS
from screener.language.patient_messages import VALIDATION_MESSAGES, patient_message
from screener.language.screens import AMOUNTS, DATE_DOES_NOT_EXIST, DATE_INCOMPLETE, DETAILS_NEEDED, OUT_OF_RANGE
from screener.clinical.questionnaire import STEPS, Question, Step
from screener.language.units import ENTRY_UNITS, NotANumber, to_stored, whole_range

# The explicit "None of these" choice of a multi-choice question.
NONE = "none_of_these"

REQUIRED = VALIDATION_MESSAGES["missing"]
DATE_PARTS = ("day", "month", "year")
ENGLISH = Words()

Answers = dict[str, dict[str, Any]]
Problems = dict[str, str]


def gate_name(question: Question) -> str:
    """Where the yes/no asked before a free text is kept, beside the text itself."""
    return f"{question.name}.gate"


def unit_name(question: Question) -> str:
    """Where the unit a patient chose for a height or weight is kept."""
    return f"{question.name}.unit"


def chosen_unit(question: Question, raw: dict[str, Any]) -> str:
    return raw.get(unit_name(question)) or question.unit


def part_name(question: Question, unit: str, part: str) -> str:
    """Where one typed part of a height or weight is kept (the stored unit's value under the name itself)."""
    return question.name if unit == question.unit else f"{question.name}.{unit}.{part}"


def units_of(question: Question) -> dict[str, tuple[str, ...]]:
    """The units a number question may be answered in, each with its parts; empty for a plain number."""
    return ENTRY_UNITS.get(question.unit, {})


def date_part_name(question: Question, part: str) -> str:
    return f"{question.name}.{part}"


def implied_answers(step: Step, answers: Answers) -> dict[str, Any]:
    """Answers recorded without asking, because the patient's other answers settle them."""
    return {question.name: question.recorded_as for question in step.questions if question.is_skipped(answers)}


def step_answers(step: Step, answers: Answers) -> dict[str, Any]:
    """A step's answers as the wizard holds them, with the implied answers of questions not asked."""
    return {**answers.get(step.section, {}), **implied_answers(step, answers)}


def bounds(step: Step, question: Question) -> tuple[float, float]:
    """The range a number question's answer must lie in, in its stored unit: the model's own bounds."""
    metadata = SECTIONS[step.section].model_fields[question.name].metadata
    low = next(item.ge for item in metadata if isinstance(item, Ge))
    high = next(item.le for item in metadata if isinstance(item, Le))
    return low, high


def measured(question: Question, raw: dict[str, Any]) -> Optional[Decimal]:
    """The exact value in the stored unit of what the patient typed; None when nothing is typed.

    Raises NotANumber for a negative part."""
    unit = chosen_unit(question, raw)
    parts = {part: raw.get(part_name(question, unit, part)) for part in units_of(question)[unit]}
    return to_stored(unit, parts)


def amount(unit: str, parts: dict[str, Any], say: Words = ENGLISH) -> str:
    """An amount in words, such as "5 ft 6 in", with numbers in the reader's locale."""
    return say(AMOUNTS[unit], **{part: formats.number(value, say.language) for part, value in parts.items()})


def _measure_problem(step: Step, question: Question, raw: dict[str, Any], say: Words) -> Optional[str]:
    low, high = bounds(step, question)
    try:
        value = measured(question, raw)
    except NotANumber:  # a negative part: outside the range like any other value there
        value = Decimal(-1)
    if value is None or low <= value <= high:
        return None
    unit = chosen_unit(question, raw)
    smallest, largest = whole_range(unit, low, high)
    return say(OUT_OF_RANGE[unit], low=amount(unit, smallest, say), high=amount(unit, largest, say))


def chosen_date(question: Question, raw: dict[str, Any]) -> Optional[date]:
    """The date of the day, month and year chosen; None unless all three make a real date."""
    day, month, year = (raw.get(date_part_name(question, part)) for part in DATE_PARTS)
    if day is None and month is None and year is None:
        return raw.get(question.name)
    if day is None or month is None or year is None or day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def month_names(say: Words = ENGLISH) -> dict[int, str]:
    """The months by number, named in the reader's language as a month stands alone."""
    return formats.month_names(say.language)


def _date_problem(question: Question, raw: dict[str, Any], say: Words) -> Optional[str]:
    day, month, year = (raw.get(date_part_name(question, part)) for part in DATE_PARTS)
    if (day, month, year) == (None, None, None):
        return None
    if day is None or month is None or year is None:
        return say(DATE_INCOMPLETE)
    if chosen_date(question, raw) is None:
        return say(DATE_DOES_NOT_EXIST, day=day, month=month_names(say)[month], year=year)
    return None


def offers_none(step: Step, question: Question) -> bool:
    """Whether "None of these" is a valid answer: the model allows an empty list."""
    field = SECTIONS[step.section].model_fields[question.name]
    return not any(isinstance(item, MinLen) and item.min_length > 0 for item in field.metadata)


def section_data(step: Step, raw: dict[str, Any]) -> dict[str, Any]:
    """The section's data for its model: unanswered questions left out, follow-ups only when asked."""
    data: dict[str, Any] = {}
    for question in step.questions:
        value = raw.get(question.name)
        if not question.is_asked(raw):
            if question.unasked_answer() is not None:
                data[question.name] = question.unasked_answer()
            continue
        if question.kind == "multi":
            if value:
                data[question.name] = [choice for choice in value if choice != NONE]
        elif question.kind == "long_text":
            if raw.get(gate_name(question)) is True:
                data[question.name] = value or ""
        elif question.kind == "text":
            data[question.name] = value or ""
        elif question.kind == "date":
            if chosen_date(question, raw) is not None:
                data[question.name] = chosen_date(question, raw)
        elif units_of(question):
            try:
                exact = measured(question, raw)
            except NotANumber:
                continue
            if exact is not None:
                data[question.name] = float(exact)
        elif value is not None:
            data[question.name] = value
    return data


def step_problems(step: Step, raw: dict[str, Any], as_of: date, say: Words = ENGLISH) -> Problems:
    """What keeps this step from being complete: question name (or gate name) → message in ``say``'s language."""
    problems: Problems = {}
    for question in step.questions:
        if not question.is_asked(raw):
            continue
        problem = (_date_problem(question, raw, say) if question.kind == "date"
                   else _measure_problem(step, question, raw, say) if units_of(question) else None)
        if problem:
            problems[question.name] = problem
        if question.kind == "long_text" and question.is_asked(raw):
            gate = raw.get(gate_name(question))
            if gate is None:
                problems[gate_name(question)] = say(REQUIRED)
            elif gate and not (raw.get(question.name) or "").strip():
                problems[question.name] = say(DETAILS_NEEDED)
    try:
        SECTIONS[step.section].model_validate(section_data(step, raw), context={"as_of": as_of})
    except ValidationError as exc:
        for problem in problems_from(exc):
            problems.setdefault(problem.path.split(".")[0], patient_message(problem, say))
    return problems


def first_incomplete(answers: Answers, as_of: date, say: Words = ENGLISH) -> Optional[tuple[Step, Problems]]:
    """The first step with a missing or invalid answer, and its problems in ``say``'s language; ``None`` when all are
    complete."""
    for step in STEPS:
        problems = step_problems(step, step_answers(step, answers), as_of, say)
        if problems:
            return step, problems
    return None


def build_intake(answers: Answers, consent: dict[str, Any], signed_at: datetime) -> Intake:
    """The intake of complete answers, signed at ``signed_at``; raises ValidationError otherwise."""
    data: dict[str, Any] = {step.section: section_data(step, step_answers(step, answers)) for step in STEPS}
    data["consent"] = {
        "answers_confirmed": bool(consent.get("answers_confirmed")),
        "signature": consent.get("signature") or "",
        "signed_at": signed_at.isoformat(),
    }
    return Intake.model_validate(data, context={"as_of": signed_at.date()})


def consent_problems(consent: dict[str, Any], signed_at: datetime, say: Words = ENGLISH) -> Problems:
    """Problems of the consent answers alone: field name → message in ``say``'s language."""
    data = {
        "answers_confirmed": bool(consent.get("answers_confirmed")),
        "signature": consent.get("signature") or "",
        "signed_at": signed_at.isoformat(),
    }
    try:
        SECTIONS["consent"].model_validate(data, context={"as_of": signed_at.date()})
    except ValidationError as exc:
        return {problem.path.split(".")[0]: patient_message(problem, say) for problem in problems_from(exc)}
    return {}


def typed_amount(question: Question, raw: dict[str, Any], say: Words = ENGLISH) -> Optional[str]:
    """A height or weight as typed, when typed in another unit than the stored one ("5 ft 6 in")."""
    if not units_of(question):
        return None
    unit = chosen_unit(question, raw)
    parts = {part: raw.get(part_name(question, unit, part)) for part in units_of(question)[unit]}
    if unit == question.unit or all(value is None for value in parts.values()):
        return None
    return amount(unit, {part: value or 0 for part, value in parts.items()}, say)


def entered(answers: Answers) -> dict[str, str]:
    """How the patient gave each height or weight typed in another unit, in English for the clinician:
    answer path → "5 ft 6 in" (``Capture.entered``)."""
    return {
        f"{step.section}.{question.name}": typed
        for step in STEPS
        for question in step.questions
        if (typed := typed_amount(question, answers.get(step.section, {}))) is not None
    }


def _answer_words(question: Question, value: Any, say: Words) -> str:
    if isinstance(value, date):
        return formats.long_date(value, say.language)
    if isinstance(value, list):  # "a, b and c" as the language lists things, never pieces joined here
        if not value:
            return say(question.label(value))
        chosen = [say(question.label([item])) for item in value]
        return format_list(chosen, locale=formats.format_locale(say.language))
    if isinstance(value, float) and question.unit:
        return amount(question.unit, {question.unit: round(value, 1)}, say)
    return say(question.label(value))


def review_rows(step: Step, raw: dict[str, Any], say: Words = ENGLISH,
                not_asked: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Every asked question of a step with the answer in ``say``'s language, as the review page shows them;
    the questions named in ``not_asked`` are left out."""
    data = section_data(step, raw)
    rows = []
    for question in step.questions:
        if not question.is_asked(raw) or question.name in not_asked:
            continue
        if question.kind == "long_text":
            given = raw.get(gate_name(question))
            rows.append((say(question.gate), say(question.label(given))))
            if given:
                rows.append((say(question.text), data.get(question.name) or ""))
            continue
        if question.kind == "multi" and question.name not in data:
            rows.append((say(question.text), say(question.label(None))))
            continue
        typed = typed_amount(question, raw, say) if question.name in data else None
        rows.append((say(question.text), typed or _answer_words(question, data.get(question.name), say)))
    return rows


def answers_from_intake(intake: Intake) -> Answers:
    """An earlier visit's answers as the wizard holds answers, to start a returning patient's visit from.

    Left out, so they are asked afresh: the answers about now or a recent stretch of time (``fresh``:
    pregnancy, a journey in the next 4 weeks, the last session...), the questions the earlier intake
    was never asked (added since)."""
    answers: Answers = {}
    for step in STEPS:
        section = getattr(intake, step.section)
        raw: dict[str, Any] = {}
        for question in step.questions:
            value = getattr(section, question.name)
            if question.fresh or (value is None and question.name in type(section).added_in_version_2):
                continue
            if question.kind == "multi":
                raw[question.name] = list(value) or ([NONE] if offers_none(step, question) else [])
            elif question.kind == "long_text":
                raw[gate_name(question)] = bool((value or "").strip())
                if raw[gate_name(question)]:
                    raw[question.name] = value
            elif value is not None:
                raw[question.name] = value
        answers[step.section] = raw
    return answers
