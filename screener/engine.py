"""``assess``: every rule of screener/rules.py over one intake, the flags sorted, the
exclusions united and the decision taken.

A plain loop over the registry: each rule's condition is stated once, in its declaration,
as findings any of which fires it; here every finding of every rule is judged on the
intake, and each rule with findings that hold gives its flag. NO-AGENT-LEFT is judged
last, from the other flags.
"""

from __future__ import annotations

from datetime import date
from typing import Optional

from .errors import InvalidIntake, Problem
from .models import Assessment, Flag, Intake, date_problems
from .rules import FINDINGS, NO_AGENT_LEFT, RULES_VERSION, SEVERITY_ORDER, Hit, Rule, no_agent_left

DECISION_BY_SEVERITY = {
    "absolute": "not_eligible",
    "relative": "clinician_review",
    "precaution": "eligible_with_precautions",
}


def _flag_order(fired: tuple[Rule, Hit]) -> tuple[int, str]:
    rule, _ = fired
    return SEVERITY_ORDER[rule.severity], rule.rule_id


def _agents(rule: Rule, hit: Hit) -> tuple[str, ...]:
    """The agents a flag excludes: its rule's, and those its answers name."""
    return rule.excluded_agents + hit.excluded_agents


def _flag(rule: Rule, hit: Hit) -> Flag:
    return Flag(
        rule_id=rule.rule_id,
        severity=rule.severity,
        title=rule.title,
        reason=hit.reason,
        action=f"{rule.action} {hit.action_detail}" if hit.action_detail else rule.action,
        source=rule.source,
        evidence=hit.evidence,
    )


def assess(intake: Intake, as_of: Optional[date] = None) -> Assessment:
    """The assessment of SCREENING.md section 3: pure, the same for the same intake and date.

    Raises :class:`InvalidIntake` when the intake's dates do not fit ``as_of`` (a birth or
    a last session after it), rather than guess an age or an interval.
    """
    as_of = as_of or date.today()
    problems = date_problems(intake.patient.date_of_birth, intake.veins.last_sclerotherapy_date, as_of)
    if problems:
        raise InvalidIntake([Problem(path, message) for path, message in problems])

    found: dict[Rule, list] = {}  # each rule's findings that hold on this intake
    for rule, test, words in FINDINGS:
        values = test.match(intake, as_of)
        if values is not None:
            found.setdefault(rule, []).append((test, words, values))
    fired = sorted(((rule, rule.hit(findings)) for rule, findings in found.items()), key=_flag_order)
    last_resort = no_agent_left([(_agents(rule, hit), hit.evidence) for rule, hit in fired])
    if last_resort is not None:
        fired = sorted([*fired, (NO_AGENT_LEFT, last_resort)], key=_flag_order)

    flags = [_flag(rule, hit) for rule, hit in fired]
    return Assessment(
        decision=DECISION_BY_SEVERITY[flags[0].severity] if flags else "eligible",
        rules_version=RULES_VERSION,
        assessed_on=as_of,
        flags=flags,
        excluded_agents=sorted({agent for rule, hit in fired for agent in _agents(rule, hit)}),
        excluded_techniques=sorted({technique for rule, _ in fired for technique in rule.excluded_techniques}),
    )
