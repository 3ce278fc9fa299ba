"""The tests a rule's condition is made of, each one saying in words what it checks.

A test reads named answers of the intake (``reads``), says what it checks in the words
of SCREENING.md section 4 (``description``), and ``match(intake, as_of)`` gives ``None`` when
it does not hold, or the values a reason may name when it does (``answer``: the answer
in words; the derived tests name their own, such as ``age``). Free text is never among
those values: a reason never quotes what a patient typed.

Every answer a test reads, and every value it compares with, is checked against the
intake model when the rule is declared, so a misspelt answer fails at import instead of
never firing.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Iterable, Literal, Mapping, Optional, Sequence, get_args, get_origin

from .models import SECTIONS, Intake, PriorReaction, PriorSession, age_in_years

Values = Optional[Mapping[str, Any]]
# The clinic's own record of earlier sessions (``assess(..., history=...)``), oldest or newest first alike.
History = Sequence[PriorSession]


def answer_options(path: str) -> Optional[tuple[Any, ...]]:
    """The values the answer at a dotted path can take (the options of a list's items), or
    None when it has no closed set; ValueError if the intake has no such answer."""
    section, _, name = path.partition(".")
    if section not in SECTIONS or name not in SECTIONS[section].model_fields:
        raise ValueError(f"a rule reads {path!r}, which is not an intake answer")
    annotation = SECTIONS[section].model_fields[name].annotation
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    if annotation is bool:
        return (True, False)
    return get_args(annotation) if get_origin(annotation) is Literal else None


def in_words(value: Any) -> str:
    """An answer's value as a reason names it: ``with_aura`` is "with aura"."""
    return str(value).replace("_", " ")


def shown(value: Any) -> str:
    """A value as the rule card shows it, in the intake's JSON words: `true`, `over_3mm`, 4."""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`" if isinstance(value, str) else str(value)


def either(values: tuple[Any, ...]) -> str:
    """`a`, `b` or `c`."""
    listed = [shown(value) for value in values]
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} or {listed[-1]}"


class Test:
    """What every test has: the answers it reads and, for the rule card, what the values it
    names are when a rule's action quotes them."""

    reads: tuple[str, ...] = ()
    described: Mapping[str, str] = {}

    def evidence(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        """The answers behind a match (``values``, what ``match`` gave): all those it reads."""
        return self.reads


class AnswerTest(Test):
    """A test of the answer at one dotted path."""

    def __init__(self, path: str, *values: Any) -> None:
        self.path, self.values = path, values
        self.options = answer_options(path)
        for value in values:
            if self.options is None or value not in self.options:
                raise ValueError(f"a rule compares {path!r} with {value!r}, which is not one of its answers")
        self.reads = (path,)
        self._read = attrgetter(path)
        self._values = frozenset(values)

    def listed(self, chosen: Iterable[Any]) -> str:
        """List answers named in the order of their options, whatever the order given."""
        chosen = set(chosen)
        return ", ".join(in_words(option) for option in self.options if option in chosen)


class OneValueTest(AnswerTest):
    """A test of one answer against one value."""

    def __init__(self, path: str, value: Any) -> None:
        super().__init__(path, value)
        self.value = value


class Is(OneValueTest):
    """The answer is ``value``. ``named`` is what it names when it holds: the same for every intake."""

    def __init__(self, path: str, value: Any) -> None:
        super().__init__(path, value)
        self.named: Mapping[str, Any] = MappingProxyType({"answer": in_words(value)})

    @property
    def description(self) -> str:
        return f"`{self.path}` is {shown(self.value)}"

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        return self.named if self._read(intake) == self.value else None


class IsNot(OneValueTest):
    """The answer is anything but ``value``."""

    @property
    def description(self) -> str:
        return f"`{self.path}` is not {shown(self.value)}"

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        answer = self._read(intake)
        return {"answer": in_words(answer)} if answer != self.value else None


class Has(AnswerTest):
    """A list answer holds one or more of ``values``; ``held`` names those it holds."""

    @property
    def description(self) -> str:
        return f"`{self.path}` has {either(self.values)}"

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        answer = self._read(intake)
        if not answer or self._values.isdisjoint(answer):
            return None
        held = tuple(option for option in self.options if option in answer and option in self._values)
        return {"answer": self.listed(held), "held": held}


class HasOtherThan(AnswerTest):
    """A list answer holds a value other than ``values``."""

    @property
    def description(self) -> str:
        return f"`{self.path}` has at least one value other than {either(self.values)}"

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        answer = self._read(intake)
        if not answer or self._values.issuperset(answer):
            return None
        return {"answer": self.listed(option for option in answer if option not in self._values)}


class NotEmpty(AnswerTest):
    """A list answer holds anything."""

    @property
    def description(self) -> str:
        return f"`{self.path}` is not empty"

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        answer = self._read(intake)
        return {"answer": self.listed(answer)} if answer else None


class AtLeast(AnswerTest):
    """A number answer is ``threshold`` or more."""

    def __init__(self, path: str, threshold: int) -> None:
        super().__init__(path)
        self.threshold = threshold

    @property
    def description(self) -> str:
        return f"`{self.path}` is at least {self.threshold}"

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        answer = self._read(intake)
        return {"answer": str(answer)} if answer >= self.threshold else None


class TextGiven(AnswerTest):
    """A free text holds more than white space. It names nothing: reasons never quote free text."""

    @property
    def description(self) -> str:
        return f"`{self.path}` is not empty after trimming"

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        return {} if (self._read(intake) or "").strip() else None


class NotGiven(AnswerTest):
    """An optional answer is not given."""

    @property
    def description(self) -> str:
        return f"`{self.path}` is not given"

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        return {} if self._read(intake) is None else None


class AllOf(Test):
    """Every one of ``tests`` holds; the values they name are all named."""

    def __init__(self, *tests: Test) -> None:
        self.tests = tests
        self.reads = tuple(dict.fromkeys(path for test in tests for path in test.reads))

    @property
    def description(self) -> str:
        return " and ".join(test.description for test in self.tests)

    def evidence(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(path for test in self.tests for path in test.evidence(values)))

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        named: dict[str, Any] = {}
        for test in self.tests:
            values = test.match(intake, as_of, history)
            if values is None:
                return None
            named.update(values)
        return named


class AtLeastOf(Test):
    """At least ``count`` of several findings hold, each a test and the phrase for it. It names the
    findings that hold (``factors``, joined by ``joined``) and how many (``count``); its evidence is
    the answers of those findings only."""

    def __init__(self, count: int, findings: Iterable[tuple[Test, str]], joined: str = "; ") -> None:
        self.count, self.findings, self.joined = count, tuple(findings), joined
        self.reads = tuple(dict.fromkeys(path for test, _ in self.findings for path in test.reads))

    @property
    def description(self) -> str:
        return f"at least {self.count} of: " + "; ".join(test.description for test, _ in self.findings)

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        holding = [(test, phrase.format_map(values)) for test, phrase in self.findings
                   if (values := test.match(intake, as_of, history)) is not None]
        if len(holding) < self.count:
            return None
        return {"count": len(holding), "factors": self.joined.join(phrase for _, phrase in holding),
                "evidence": tuple(dict.fromkeys(path for test, _ in holding for path in test.reads))}

    def evidence(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        return values["evidence"]


# What a rule reads of the clinic's record rather than of the answers: named like answers, so the
# rule card and a flag's evidence say where a finding came from.
RECORDED_SESSION_DATE = "history.session_date"
RECORDED_REACTIONS = "history.reactions"


def _recorded(history: History, as_of: date) -> list[PriorSession]:
    """The recorded sessions up to the assessment date (a later one had not happened then)."""
    return [session for session in history if session.session_date <= as_of]


class NoSessionRecorded(Test):
    """The clinic has recorded no session of this patient up to the assessment date."""

    reads = (RECORDED_SESSION_DATE,)
    description = f"no session is recorded (`{RECORDED_SESSION_DATE}`)"

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        return None if _recorded(history, as_of) else {}

    def evidence(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        return ()  # nothing recorded is no answer to point at


class LastSessionUnder(Test):
    """The last session was fewer than ``days`` days before the assessment date: the latest recorded
    session's date when the clinic recorded one (the record wins), else the date the patient gave.
    ``next`` is the first date that many days after it; when the patient's date disagrees with the
    record, ``note`` says so, so the clinician sees both."""

    def __init__(self, answer: str, days: int) -> None:
        answer_options(answer)
        self.answer, self.days = answer, days
        self._read = attrgetter(answer)
        self.reads = (answer, RECORDED_SESSION_DATE)

    @property
    def description(self) -> str:
        return (f"the last session, the latest `{RECORDED_SESSION_DATE}` when one is recorded (the record wins), "
                f"else `{self.answer}` when given, is fewer than {self.days} days before the assessment date")

    @property
    def described(self) -> Mapping[str, str]:
        return {"next": f"the date {self.days} days after the last session"}

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        given = self._read(intake)
        recorded = [session.session_date for session in _recorded(history, as_of)]
        last = max(recorded) if recorded else given
        if last is None or (as_of - last).days >= self.days:
            return None
        note = (f" (the patient gave {given.isoformat()}; the clinic's record is used)"
                if recorded and given is not None and given != last else "")
        return {"date": last.isoformat(), "days": (as_of - last).days, "as_of": as_of.isoformat(),
                "next": (last + timedelta(days=self.days)).isoformat(), "note": note,
                "evidence": (RECORDED_SESSION_DATE,) if recorded else (self.answer,)}

    def evidence(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        return values["evidence"]


class RecordedReaction(Test):
    """A recorded session had the reaction ``kind``; ``held`` names its agents (those the intake's agents
    include) and ``answer`` them in words, with the session dates."""

    reads = (RECORDED_REACTIONS,)

    def __init__(self, kind: str) -> None:
        if kind not in get_args(PriorReaction):
            raise ValueError(f"a rule reads the recorded reaction {kind!r}, which is not one")
        self.kind = kind

    @property
    def description(self) -> str:
        return f"`{RECORDED_REACTIONS}` has `{self.kind}` (a reaction the clinic recorded after a session)"

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        sessions = sorted((session for session in _recorded(history, as_of) if self.kind in session.reactions),
                          key=lambda session: (session.session_date, session.agent))
        if not sessions:
            return None
        agents = tuple(dict.fromkeys(session.agent for session in sessions))
        named = "; ".join(f"{in_words(session.agent)} on {session.session_date.isoformat()}" for session in sessions)
        return {"answer": named, "held": agents}


class AgeUnder(Test):
    """The patient's age in completed years on the assessment date is under ``years``."""

    path = "patient.date_of_birth"
    reads = (path,)

    def __init__(self, years: int) -> None:
        answer_options(self.path)
        self.years = years

    @property
    def description(self) -> str:
        return f"the age in completed years on the assessment date (from `{self.path}`) is under {self.years}"

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        age = age_in_years(intake.patient.date_of_birth, as_of)
        return {"age": age, "as_of": as_of.isoformat()} if age < self.years else None


def body_mass_index(height_cm: float, weight_kg: float) -> Decimal:
    """BMI rounded half up to one decimal, computed on the decimal values as given."""
    metres = Decimal(repr(height_cm)) / 100
    return (Decimal(repr(weight_kg)) / (metres * metres)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class BodyMassIndexAtLeast(Test):
    """Height and weight are given and the body mass index is ``threshold`` or more."""

    reads = ("patient.height_cm", "patient.weight_kg")

    def __init__(self, threshold: Decimal) -> None:
        for path in self.reads:
            answer_options(path)
        self.threshold = threshold

    @property
    def description(self) -> str:
        return (f"`{self.reads[0]}` and `{self.reads[1]}` are given and the body mass index, "
                f"`weight_kg / (height_cm / 100)²` rounded half up to one decimal, is at least {self.threshold}")

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        patient = intake.patient
        if patient.height_cm is None or patient.weight_kg is None:
            return None
        bmi = body_mass_index(patient.height_cm, patient.weight_kg)
        if bmi < self.threshold:
            return None
        return {"bmi": bmi, "weight": f"{patient.weight_kg:g}", "height": f"{patient.height_cm:g}"}


class DaysBeforeUnder(AnswerTest):
    """A date answer is given and fewer than ``days`` days before the assessment date;
    ``next`` is the first date that many days after it."""

    def __init__(self, path: str, days: int) -> None:
        super().__init__(path)
        self.days = days

    @property
    def description(self) -> str:
        return f"`{self.path}` is given and fewer than {self.days} days before the assessment date"

    @property
    def described(self) -> Mapping[str, str]:
        """What the values it names are, for the rule card."""
        return {"next": f"the date {self.days} days after `{self.path}`"}

    def match(self, intake: Intake, as_of: date, history: History = ()) -> Values:
        given = self._read(intake)
        if given is None or (as_of - given).days >= self.days:
            return None
        return {"date": given.isoformat(), "days": (as_of - given).days, "as_of": as_of.isoformat(),
                "next": (given + timedelta(days=self.days)).isoformat()}
