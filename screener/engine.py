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


# Rules that fire on one answer are tested inline: a call per rule is most of assess's time.
def _answer_tests_by_section(includes: bool) -> list[tuple[str, list[tuple[str, object, Rule, Hit]]]]:
    by_section: dict[str, list] = {}
    for rule in RULES:
        if rule.answer and rule.answer.includes is includes:
            section, name = rule.answer.path.split(".")
            by_section.setdefault(section, []).append((name, rule.answer.value, rule, rule.answer.hit))
    return list(by_section.items())


_EQUALS = _answer_tests_by_section(includes=False)
_INCLUDES = _answer_tests_by_section(includes=True)
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
    answers = intake.__dict__
    fired: list[tuple[Rule, Hit]] = []
    for section, tests in _EQUALS:
        given = answers[section].__dict__
        fired += [(rule, hit) for name, value, rule, hit in tests if given[name] == value]
    for section, tests in _INCLUDES:
        given = answers[section].__dict__
        fired += [(rule, hit) for name, value, rule, hit in tests if value in given[name]]
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
