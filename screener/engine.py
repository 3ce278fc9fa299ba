"""``assess``: every rule over one intake, sorted flags, exclusions and the decision.

Every rule is judged on every intake, but not every rule is called. At import the rule
declarations are written out as one function, ``screen`` (its source is ``SCREEN_SOURCE``),
with an ``if`` per rule on the sections' field dicts: a rule declared with ``answer_rule``
appends its flag, built once (a flag is immutable), and a rule function is called only when
an answer it reads is outside its ``silent_while`` values or the patient is younger than
its ``silent_from_age``. tests/test_properties.py checks both shortcuts against calling
every rule's check. Loops, Python calls and pydantic attribute reads were most of the time.
"""

from __future__ import annotations

from datetime import date
from itertools import chain
from operator import itemgetter
from typing import Any, Optional

from pydantic import BaseModel

from .errors import InvalidIntake, Problem
from .models import MAX_AGE_YEARS, SECTIONS, Assessment, Flag, Intake, age_in_years, date_problems
from .rules import ALL_AGENTS, ALL_RULES, NO_AGENT_LEFT, RULES, RULES_VERSION, SEVERITY_ORDER, Hit, Rule, no_agent_left

DECISION_BY_SEVERITY = {
    "absolute": "not_eligible",
    "relative": "clinician_review",
    "precaution": "eligible_with_precautions",
}


_SECTIONS = tuple(Intake.model_fields)
_PATIENT, _VEINS = _SECTIONS.index("patient"), _SECTIONS.index("veins")
_READ_SECTIONS = itemgetter(*_SECTIONS)
# A model's field dict, read through its slot: a getattr goes through pydantic's
# __getattr__ hook, several type lookups each.
_FIELDS_OF = BaseModel.__dict__["__dict__"].__get__
_RANKED = sorted(ALL_RULES, key=lambda rule: (SEVERITY_ORDER[rule.severity], rule.rule_id))
_RANK = {rule: rank for rank, rule in enumerate(_RANKED)}
_DECISION_OF_RANK = tuple(DECISION_BY_SEVERITY[rule.severity] for rule in _RANKED)
_FLAG, _AGENTS, _TECHNIQUES, _EXCLUDES = itemgetter(1), itemgetter(2), itemgetter(3), itemgetter(4)
_VALIDATE = Assessment.__pydantic_validator__.validate_python
_VALIDATE_FLAG = Flag.__pydantic_validator__.validate_python

# A fired rule: (rank, flag, agents, techniques, whether it excludes any); sorting compares ranks only.
Fired = tuple[int, Flag, tuple[str, ...], tuple[str, ...], bool]


def _fired(rule: Rule, hit: Hit) -> Fired:
    flag = _VALIDATE_FLAG({
        "rule_id": rule.rule_id,
        "severity": rule.severity,
        "title": rule.title,
        "reason": hit.reason,
        "action": f"{rule.action} {hit.action_detail}" if hit.action_detail else rule.action,
        "source": rule.source,
        "evidence": hit.evidence,
    })
    agents = rule.excluded_agents + hit.excluded_agents
    return _RANK[rule], flag, agents, rule.excluded_techniques, bool(agents or rule.excluded_techniques)


def answer_source(path: str) -> str:
    """Source text that reads the answer at a dotted path from its section's field dict."""
    section, _, name = path.partition(".")
    if section not in SECTIONS or name not in SECTIONS[section].model_fields:
        raise ValueError(f"a rule reads {path!r}, which is not an intake answer")
    return f"{section}[{name!r}]"


def _is_literal(value: Any) -> bool:
    """Whether ``repr(value)`` is Python source for an equal value (so the screen can show it)."""
    if isinstance(value, tuple):  # a list is not: built anew at every test, it costs more than a name
        return all(map(_is_literal, value))
    return type(value) in (str, int, bool, type(None))


def _name(kind: str, rule: Rule) -> str:
    return f"{kind}_{rule.rule_id.replace('-', '_')}"


def _write_screen() -> tuple[str, dict[str, Any]]:
    """The source of ``screen(age, patient, veins, ...)`` over the section dicts, and its globals.

    One ``if`` per rule, in flag order: an answer rule appends its fired rule, built once
    here; a rule function is woken, to be called by ``assess``, when an answer it reads is
    outside its ``silent_while`` values or the patient's ``age`` is under its
    ``silent_from_age``, and always when it declares neither. Written out as plain ``if``
    statements because a loop over tuples of tests cost twice as much.
    """
    constants: dict[str, Any] = {}

    def constant(value: Any, name: str = "") -> str:
        if _is_literal(value):
            return repr(value)
        name = name or f"VALUES_{len(constants)}"
        constants[name] = value
        return name

    def equals(answer: str, value: Any, negate: bool = False) -> str:
        # Identity means equality here and is cheaper: None equals nothing else, and the
        # answers compared with True or False are strict bools (tests/test_rules.py).
        if value is None or isinstance(value, bool):
            return f"{answer} is {'not ' * negate}{constant(value)}"
        return f"{answer} {'!=' if negate else '=='} {constant(value)}"

    def woken_by(path: str, silent: tuple[Any, ...]) -> str:
        if len(silent) == 1:
            return equals(answer_source(path), silent[0], negate=True)
        return f"{answer_source(path)} not in {constant(silent)}"

    lines = [f"def screen(age, {', '.join(_SECTIONS)}):", "    fired, woken = [], []"]
    for rule in sorted(RULES, key=_RANK.__getitem__):
        if rule.answer:
            answer, value = answer_source(rule.answer.path), rule.answer.value
            test = f"{constant(value)} in {answer}" if rule.answer.includes else equals(answer, value)
            then = f"fired.append({constant(_fired(rule, rule.answer.hit), _name('FIRED', rule))})"
        else:
            tests = [woken_by(path, silent) for path, silent in rule.silent_while]
            if rule.silent_from_age is not None:
                tests.append(f"age < {rule.silent_from_age!r}")
            test = " or ".join(tests)
            then = f"woken.append({constant(rule, _name('RULE', rule))})"
        lines += [f"    if {test or 'True'}:  # {rule.rule_id}", f"        {then}"]
    lines.append("    return fired, woken")
    return "\n".join(lines) + "\n", constants


SCREEN_SOURCE, _constants = _write_screen()
exec(compile(SCREEN_SOURCE, "<screener.engine.SCREEN_SOURCE>", "exec"), _constants)
_SCREEN = _constants["screen"]


def assess(intake: Intake, as_of: Optional[date] = None) -> Assessment:
    """The assessment of SCREENING.md section 3: pure, the same for the same intake and date.

    Raises :class:`InvalidIntake` when the intake's dates do not fit ``as_of`` (a birth or
    a last session after it), rather than guess an age or an interval.
    """
    as_of = as_of or date.today()
    given = list(map(_FIELDS_OF, _READ_SECTIONS(_FIELDS_OF(intake))))
    birth, last = given[_PATIENT]["date_of_birth"], given[_VEINS]["last_sclerotherapy_date"]
    age = age_in_years(birth, as_of)
    if birth > as_of or age > MAX_AGE_YEARS or (last is not None and last > as_of):
        raise InvalidIntake([Problem(path, message) for path, message in date_problems(birth, last, as_of)])

    fired, woken = _SCREEN(age, *given)  # answer rules' flags come in rank order
    for rule in woken:
        hit = rule.check(intake, as_of)
        if hit is not None:
            fired.append(_fired(rule, hit))
            fired.sort()  # by rank: each rule fires at most once, so ranks never tie

    agents = techniques = ()
    if any(map(_EXCLUDES, fired)):
        agents = set(chain.from_iterable(map(_AGENTS, fired)))
        techniques = set(chain.from_iterable(map(_TECHNIQUES, fired)))
        if agents.issuperset(ALL_AGENTS):
            excluding = [(excluded, flag.evidence) for _, flag, excluded, *_ in fired if excluded]
            fired.append(_fired(NO_AGENT_LEFT, no_agent_left(excluding)))
            fired.sort()
    return _VALIDATE(
        {
            "decision": _DECISION_OF_RANK[fired[0][0]] if fired else "eligible",
            "rules_version": RULES_VERSION,
            "assessed_on": as_of,
            "flags": list(map(_FLAG, fired)),
            "excluded_agents": sorted(agents) if agents else [],
            "excluded_techniques": sorted(techniques) if techniques else [],
        }
    )
