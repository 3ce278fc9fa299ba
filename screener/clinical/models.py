"""The intake of SCREENING.md section 2 and the assessment of section 3, as pydantic models.

Validation is strict (JSON types are not coerced), unknown fields are errors, texts are
kept exactly as typed, and dates are checked against ``context={"as_of": date}`` (today
when no context is given). Every message is written for the person who has to fix it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import AbstractSet, Annotated, Any, ClassVar, Literal, Optional, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from .questionnaire import STEP_BY_SECTION

MAX_AGE_YEARS = 120

Sex = Literal["female", "male", "intersex", "prefer_not_to_say"]
VeinArea = Literal["legs", "face", "other"]
VeinSize = Literal["under_1mm", "1_to_3mm", "over_3mm", "unsure"]
YesNoUnsure = Literal["yes", "no", "unsure"]
PriorTreatment = Literal["sclerotherapy", "laser_or_ipl", "surgery_or_ablation"]
PriorReaction = Literal[
    "allergic",
    "visual_or_neurological",
    "stroke_or_heart_event",
    "skin_necrosis_or_ulcer",
    "marked_pigmentation",
]
LegSymptom = Literal["aching", "heaviness", "swelling", "itching", "night_cramps", "restless_legs"]
SkinChange = Literal["discoloration", "eczema", "hardened_skin", "healed_ulcer", "open_ulcer"]
Pregnancy = Literal["no", "yes", "unsure", "not_applicable"]
NonePastCurrent = Literal["none", "past", "current"]
ArterialDisease = Literal["none", "mild", "severe"]
Diabetes = Literal["none", "controlled", "uncontrolled"]
Migraine = Literal["none", "without_aura", "with_aura"]
Shunt = Literal["none_known", "asymptomatic", "symptomatic"]
Sclerosant = Literal["polidocanol", "sodium_tetradecyl_sulfate", "hypertonic_saline", "unknown_agent"]
Agent = Literal["polidocanol", "sodium_tetradecyl_sulfate", "hypertonic_saline"]
Technique = Literal["foam"]
Severity = Literal["absolute", "relative", "precaution"]
Decision = Literal["not_eligible", "clinician_review", "eligible_with_precautions", "eligible"]


def _problem(kind: str, message: str, **params: Any) -> PydanticCustomError:
    """A problem of ours: its kind and parameters (``{limit}`` in ``message``) travel with it, so a
    screen can word it in another language without reading the English."""
    return PydanticCustomError(kind, message, params or None)


# Validation context of an intake read back from storage: kept exactly as it was signed, so the
# questions added to the intake since then read as not asked (None) instead of being refused.
STORED = "stored"


def as_of_from(info: ValidationInfo) -> date:
    """The assessment date given as validation context, or today when none is given."""
    as_of = (info.context or {}).get("as_of")
    if as_of is None:
        return date.today()
    if not isinstance(as_of, date) or isinstance(as_of, datetime):
        raise TypeError(f"the as_of context must be a datetime.date, not {type(as_of).__name__}")
    return as_of


def age_in_years(date_of_birth: date, on: date) -> int:
    """Completed years on a date; a 29 February birthday falls on 1 March in other years."""
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - before_birthday


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATE_TIME = re.compile(r"[0-9]{4}-?[0-9]{2}-?[0-9]{2}[Tt ][0-9]{2}")


def _parse_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise _problem("date_format", "Enter a date as YYYY-MM-DD, for example 1984-03-09.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _problem("date_invalid", "This date does not exist on the calendar.") from None


def _parse_date_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE_TIME.match(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise _problem(
        "datetime_format",
        "Enter a date and time in ISO 8601 form, for example 2026-11-21T09:30:00.",
    )


FUTURE_DATE = "This date is in the future; check the year."
TOO_OLD = "This gives an age over {years} years; check the year of birth."


def _not_in_future(value: date, info: ValidationInfo) -> date:
    if value > as_of_from(info):
        raise _problem("date_in_future", FUTURE_DATE)
    return value


def _plausible_birth_date(value: date, info: ValidationInfo) -> date:
    if age_in_years(value, as_of_from(info)) > MAX_AGE_YEARS:
        raise _problem("age_too_high", TOO_OLD, years=MAX_AGE_YEARS)
    return value


# Unicode "Cc" (C0 and C1 controls) and the line and paragraph separators; in names and
# signatures also the directional controls, which would show a name reversed or reordered.
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROLS_EXCEPT_LAYOUT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# Characters that draw nothing: a name of only these (and white space) is blank.
_INVISIBLE = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064\u2800\u3164\ufeff\uffa0"
_ONLY_INVISIBLE = re.compile(f"[\\s{_INVISIBLE}]*")


def _text_check(max_length: int, *, allow_blank: bool, layout_allowed: bool):
    controls = _CONTROLS_EXCEPT_LAYOUT if layout_allowed else _CONTROL_CHARACTERS

    def check(value: Optional[str]) -> Optional[str]:
        if value is None:
            return value
        length = len(value.strip())
        if not allow_blank and _ONLY_INVISIBLE.fullmatch(value):
            raise _problem("text_blank", "This cannot be left blank.")
        if length > max_length:
            raise _problem("text_too_long", "Use at most {limit} characters (this has {length}).",
                           limit=max_length, length=length)
        if controls.search(value):
            raise _problem("text_control_characters", "This contains invisible control characters; please retype it.")
        return value

    check.max_length = max_length  # type: ignore[attr-defined]  # declared once: the FHIR export reads it
    return AfterValidator(check)


def _unique(values: list) -> list:
    if len(set(values)) != len(values):
        raise _problem("list_repeated", "Each choice can be given only once.")
    return values


def _must_be_true(value: bool) -> bool:
    if value is not True:
        raise _problem("must_confirm", "Please confirm that your answers are true and complete.")
    return value


StrictBool = Annotated[bool, Field(strict=True)]
IsoDate = Annotated[date, BeforeValidator(_parse_date)]
PastDate = Annotated[IsoDate, AfterValidator(_not_in_future)]
Name = Annotated[str, Field(strict=True), _text_check(200, allow_blank=False, layout_allowed=False)]
UniqueList = AfterValidator(_unique)


def choices_of(options) -> Any:
    """A list of distinct ``options`` (a Literal): never longer than there are options, so an
    overlong list is one problem at its path, found before its items are read one by one."""
    return Annotated[list[options], Field(max_length=len(get_args(options))), UniqueList]


def _free_text(max_length: int):
    return Annotated[
        Optional[str],
        Field(default=None, strict=True),
        _text_check(max_length, allow_blank=True, layout_allowed=True),
    ]


def _number(low: float, high: float):
    return Annotated[Optional[float], Field(default=None, strict=True, ge=low, le=high, allow_inf_nan=False)]


class Section(BaseModel):
    """A part of the intake: strict, closed to unknown fields, immutable once valid.

    ``added_in_version_2`` names the section's answers that SCREENING.md version 2 added. A new
    intake must give them; one signed before version 2 (read with the ``STORED`` context) lacks
    them, and they read as ``None``: not asked, never a guessed answer, so no rule fires on them.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    added_in_version_2: ClassVar[tuple[str, ...]] = ()


def asked_later(default: None = None) -> Any:
    """The default of an answer added in version 2: ``None`` (not asked) for an intake signed
    before it; never validated, so an explicit ``null`` is refused like any wrong answer."""
    return Field(default=default, validate_default=False)


def _raise_with(errors: list[InitErrorDetails], title: str) -> None:
    raise ValidationError.from_exception_data(title, errors)


def _carry(error: dict) -> InitErrorDetails:
    """The same error again, built-in type and context included, to re-raise with others."""
    details = InitErrorDetails(type=error["type"], loc=error["loc"], input=error.get("input"))
    if "ctx" in error:
        details["ctx"] = error["ctx"]
    try:
        ValidationError.from_exception_data("probe", [details])
    except KeyError:  # one of ours: its type is not pydantic's, its message is already plain
        details = InitErrorDetails(type=_problem(error["type"], error["msg"], **error.get("ctx", {})),
                                   loc=error["loc"], input=error.get("input"))
    return details


def _cross_field_checks(cls, data, handler, info: ValidationInfo, check=None):
    """Run field validation, then the cross-field ``check`` on whichever fields are valid, and
    require the answers added in version 2 unless the section is read as stored.

    ``check`` gets the raw section and the names of fields that failed, and returns
    ``(field, kind, message)`` for each problem; so a cross-field problem is reported even
    when an unrelated answer in the same section is also wrong.
    """
    unasked = _unanswered_new_questions(cls, data, info)
    try:
        model = handler(data)
    except ValidationError as exc:
        if not isinstance(data, dict):
            raise
        errors = exc.errors()
        failed = {error["loc"][0] for error in errors if error["loc"]}
        problems = check(data, failed) if check else []
        _raise_with([_carry(error) for error in errors] + unasked + _cross_field_problems(data, problems), cls.__name__)
    if not isinstance(data, dict):
        data = dict(model)
    problems = check(data, _NONE_FAILED) if check else []
    if problems or unasked:
        _raise_with(unasked + _cross_field_problems(data, problems), cls.__name__)
    return model


def _unanswered_new_questions(cls, data, info: ValidationInfo) -> list[InitErrorDetails]:
    if not cls.added_in_version_2 or not isinstance(data, dict) or (info.context or {}).get(STORED):
        return []
    return [InitErrorDetails(type="missing", loc=(name,), input=data)
            for name in cls.added_in_version_2 if name not in data]


_NONE_FAILED: AbstractSet[str] = frozenset()


def _cross_field_problems(data: dict, problems: list[tuple[str, str, str]]) -> list[InitErrorDetails]:
    return [InitErrorDetails(type=_problem(kind, message), loc=(field,), input=data.get(field))
            for field, kind, message in problems]


class Patient(Section):
    full_name: Name
    date_of_birth: Annotated[PastDate, AfterValidator(_plausible_birth_date)]
    sex_at_birth: Sex
    height_cm: _number(50, 250)
    weight_kg: _number(20, 350)

    @model_validator(mode="wrap")
    @classmethod
    def _height_with_weight(cls, data, handler, info: ValidationInfo):
        return _cross_field_checks(cls, data, handler, info, _height_and_weight_together)


def _height_and_weight_together(data: dict, failed: AbstractSet[str]) -> list[tuple[str, str, str]]:
    if {"height_cm", "weight_kg"} & failed:
        return []
    height, weight = data.get("height_cm"), data.get("weight_kg")
    if height is not None and weight is None:
        return [("weight_kg", "height_without_weight", "Give your weight as well as your height, or leave out both.")]
    if weight is not None and height is None:
        return [("height_cm", "weight_without_height", "Give your height as well as your weight, or leave out both.")]
    return []


class Veins(Section):
    added_in_version_2 = ("bulging",)

    areas: Annotated[choices_of(VeinArea), Field(min_length=1)]
    largest_vein: VeinSize
    bulging: YesNoUnsure = asked_later()
    prior_treatments: choices_of(PriorTreatment)
    last_sclerotherapy_date: Optional[PastDate] = None
    prior_sclerotherapy_reactions: choices_of(PriorReaction)

    @model_validator(mode="wrap")
    @classmethod
    def _follow_ups_only_when_asked(cls, data, handler, info: ValidationInfo):
        return _cross_field_checks(cls, data, handler, info, _VEINS_FOLLOW_UPS)


# The message for a follow-up answered although it was not asked (SCREENING.md section 2). When
# each follow-up is asked is declared once, on its question (``Question.asked_only_when``).
GIVEN_THOUGH_NOT_ASKED = {
    "last_sclerotherapy_date": "A date of the last sclerotherapy session can only be given after earlier sclerotherapy.",
    "prior_sclerotherapy_reactions": "Reactions to sclerotherapy can only be given after earlier sclerotherapy.",
}


def _follow_ups_given_only_when_asked(section: str):
    """The cross-field check of a section's follow-ups: an answer to one that was not asked is refused."""
    follow_ups = [(question.name, question.asked_only_when, GIVEN_THOUGH_NOT_ASKED[question.name])
                  for question in STEP_BY_SECTION[section].questions if question.asked_only_when is not None]

    def check(data: dict, failed: AbstractSet[str]) -> list[tuple[str, str, str]]:
        return [(name, "given_though_not_asked", message) for name, asked_when, message in follow_ups
                if asked_when.name not in failed and name not in failed
                and not asked_when.holds(data) and data.get(name) not in (None, [])]

    return check


_VEINS_FOLLOW_UPS = _follow_ups_given_only_when_asked("veins")


class Symptoms(Section):
    leg_symptoms: choices_of(LegSymptom)
    skin_changes: choices_of(SkinChange)
    bleeding_vein: StrictBool


class Reproductive(Section):
    pregnancy: Pregnancy
    breastfeeding: StrictBool
    gave_birth_last_3_months: StrictBool
    hormonal_medication: StrictBool


class Clotting(Section):
    added_in_version_2 = ("reduced_mobility",)

    vte_history: NonePastCurrent
    superficial_thrombophlebitis: NonePastCurrent
    clotting_disorder: StrictBool
    family_vte: StrictBool
    active_cancer: StrictBool
    recent_surgery_or_hospital_stay: StrictBool
    immobile: StrictBool
    reduced_mobility: StrictBool = asked_later()

    @model_validator(mode="wrap")
    @classmethod
    def _new_questions_answered(cls, data, handler, info: ValidationInfo):
        return _cross_field_checks(cls, data, handler, info)


class Health(Section):
    arterial_disease: ArterialDisease
    diabetes: Diabetes
    heart_disease: StrictBool
    other_uncontrolled_illness: StrictBool
    acute_illness_or_fever: StrictBool
    infection_at_treatment_site: StrictBool


class Neurology(Section):
    migraine: Migraine
    right_to_left_shunt: Shunt
    stroke_or_tia: StrictBool


class Allergies(Section):
    sclerosants: choices_of(Sclerosant)
    anaphylaxis_history: StrictBool
    asthma: StrictBool
    lidocaine: StrictBool
    latex: StrictBool
    adhesive_tape: StrictBool
    other: _free_text(500)


class Skin(Section):
    fitzpatrick_type: Annotated[int, Field(strict=True, ge=1, le=6)]
    pigmentation_history: StrictBool
    current_tan: StrictBool


class Medications(Section):
    anticoagulant: StrictBool
    antiplatelet: StrictBool
    minocycline: StrictBool
    disulfiram: StrictBool
    iron_supplement: StrictBool
    other: _free_text(1000)


class Lifestyle(Section):
    smoker: StrictBool
    can_wear_compression: StrictBool
    long_travel_planned: StrictBool


class Consent(Section):
    answers_confirmed: Annotated[bool, Field(strict=True), AfterValidator(_must_be_true)]
    signature: Name
    signed_at: Annotated[datetime, BeforeValidator(_parse_date_time)]


class Intake(Section):
    """One patient's answers, as SCREENING.md section 2 defines them."""

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> "Intake":
        """As pydantic's, but a leading UTF-8 byte order mark is accepted (SCREENING.md section 2)."""
        if isinstance(json_data, str):
            json_data = json_data.removeprefix("\ufeff")
        elif json_data[:3] == b"\xef\xbb\xbf":
            json_data = json_data[3:]
        return super().model_validate_json(json_data, **kwargs)

    patient: Patient
    veins: Veins
    symptoms: Symptoms
    reproductive: Reproductive
    clotting: Clotting
    health: Health
    neurology: Neurology
    allergies: Allergies
    skin: Skin
    medications: Medications
    lifestyle: Lifestyle
    consent: Consent

    def not_asked(self) -> tuple[str, ...]:
        """The answers added in SCREENING.md version 2 that this intake, signed before then, was never
        asked (dotted paths); empty for every intake signed since."""
        return tuple(f"{name}.{field}" for name, section in self for field in section.added_in_version_2
                     if getattr(section, field) is None)


ADDED_IN_VERSION_2: tuple[str, ...] = tuple(
    f"{name}.{field}" for name, field_info in Intake.model_fields.items()
    for field in field_info.annotation.added_in_version_2)  # type: ignore[union-attr]


def date_problems(birth: date, last: Optional[date], as_of: date) -> list[tuple[str, str]]:
    """The date rules of section 2 for a date of birth and a last session date, against
    another assessment date than validation used."""
    problems = []
    if birth > as_of:
        problems.append(("patient.date_of_birth", FUTURE_DATE))
    elif age_in_years(birth, as_of) > MAX_AGE_YEARS:
        problems.append(("patient.date_of_birth", TOO_OLD.format(years=MAX_AGE_YEARS)))
    if last is not None and last > as_of:
        problems.append(("veins.last_sclerotherapy_date", FUTURE_DATE))
    return problems


SECTIONS: dict[str, type[Section]] = {
    name: field.annotation for name, field in Intake.model_fields.items()  # type: ignore[misc]
}


def text_limit(section: str, name: str) -> Optional[int]:
    """The most characters (after trimming) the text answer ``section.name`` may hold; None for other answers."""
    for item in SECTIONS[section].model_fields[name].metadata:
        limit = getattr(getattr(item, "func", None), "max_length", None)
        if limit is not None:
            return limit
    return None


TreatmentAgent = Literal["polidocanol", "sodium_tetradecyl_sulfate", "hypertonic_saline", "glycerin"]
TreatmentForm = Literal["liquid", "foam"]


class PriorSession(BaseModel):
    """One earlier session as the clinic recorded it (a treatment record), as the rules read it: when,
    with what, and the reactions seen. The engine is given these (``assess(..., history=...)``); it
    reads no store."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    session_date: date
    agent: TreatmentAgent
    form: TreatmentForm
    reactions: tuple[PriorReaction, ...] = ()


class Flag(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule_id: str
    severity: Severity
    title: str
    reason: str
    action: str
    source: str
    # A tuple, so a flag is immutable and the engine can share one built at import.
    evidence: tuple[str, ...]


class Assessment(BaseModel):
    """The result of :func:`screener.assess`: SCREENING.md section 3."""

    model_config = ConfigDict(frozen=True)

    decision: Decision
    rules_version: str
    assessed_on: date
    flags: list[Flag]
    excluded_agents: list[Agent]
    excluded_techniques: list[Technique]
    urgent: bool

