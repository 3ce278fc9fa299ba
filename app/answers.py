"""A patient's answers as the wizard holds them, and what the intake models make of them.

The wizard keeps, per section, the answers as the widgets give them (``None`` while a
question is unanswered, the ``NONE`` choice for "None of these", the yes/no asked before
a free text under ``gate_name``). This module turns them into section data, asks the
section model for problems and builds the intake. No Streamlit here: it is tested alone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from annotated_types import MinLen
from pydantic import ValidationError

from screener import Intake
from screener.errors import plain_message, problems_from
from screener.models import SECTIONS
from screener.questionnaire import DETAILS_NEEDED, STEPS, Question, Step

# The explicit "None of these" choice of a multi-choice question.
NONE = "none_of_these"

REQUIRED = plain_message({"type": "missing", "loc": ()})

Answers = dict[str, dict[str, Any]]
Problems = dict[str, str]


def gate_name(question: Question) -> str:
    """Where the yes/no asked before a free text is kept, beside the text itself."""
    return f"{question.name}.gate"


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
            if question.kind == "multi":
                data[question.name] = []
            continue
        if question.kind == "multi":
            if value:
                data[question.name] = [choice for choice in value if choice != NONE]
        elif question.kind == "long_text":
            if raw.get(gate_name(question)) is True:
                data[question.name] = value or ""
        elif question.kind == "text":
            data[question.name] = value or ""
        elif value is not None:
            data[question.name] = value
    return data


def step_problems(step: Step, raw: dict[str, Any], as_of: date) -> Problems:
    """What keeps this step from being complete: question name (or gate name) → message."""
    problems: Problems = {}
    for question in step.questions:
        if question.kind == "long_text" and question.is_asked(raw):
            gate = raw.get(gate_name(question))
            if gate is None:
                problems[gate_name(question)] = REQUIRED
            elif gate and not (raw.get(question.name) or "").strip():
                problems[question.name] = DETAILS_NEEDED
    try:
        SECTIONS[step.section].model_validate(section_data(step, raw), context={"as_of": as_of})
    except ValidationError as exc:
        for problem in problems_from(exc):
            problems.setdefault(problem.path.split(".")[0], problem.message)
    return problems


def first_incomplete(answers: Answers, as_of: date) -> Optional[tuple[Step, Problems]]:
    """The first step with a missing or invalid answer, and its problems; ``None`` when all are complete."""
    for step in STEPS:
        problems = step_problems(step, answers.get(step.section, {}), as_of)
        if problems:
            return step, problems
    return None


def build_intake(answers: Answers, consent: dict[str, Any], signed_at: datetime) -> Intake:
    """The intake of complete answers, signed at ``signed_at``; raises ValidationError otherwise."""
    data: dict[str, Any] = {step.section: section_data(step, answers.get(step.section, {})) for step in STEPS}
    data["consent"] = {
        "answers_confirmed": bool(consent.get("answers_confirmed")),
        "signature": consent.get("signature") or "",
        "signed_at": signed_at.isoformat(),
    }
    return Intake.model_validate(data, context={"as_of": signed_at.date()})


def consent_problems(consent: dict[str, Any], signed_at: datetime) -> Problems:
    """Problems of the consent answers alone: field name → message."""
    data = {
        "answers_confirmed": bool(consent.get("answers_confirmed")),
        "signature": consent.get("signature") or "",
        "signed_at": signed_at.isoformat(),
    }
    try:
        SECTIONS["consent"].model_validate(data, context={"as_of": signed_at.date()})
    except ValidationError as exc:
        return {problem.path.split(".")[0]: problem.message for problem in problems_from(exc)}
    return {}


def _words(question: Question, value: Any) -> str:
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return question.label(value)


def review_rows(step: Step, raw: dict[str, Any]) -> list[tuple[str, str]]:
    """Every asked question of a step with the answer in words, as the review page shows them."""
    data = section_data(step, raw)
    rows = []
    for question in step.questions:
        if not question.is_asked(raw):
            continue
        if question.kind == "long_text":
            given = raw.get(gate_name(question))
            rows.append((question.gate, question.label(given)))
            if given:
                rows.append((question.text, data.get(question.name) or ""))
            continue
        if question.kind == "multi" and question.name not in data:
            rows.append((question.text, question.label(None)))
            continue
        rows.append((question.text, _words(question, data.get(question.name))))
    return rows
