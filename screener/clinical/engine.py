"""``assess``: every rule of screener/clinical/rules.py over one intake, the flags sorted, the
exclusions united and the decision taken.

Each rule's condition is stated once, in its declaration, as findings any of which fires
it. Here every finding of every rule is judged on the intake (those that ask whether an
answer is a value by looking the answer up, the others by asking them in turn), and each
rule with findings that hold gives its flag. NO-AGENT-LEFT is judged last, from the other
flags. No source is generated and nothing of pydantic's internals is read.
"""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import Any, Callable, Mapping, Optional, Sequence

from .conditions import History, Is, Test
from .errors import InvalidIntake, Problem
from .models import Assessment, Intake, PriorSession, date_problems
from .rules import ALL_RULES, FINDINGS, NO_AGENT_LEFT, RULES_VERSION, SEVERITY_ORDER, Hit, Rule, no_agent_left

DECISION_BY_SEVERITY = {
    "absolute": "not_eligible",
    "relative": "clinician_review",
    "precaution": "eligible_with_precautions",
}


# How the engine judges the findings (the conditions themselves are only in rules.py).
# Most findings ask whether one answer is one value (conditions.Is: 44 of 70). Rather than
# ask each in turn, the engine reads those answers at once and takes the findings waiting
# for each value given: a dictionary finds the key equal to the answer, which is Is's own
# question, in a fraction of the time. Every other finding is asked in turn. Each finding
# keeps its place among the declarations, so a rule's reason joins its findings in the
# order declared. Asking every finding of every rule in turn (``Rule.check``) gives about
# 4,000 assessments a second end to end on the project's VM against 5,000 with the index
# (benchmarks/bench_engine.py); tests/clinical/test_properties.py holds the index to that
# plain loop over generated intakes, new and stored.
Holding = tuple[int, Rule, Test, str, Mapping[str, Any]]  # place, rule, test, phrase, values


def _reader(paths: tuple[str, ...]) -> Callable[[Intake], tuple[Any, ...]]:
    """Read the answers at ``paths`` at once (operator.attrgetter gives a bare value for one path)."""
    read = attrgetter(*paths)
    return read if len(paths) > 1 else lambda intake: (read(intake),)


def _findings_as_judged() -> tuple[Callable[[Intake], tuple[Any, ...]], list[dict[Any, list[Holding]]],
                                   list[tuple[int, Rule, Test, str]]]:
    waiting: dict[str, dict[Any, list[Holding]]] = {}
    asked = []
    for place, (rule, test, phrase) in enumerate(FINDINGS):
        if type(test) is Is:
            waiting.setdefault(test.path, {}).setdefault(test.value, []).append((place, rule, test, phrase, test.named))
        else:
            asked.append((place, rule, test, phrase))
    return _reader(tuple(waiting)), list(waiting.values()), asked


# The answers Is findings wait on, and for each answer the findings waiting for each value.
READ_WAITED_ANSWERS, WAITING, ASKED_IN_TURN = _findings_as_judged()
# Flags are listed by severity, then rule id.
FLAG_ORDER: dict[Rule, tuple[int, str]] = {rule: (SEVERITY_ORDER[rule.severity], rule.rule_id) for rule in ALL_RULES}


def _holding(intake: Intake, as_of: date, history: History) -> dict[Rule, list[tuple[Test, str, Mapping[str, Any]]]]:
    """Each rule with findings that hold on the intake: its findings (test, phrase, values), in the order declared."""
    holding: list[Holding] = [
        finding for found in map(dict.get, WAITING, READ_WAITED_ANSWERS(intake)) if found for finding in found]
    for place, rule, test, phrase in ASKED_IN_TURN:
        values = test.match(intake, as_of, history)
        if values is not None:
            holding.append((place, rule, test, phrase, values))
    holding.sort()  # by place: no two findings share one
    found: dict[Rule, list] = {}
    for _, rule, test, phrase, values in holding:
        found.setdefault(rule, []).append((test, phrase, values))
    return found


def _flag(rule: Rule, hit: Hit) -> dict[str, Any]:
    return {
        "rule_id": rule.rule_id,
        "severity": rule.severity,
        "title": rule.title,
        "reason": hit.reason,
        "action": f"{rule.action} {hit.action_detail}" if hit.action_detail else rule.action,
        "source": rule.source,
        "evidence": hit.evidence,
    }


def assess(intake: Intake, as_of: Optional[date] = None, history: Sequence[PriorSession] = ()) -> Assessment:
    """The assessment of SCREENING.md section 3: pure, the same for the same intake, date and history.

    ``history`` is the clinic's own record of the patient's earlier sessions (treatment records), passed
    in by the caller: the rules that read it (the rule card says which) use the latest recorded session
    date for the interval and a recorded reaction as that agent's reaction history. Sessions after
    ``as_of`` had not happened then and are not read.

    Raises :class:`InvalidIntake` when the intake's dates do not fit ``as_of`` (a birth or
    a last session after it), rather than guess an age or an interval.
    """
    as_of = as_of or date.today()
    problems = date_problems(intake.patient.date_of_birth, intake.veins.last_sclerotherapy_date, as_of)
    if problems:
        raise InvalidIntake([Problem(path, message) for path, message in problems])

    history = tuple(history)
    if not all(isinstance(session, PriorSession) for session in history):
        raise TypeError("history must be PriorSession records")
    fired = {rule: rule.hit(findings) for rule, findings in _holding(intake, as_of, history).items()}
    # The agents each flag excludes: its rule's, and those its answers name.
    agents = {rule: rule.excluded_agents + hit.excluded_agents for rule, hit in fired.items()}
    last_resort = no_agent_left([(agents[rule], hit.evidence) for rule, hit in fired.items()])
    if last_resort is not None:
        fired[NO_AGENT_LEFT] = last_resort
    order = sorted(fired, key=FLAG_ORDER.__getitem__)
    return Assessment.model_validate({
        "decision": DECISION_BY_SEVERITY[order[0].severity] if order else "eligible",
        "rules_version": RULES_VERSION,
        "assessed_on": as_of,
        "flags": [_flag(rule, fired[rule]) for rule in order],
        "excluded_agents": sorted({agent for excluded in agents.values() for agent in excluded}),
        "excluded_techniques": sorted({technique for rule in fired for technique in rule.excluded_techniques}),
        "urgent": any(rule.urgent for rule in fired),
    })
