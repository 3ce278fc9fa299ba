"""``assess``: every rule over one intake, sorted flags, exclusions and the decision."""

from __future__ import annotations

from datetime import date
from typing import Optional

from .errors import InvalidIntake, Problem
from .models import Assessment, Intake, date_problems
from .rules import NO_AGENT_LEFT, RULES, RULES_VERSION, SEVERITY_ORDER, Hit, Rule, no_agent_left

DECISION_BY_SEVERITY = {
    "absolute": "not_eligible",
    "relative": "clinician_review",
    "precaution": "eligible_with_precautions",
}


# Rules that fire on one answer are tested inline, from the sections' field dicts, in
# two comprehensions: a Python call, or a comprehension, per rule was most of assess's time.
_SECTIONS = tuple(Intake.model_fields)


def _answer_tests(includes: bool) -> list[tuple[int, str, object, Rule, Hit]]:
    tests = []
    for rule in RULES:
        if rule.answer and rule.answer.includes is includes:
            section, name = rule.answer.path.split(".")
            tests.append((_SECTIONS.index(section), name, rule.answer.value, rule, rule.answer.hit))
    return tests


_EQUALS = _answer_tests(includes=False)
_INCLUDES = _answer_tests(includes=True)
_COMPUTED = [(rule, rule.check) for rule in RULES if rule.answer is None]


def _flag(rule: Rule, hit: Hit) -> dict:
    return {
        "rule_id": rule.rule_id,
        "severity": rule.severity,
        "title": rule.title,
        "reason": hit.reason,
        "action": f"{rule.action} {hit.action_detail}" if hit.action_detail else rule.action,
        "source": rule.source,
        "evidence": hit.evidence,
    }


def _flag_order(pair: tuple[Rule, Hit]) -> tuple[int, str]:
    return SEVERITY_ORDER[pair[0].severity], pair[0].rule_id


def assess(intake: Intake, as_of: Optional[date] = None) -> Assessment:
    """The assessment of SCREENING.md section 3: pure, the same for the same intake and date.

    Raises :class:`InvalidIntake` when the intake's dates do not fit ``as_of`` (a birth or
    a last session after it), rather than guess an age or an interval.
    """
    as_of = as_of or date.today()
    problems = date_problems(intake, as_of)
    if problems:
        raise InvalidIntake([Problem(path, message) for path, message in problems])
    given = list(map(vars, map(intake.__dict__.__getitem__, _SECTIONS)))
    fired: list[tuple[Rule, Hit]] = [(rule, hit) for section, name, value, rule, hit in _EQUALS
                                     if given[section][name] == value]
    fired += [(rule, hit) for section, name, value, rule, hit in _INCLUDES if value in given[section][name]]
    for rule, check in _COMPUTED:
        hit = check(intake, as_of)
        if hit is not None:
            fired.append((rule, hit))
    fired.sort(key=_flag_order)
    excluding = [(agents, hit.evidence) for rule, hit in fired if (agents := rule.excluded_agents + hit.excluded_agents)]
    last_resort = no_agent_left(excluding) if excluding else None
    if last_resort is not None:
        fired.insert(0, (NO_AGENT_LEFT, last_resort))
        fired.sort(key=_flag_order)

    agents = sorted({agent for agents, _ in excluding for agent in agents})
    techniques = sorted({technique for rule, _ in fired for technique in rule.excluded_techniques})
    decision = DECISION_BY_SEVERITY[fired[0][0].severity] if fired else "eligible"
    return Assessment.model_validate(
        {
            "decision": decision,
            "rules_version": RULES_VERSION,
            "assessed_on": as_of,
            "flags": [_flag(rule, hit) for rule, hit in fired],
            "excluded_agents": agents,
            "excluded_techniques": techniques,
        }
    )
