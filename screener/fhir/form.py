"""The intake as an R4 Questionnaire: one group per wizard step, one item per field.

Every word comes from :mod:`screener.clinical.questionnaire` (what the patient reads) and every
constraint from :mod:`screener.clinical.models` (what validation enforces); this module only says
how each of them is written in FHIR and the Structured Data Capture guide.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Optional

from annotated_types import Ge, Le, MinLen

from ..language import i18n
from ..clinical.models import SECTIONS, text_limit
from ..clinical.questionnaire import CONSENT_QUESTIONS, CONSENT_STATEMENT, NONE_OF_THESE, STEPS, Answered, Question
from ..language.screens import CONSENT_TITLE, WELCOME_TITLE

# Canonical URLs: names, not addresses (the .example domain is reserved and never resolves).
BASE = "https://microsclerotherapy-screener.example/fhir"
QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/intake"
FIELD_SYSTEM = f"{BASE}/CodeSystem/intake-field"
NONE_OF_THESE_CODE = "none_of_these"

SDC = "http://hl7.org/fhir/uv/sdc"
EXTENSION = "http://hl7.org/fhir/StructureDefinition"
ITEM_CONTROL = f"{EXTENSION}/questionnaire-itemControl"
OPTION_EXCLUSIVE = f"{EXTENSION}/questionnaire-optionExclusive"
TRANSLATION = f"{EXTENSION}/translation"

_FHIR_TYPE = {
    "text": "string", "long_text": "text", "date": "date", "yes_no": "boolean", "number": "decimal",
    "choice": "choice", "multi": "choice", "skin_type": "choice",
}


def code_system(link_id: str) -> str:
    """The project's code system of one question's answers."""
    return f"{BASE}/CodeSystem/{link_id}"


@dataclass(frozen=True)
class Field:
    """One answer of the intake as FHIR sees it: where it is, its type and its constraints."""

    link_id: str
    section: str
    name: str
    type: str
    text: str
    help: str = ""
    required: bool = True
    repeats: bool = False
    choices: tuple[tuple[str, Any, str], ...] = ()  # (code, value in the intake, label)
    none_option: bool = False  # an empty list is answered with an explicit "None of these"
    # Asked only when the item linkId has this answer (a follow-up; FHIR's enableWhen "="), or not
    # asked when it has it (a skip; enableWhen "!="): (linkId, answer value) in FHIR's terms.
    enable_when: Optional[tuple[str, Any]] = None
    disable_when: Optional[tuple[str, Any]] = None
    # What the intake records for the question when it is not enabled (``Question.unasked_answer``).
    unasked_answer: Any = None
    max_length: Optional[int] = None
    min_value: Optional[float] = None
    max_value: Optional[float] = None

    # Worked out once a field (reading one response asks them of every answer); cached_property
    # stores the value without calling setattr, so a frozen dataclass allows it.
    @functools.cached_property
    def is_gate(self) -> bool:
        """The yes/no asked before a free text, not a field of the intake itself."""
        return self.link_id != f"{self.section}.{self.name}"

    @functools.cached_property
    def system(self) -> str:
        return code_system(self.link_id)

    def code_of(self, value: Any) -> str:
        return next(code for code, choice, _ in self.choices if choice == value)


def _constraints(section: str, name: str) -> dict:
    info = SECTIONS[section].model_fields[name]
    found: dict[str, Any] = {}
    for item in info.metadata:
        if isinstance(item, Ge):
            found["min_value"] = item.ge
        elif isinstance(item, Le):
            found["max_value"] = item.le
        elif isinstance(item, MinLen):
            found["min_items"] = item.min_length
    limit = text_limit(section, name)
    if limit is not None:
        found["max_length"] = limit
    return found


def _question_fields(section: str, question: Question) -> list[Field]:
    link_id = f"{section}.{question.name}"
    constraints = _constraints(section, question.name)
    kind = question.kind
    extra: dict[str, Any] = {}
    if question.choices:
        extra["choices"] = tuple((str(value), value, label) for value, label in question.choices.items())
    if kind == "multi":
        extra["repeats"] = True
        extra["none_option"] = constraints.get("min_items", 0) == 0
    if kind in ("number",):
        extra.update(min_value=constraints.get("min_value"), max_value=constraints.get("max_value"))
    if question.asked_only_when is not None:
        extra["enable_when"] = _in_fhir_terms(question.asked_only_when)
    if question.not_asked_when is not None:
        extra["disable_when"] = _in_fhir_terms(question.not_asked_when)
    field = Field(link_id, section, question.name, _FHIR_TYPE[kind], question.text, question.help,
                  required=not question.optional, max_length=constraints.get("max_length"),
                  unasked_answer=question.unasked_answer(), **extra)
    if kind != "long_text":
        return [field]
    gate = Field(gate_link_id(link_id), section, question.name, "boolean", question.gate)
    return [gate, Field(link_id, section, question.name, "text", question.text, question.help, required=True,
                        enable_when=(gate.link_id, True), max_length=field.max_length)]


def _in_fhir_terms(condition: Answered) -> tuple[str, Any]:
    return f"{condition.section}.{condition.name}", condition.value


def gate_link_id(link_id: str) -> str:
    """The yes/no question asked before a free text: "Do you have any other allergies?"."""
    return f"{link_id}.given"


def _consent_fields() -> list[Field]:
    return [
        Field("consent.answers_confirmed", "consent", "answers_confirmed", "boolean",
              CONSENT_QUESTIONS["answers_confirmed"]),
        Field("consent.signature", "consent", "signature", "string", CONSENT_QUESTIONS["signature"],
              max_length=_constraints("consent", "signature").get("max_length")),
        Field("consent.signed_at", "consent", "signed_at", "dateTime", CONSENT_QUESTIONS["signed_at"]),
    ]


# Built once: they follow from the model and the wizard's questions alone, and reading one
# response back asks for them several times (rebuilt each time, that was most of its cost).
@functools.cache
def groups() -> tuple[tuple[str, str, tuple[Field, ...]], ...]:
    """(section, title, fields) of every group, in the wizard's order, the consent last."""
    found = [(step.section, step.title, tuple(f for q in step.questions for f in _question_fields(step.section, q)))
             for step in STEPS]
    return (*found, ("consent", CONSENT_TITLE, tuple(_consent_fields())))


@functools.cache
def fields() -> MappingProxyType:
    """Every question item by linkId (free-text gates included), read-only."""
    return MappingProxyType({field.link_id: field for _, _, members in groups() for field in members})


@functools.cache
def version() -> str:
    """The questionnaire's version: a digest of what answers mean (linkIds, types, codes,
    conditions), so it changes when a response to the old one would read differently,
    and not when only the words are reworded or translated."""
    shape = [(f.link_id, f.type, f.required, f.repeats, [c for c, _, _ in f.choices], f.none_option,
              f.enable_when, f.max_length, f.min_value, f.max_value, f.disable_when, f.unasked_answer)
             for f in fields().values()]
    return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:12]


def translated_languages() -> list[str]:
    """Every language other than the source that ships a patient catalog."""
    return [code for code in i18n.LANGUAGE_NAMES
            if code != i18n.SOURCE_LANGUAGE and i18n.catalog_path(code, "patient").is_file()]


class _Texts:
    """Writes a patient text with FHIR's translation extension for each catalog language."""

    def __init__(self) -> None:
        self.translators = {code: i18n.Words(code) for code in translated_languages()}

    def put(self, target: dict, key: str, text: str) -> dict:
        target[key] = text
        translated = {code: say(text) for code, say in self.translators.items()}
        translations = [
            {"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": code}, {"url": "content", "valueString": content}]}
            for code, content in translated.items() if content != text
        ]
        if translations:
            target[f"_{key}"] = {"extension": translations}
        return target


def _coding(texts: _Texts, system: str, code: str, label: str) -> dict:
    return texts.put({"system": system, "code": code}, "display", label)


def _item(field: Field, texts: _Texts) -> dict:
    item = texts.put({"linkId": field.link_id}, "text", field.text)
    item.update(type=field.type, required=field.required)
    if field.repeats:
        item["repeats"] = True
    if field.max_length is not None:
        item["maxLength"] = field.max_length
    extensions = [{"url": f"{EXTENSION}/{name}", "valueDecimal": value}
                  for name, value in (("minValue", field.min_value), ("maxValue", field.max_value)) if value is not None]
    if extensions:
        item["extension"] = extensions
    conditions = []
    for operator, condition in (("=", field.enable_when), ("!=", field.disable_when)):
        if condition is not None:
            question, answer = condition
            conditions.append({"question": question, "operator": operator, **_enable_answer(question, answer)})
    if conditions:
        item["enableWhen"] = conditions
    if len(conditions) > 1:
        item["enableBehavior"] = "all"
    options = [{"valueCoding": _coding(texts, field.system, code, label)} for code, _, label in field.choices]
    if field.none_option:
        exclusive = {"url": OPTION_EXCLUSIVE, "valueBoolean": True}
        options.append({"extension": [exclusive],
                        "valueCoding": _coding(texts, field.system, NONE_OF_THESE_CODE, NONE_OF_THESE)})
    if options:
        item["answerOption"] = options
        control = "check-box" if field.repeats else "radio-button"
        item.setdefault("extension", []).append(_item_control(control))
    if field.help:
        help_item = texts.put({"linkId": f"{field.link_id}-help"}, "text", field.help)
        help_item.update(type="display", extension=[_item_control("help")])
        item["item"] = [help_item]
    return item


def _item_control(code: str) -> dict:
    """SDC's rendering hint: radio buttons, check boxes, or a help text behind a button."""
    return {"url": ITEM_CONTROL, "valueCodeableConcept": {"coding": [
        {"system": "http://hl7.org/fhir/questionnaire-item-control", "code": code}]}}


def _enable_answer(question: str, answer: Any) -> dict:
    if isinstance(answer, bool):
        return {"answerBoolean": answer}
    return {"answerCoding": {"system": code_system(question), "code": answer}}


def questionnaire() -> dict:
    """The whole intake as an R4 Questionnaire (JSON-ready)."""
    texts = _Texts()
    items = []
    for section, title, members in groups():
        group = texts.put({"linkId": section}, "text", title)
        group.update(type="group", required=True, item=[_item(field, texts) for field in members])
        if section == "consent":
            statement = texts.put({"linkId": "consent.statement"}, "text", CONSENT_STATEMENT)
            group["item"].insert(0, {**statement, "type": "display"})
        items.append(group)
    resource = {
        "resourceType": "Questionnaire",
        "meta": {"profile": [f"{SDC}/StructureDefinition/sdc-questionnaire"]},
        "url": QUESTIONNAIRE_URL,
        "version": version(),
        "name": "MicrosclerotherapyIntake",
        "status": "active",
        "subjectType": ["Patient"],
        "language": i18n.SOURCE_LANGUAGE,
    }
    texts.put(resource, "title", WELCOME_TITLE)
    resource["item"] = items
    return resource

