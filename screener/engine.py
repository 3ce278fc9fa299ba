"""``assess``: every rule over one intake, sorted flags, exclusions and the decision.

Every rule is judged on every intake, but not every rule is called: a rule declared
with ``answer_rule`` is a comparison on a section's field dict, its flag built once at
import, and a rule function is called only when an answer it reads is outside its
``silent_while`` values (tests/test_properties.py checks both shortcuts against calling
every rule's check). Python calls and pydantic attribute reads were most of the time.
"""

from __future__ import annotations

from datetime import date
from itertools import chain
from operator import itemgetter
from typing import Any, Optional

from pydantic import BaseModel

from .errors import InvalidIntake, Problem
from .models import Assessment, Intake, date_problems
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
_RANK = {rule: rank for rank, rule in enumerate(sorted(ALL_RULES, key=lambda rule: (SEVERITY_ORDER[rule.severity], rule.rule_id)))}
_FLAG, _AGENTS, _TECHNIQUES, _EXCLUDES = itemgetter(1), itemgetter(2), itemgetter(3), itemgetter(4)
_VALIDATE = Assessment.__pydantic_validator__.validate_python

# A fired rule: (rank, flag, agents, techniques, whether it excludes any); sorting compares ranks only.
Fired = tuple[int, dict, tuple[str, ...], tuple[str, ...], bool]


def _fired(rule: Rule, hit: Hit) -> Fired:
    flag = {
        "rule_id": rule.rule_id,
        "severity": rule.severity,
        "title": rule.title,
        "reason": hit.reason,
        "action": f"{rule.action} {hit.action_detail}" if hit.action_detail else rule.action,
        "source": rule.source,
        "evidence": hit.evidence,
    }
    agents = rule.excluded_agents + hit.excluded_agents
    return _RANK[rule], flag, agents, rule.excluded_techniques, bool(agents or rule.excluded_techniques)


def _where(path: str) -> tuple[int, str]:
    section, name = path.split(".")
    return _SECTIONS.index(section), name


def _answer_tests(includes: bool) -> list[tuple[int, str, Any, Fired]]:
    """A rule that fires on one answer always gives the same flag: it is built once, here."""
    return [(*_where(rule.answer.path), rule.answer.value, _fired(rule, rule.answer.hit))
            for rule in RULES if rule.answer and rule.answer.includes is includes]


_EQUALS = _answer_tests(includes=False)
_INCLUDES = _answer_tests(includes=True)

# A rule function is called only when an answer it reads is outside its silent_while
# values (see rules.rule): most intakes wake none or one of the eleven.
_ALWAYS_CALLED = tuple(rule for rule in RULES if rule.answer is None and not rule.silent_while)
_WAKERS = [(*_where(path), values, rule) for rule in RULES if rule.answer is None for path, values in rule.silent_while]


def assess(intake: Intake, as_of: Optional[date] = None) -> Assessment:
    """The assessment of SCREENING.md section 3: pure, the same for the same intake and date.

    Raises :class:`InvalidIntake` when the intake's dates do not fit ``as_of`` (a birth or
    a last session after it), rather than guess an age or an interval.
    """
    as_of = as_of or date.today()
    given = list(map(_FIELDS_OF, _READ_SECTIONS(_FIELDS_OF(intake))))
    problems = date_problems(given[_PATIENT]["date_of_birth"], given[_VEINS]["last_sclerotherapy_date"], as_of)
    if problems:
        raise InvalidIntake([Problem(path, message) for path, message in problems])

    fired: list[Fired] = []
    for section, name, value, done in _EQUALS:
        if given[section][name] == value:
            fired.append(done)
    for section, name, value, done in _INCLUDES:
        if value in given[section][name]:
            fired.append(done)
    woken = {}
    for section, name, silent, rule in _WAKERS:
        if given[section][name] not in silent:
            woken[rule] = None
    for rule in (*_ALWAYS_CALLED, *woken):
        hit = rule.check(intake, as_of)
        if hit is not None:
            fired.append(_fired(rule, hit))

    fired.sort()  # by rank: each rule fires at most once, so ranks never tie
    agents = techniques = ()
    if any(map(_EXCLUDES, fired)):
        agents = set(chain.from_iterable(map(_AGENTS, fired)))
        techniques = set(chain.from_iterable(map(_TECHNIQUES, fired)))
        if agents.issuperset(ALL_AGENTS):
            excluding = [(excluded, flag["evidence"]) for _, flag, excluded, *_ in fired if excluded]
            fired.append(_fired(NO_AGENT_LEFT, no_agent_left(excluding)))
            fired.sort()
    return _VALIDATE(
        {
            "decision": DECISION_BY_SEVERITY[fired[0][1]["severity"]] if fired else "eligible",
            "rules_version": RULES_VERSION,
            "assessed_on": as_of,
            "flags": list(map(_FLAG, fired)),
            "excluded_agents": sorted(agents),
            "excluded_techniques": sorted(techniques),
        }
    )
