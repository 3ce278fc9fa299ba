"""An intake as a QuestionnaireResponse to :mod:`screener.fhir.form`, and back.

Reading back is strict: every item must be a question of this questionnaire, answered
with its type and, for choices, a code of its code system; each problem names the
linkId. What passes is then validated as any intake is, so the model's rules (ranges,
dates, cross-field checks) apply with the linkId as the path.
"""

from __future__ import annotations

import functools
import json
from datetime import date, datetime, tzinfo
from typing import Any, Optional

from ..clinical.errors import InvalidIntake, Problem
from ..clinical.intake import decode_text, intake_from_data, repeated_keys
from ..clinical.models import Intake
from ..clinical.questionnaire import NONE_OF_THESE
from .form import NONE_OF_THESE_CODE, QUESTIONNAIRE_URL, Field, fields, groups, version

MAX_INPUT_BYTES = 2_000_000
MAX_DEPTH = 8
REPEATED_KEY = "This key is given more than once; give it once."
_VALUE_KEY = {"boolean": "valueBoolean", "choice": "valueCoding", "string": "valueString", "text": "valueString",
              "date": "valueDate", "dateTime": "valueDateTime", "decimal": "valueDecimal"}
_PYTHON_TYPE = {"valueBoolean": (bool,), "valueString": (str,), "valueDate": (str,), "valueDateTime": (str,),
                "valueDecimal": (int, float), "valueCoding": (dict,)}
_TYPE_WORDS = {"boolean": "a yes/no answer", "choice": "a coded choice", "string": "text", "text": "text",
               "date": "a date", "dateTime": "a date and time", "decimal": "a number"}
_NONE = object()  # the explicit "None of these" of a list
_MISSING = object()  # no usable answer (absent, or a problem already reported)


def aware(moment: datetime, zone: Optional[tzinfo]) -> datetime:
    """``moment`` with an offset: FHIR requires one on a time. A time given without one means
    the clinic's local time (SCREENING.md section 2): ``zone``, or this machine's zone."""
    if moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()


def _gated_text(field: Field) -> bool:
    return field.type == "text" and field.enable_when is not None


def _answers(field: Field, value: Any, zone: Optional[tzinfo]) -> list[dict]:
    if field.type == "choice":
        values = value if field.repeats else [value]
        coded = {choice: (code, label) for code, choice, label in field.choices}
        codings = [{"system": field.system, "code": coded[choice][0], "display": coded[choice][1]} for choice in values]
        if not codings and field.none_option:
            codings = [{"system": field.system, "code": NONE_OF_THESE_CODE, "display": NONE_OF_THESE}]
        return [{"valueCoding": coding} for coding in codings]
    if isinstance(value, datetime):
        return [{"valueDateTime": aware(value, zone).isoformat()}]
    if isinstance(value, date):
        return [{"valueDate": value.isoformat()}]
    return [{_VALUE_KEY[field.type]: value}]


def response_items(intake: Intake, zone: Optional[tzinfo] = None) -> list[dict]:
    """The items of a QuestionnaireResponse holding every answer of ``intake``."""
    given = {f"{section}.{name}": value for section, answers in intake.model_dump().items()
             for name, value in answers.items()}
    items = []
    for section, title, members in groups():
        inner = []
        for field in members:
            value = given[f"{section}.{field.name}"]
            if field.is_gate:  # a blank text means none (SCREENING.md section 2): the answer is no
                value = bool((value or "").strip())
            elif _gated_text(field):
                if not (value or "").strip():
                    continue
            # A question not asked is left out when the intake holds what it records then; any
            # other answer is kept (an intake from JSON may say "pregnant" of a male patient).
            elif not _enabled(field, given) and value == field.unasked_answer:
                continue
            if value is None:
                continue
            inner.append({"linkId": field.link_id, "text": field.text, "answer": _answers(field, value, zone)})
        items.append({"linkId": section, "text": title, "item": inner})
    return items


def _enabled(field: Field, given: dict[str, Any]) -> bool:
    """Whether ``field`` is asked for the answers ``given`` (linkId → value): FHIR's enableWhen."""
    def has(condition: tuple[str, Any]) -> bool:
        question, answer = condition
        value = given.get(question)
        return answer in value if isinstance(value, list) else value == answer

    return ((field.enable_when is None or has(field.enable_when))
            and (field.disable_when is None or not has(field.disable_when)))


def questionnaire_reference() -> str:
    return f"{QUESTIONNAIRE_URL}|{version()}"


def read_response(source: bytes | str, as_of: date) -> Intake:
    """The intake in a QuestionnaireResponse (alone, or the one inside a Bundle).

    Raises :class:`InvalidIntake` listing every problem as ``linkId: message``.
    """
    return read_resource(_load(source), as_of)


def read_resource(resource: Any, as_of: date) -> Intake:
    """As :func:`read_response`, from JSON already parsed (a CDS Hooks request's prefetch), which
    its reader has checked as :func:`read_response` checks a file: size, repeated keys, NaN."""
    problems: list[Problem] = []
    response = _the_response(resource, problems)
    if response is None:
        raise InvalidIntake(problems)
    given, gates = _collect(response, problems)
    data = _intake_data(given, gates, problems)
    try:
        intake = intake_from_data(data, as_of)
    except InvalidIntake as invalid:
        named = {problem.path for problem in problems}
        problems += [problem for problem in invalid.problems if problem.path not in named]
    if problems:  # every problem at once: the model's own for answers that were readable
        raise InvalidIntake(problems)
    return intake


def _load(source: bytes | str) -> Any:
    if len(source) > MAX_INPUT_BYTES:
        raise InvalidIntake([Problem("", f"The file is larger than {MAX_INPUT_BYTES:,} bytes; this is not one response.")])
    source = decode_text(source)
    try:
        resource = json.loads(source, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise InvalidIntake([Problem("", f"This is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}.")]) from None
    except RecursionError:
        raise InvalidIntake([Problem("", "This JSON is nested too deeply to be a response.")]) from None
    repeated = repeated_keys(source)
    if repeated:
        raise InvalidIntake([Problem(path, REPEATED_KEY) for path in repeated])
    return resource


def _refuse_constant(name: str):
    raise InvalidIntake([Problem("", f"This is not valid JSON: {name} is not a number JSON allows.")])


def _the_response(resource: Any, problems: list[Problem]) -> Optional[dict]:
    if not isinstance(resource, dict):
        problems.append(Problem("", "Expected a QuestionnaireResponse or a Bundle (a JSON object)."))
        return None
    if resource.get("resourceType") == "Bundle":
        found = [entry.get("resource") for entry in _list(resource, "entry", problems) if isinstance(entry, dict)
                 and isinstance(entry.get("resource"), dict)
                 and entry["resource"].get("resourceType") == "QuestionnaireResponse"]
        if len(found) != 1:
            problems.append(Problem("entry", f"The Bundle holds {len(found)} QuestionnaireResponses; it must hold one."))
            return None
        resource = found[0]
    if resource.get("resourceType") != "QuestionnaireResponse":
        problems.append(Problem("resourceType", "Expected a QuestionnaireResponse or a Bundle."))
        return None
    _check_header(resource, problems)
    return resource


def _check_header(response: dict, problems: list[Problem]) -> None:
    url, _, answered_version = str(response.get("questionnaire") or "").partition("|")
    if url != QUESTIONNAIRE_URL:
        problems.append(Problem("questionnaire", f"Expected answers to {QUESTIONNAIRE_URL}, not {url or 'an unnamed questionnaire'}."))
    elif answered_version and answered_version != version():
        problems.append(Problem("questionnaire", f"These answers are to version {answered_version}; "
                                                 f"this screener reads version {version()} (python -m screener fhir questionnaire)."))
    if response.get("status") not in ("completed", "amended"):
        problems.append(Problem("status", f"Only a completed response can be screened (this one is {response.get('status')!r})."))


def _list(node: dict, key: str, problems: list[Problem]) -> list:
    """``node[key]`` when it is a list (FHIR's repeating elements); empty, with a problem, when it is something else."""
    value = node.get(key)
    if value.__class__ is list:  # nearly always: the quick test first (a list's subclass passes below)
        return value
    if value is None or isinstance(value, list):
        return value or []
    problems.append(Problem(str(node.get("linkId") or key), f'"{key}" must be a list.'))
    return []


@functools.cache
def _not_questions() -> frozenset[str]:
    """The linkIds of the questionnaire's items that hold no answer: its groups, the consent statement, the help texts."""
    return frozenset({section for section, _, _ in groups()} | {"consent.statement"}
                     | {f"{link_id}-help" for link_id in fields()})


def _collect(response: dict, problems: list[Problem]) -> tuple[dict[str, Any], dict[str, bool]]:
    """The answers of every item, nested ones (under items and under answers) included, by linkId.

    The items are walked in document order with a stack, each read once, so a malformed part
    (an ``answer`` that is not a list, say) is one problem, not one for each look at it.
    """
    known = fields()
    not_questions = _not_questions()
    given: dict[str, Any] = {}
    pending = [(child, 0) for child in reversed(_list(response, "item", problems))]
    while pending:
        item, depth = pending.pop()
        if not isinstance(item, dict):
            problems.append(Problem("item", "Each item must be a JSON object."))
            continue
        if depth >= MAX_DEPTH:
            problems.append(Problem(str(item.get("linkId", "item")), "Items are nested too deeply for this questionnaire."))
            continue
        answers = _list(item, "answer", problems)
        nested = _list(item, "item", problems)
        for answer in answers:
            if isinstance(answer, dict) and "item" in answer:
                nested = nested + _list(answer, "item", problems)
        if nested:
            pending += [(child, depth + 1) for child in reversed(nested)]
        link_id = item.get("linkId")
        if not isinstance(link_id, str) or not link_id:
            problems.append(Problem("item", "An item has no linkId."))
            continue
        if link_id in not_questions:
            if answers:
                problems.append(Problem(str(link_id), "This item is not a question; it cannot hold an answer."))
            continue
        field = known.get(link_id)
        if field is None:
            problems.append(Problem(link_id, "Not a question of this questionnaire (unknown linkId)."))
            continue
        if link_id in given:
            problems.append(Problem(link_id, "This question appears more than once; give it once."))
            continue
        value = _value(field, answers, problems)
        if value is not _MISSING:
            given[link_id] = value
    gates = {link_id: given.pop(link_id) for link_id in list(given) if known[link_id].is_gate}
    return given, gates


def _value(field: Field, answers: list, problems: list[Problem]) -> Any:
    if not answers:
        return _MISSING
    if len(answers) > 1 and not field.repeats:
        problems.append(Problem(field.link_id, "Only one answer is allowed here."))
        return _MISSING
    values = []
    for answer in answers:
        value = _one(field, answer, problems)
        if value is _MISSING:
            return _MISSING
        values.append(value)
    if not field.repeats:
        return values[0]
    if _NONE in values:
        if len(values) > 1:
            problems.append(Problem(field.link_id, '"None of these" cannot be chosen with other answers.'))
            return _MISSING
        return []
    return values


def _one(field: Field, answer: Any, problems: list[Problem]) -> Any:
    key = _VALUE_KEY[field.type]
    found = [name for name in answer if name.startswith("value")] if isinstance(answer, dict) else []
    if found != [key] or not isinstance(answer[key], _PYTHON_TYPE[key]) or (key == "valueDecimal" and isinstance(answer[key], bool)):
        got = ", ".join(found) or "no value"
        problems.append(Problem(field.link_id, f"Expected {_TYPE_WORDS[field.type]} ({key}), got {got}."))
        return _MISSING
    if key != "valueCoding":
        return answer[key]
    coding = answer[key]
    if coding.get("system") != field.system:
        problems.append(Problem(field.link_id, f"Answers here are codes of {field.system}, not of {coding.get('system')}."))
        return _MISSING
    code = coding.get("code")
    if field.none_option and code == NONE_OF_THESE_CODE:
        return _NONE
    for choice_code, value, _ in field.choices:
        if code == choice_code:
            return value
    codes = [choice_code for choice_code, _, _ in field.choices] + ([NONE_OF_THESE_CODE] if field.none_option else [])
    problems.append(Problem(field.link_id, f"{code!r} is not an answer of {field.system} (one of: {', '.join(codes)})."))
    return _MISSING


def _intake_data(given: dict[str, Any], gates: dict[str, bool], problems: list[Problem]) -> dict:
    data: dict[str, dict] = {section: {} for section, _, _ in groups()}
    for section, _, members in groups():
        for field in members:
            if field.is_gate:
                continue
            if _gated_text(field):
                _gated(field, given, gates, data, problems)
            elif field.link_id in given:
                data[section][field.name] = given[field.link_id]
            elif not _enabled(field, given) and field.unasked_answer is not None:
                data[section][field.name] = field.unasked_answer  # not asked: recorded as the wizard records it
    return data


def _gated(field: Field, given: dict, gates: dict, data: dict, problems: list[Problem]) -> None:
    gate = field.enable_when[0]
    said_yes = gates.get(gate)
    text = given.get(field.link_id)
    if said_yes is None:
        problems.append(Problem(gate, "This answer is required."))
    elif said_yes and not (text or "").strip():
        problems.append(Problem(field.link_id, f"This answer is required when {gate} is yes."))
    elif not said_yes and text is not None:
        problems.append(Problem(field.link_id, f"Given although {gate} is no; answer one way."))
    elif text is not None:
        data[field.section][field.name] = text
