"""The rule card: every rule as a clinical reviewer reads it beside SCREENING.md section 4.

Written from the rule declarations themselves (screener/clinical/rules.py), never from a second
description: the condition is the descriptions of the rule's tests, the answers it reads are the
tests' own, and the version is the one every assessment carries.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .rules import ALL_RULES, RULES_VERSION, SEVERITY_ORDER, Rule

SEVERITY_HEADINGS = {
    "absolute": "Absolute: not eligible",
    "relative": "Relative: clinician review",
    "precaution": "Precaution: eligible with precautions",
}
COLUMNS = ("rule_id", "title", "when", "excludes", "action", "source", "triage", "reads the record")


def condition_words(rule: Rule) -> str:
    """The rule's condition in words: its one test, or "any of: ..." its findings."""
    descriptions = [test.description for test in rule.tests]
    return descriptions[0] if len(descriptions) == 1 else f"any of: {'; '.join(descriptions)}"


def excludes_words(rule: Rule) -> str:
    excluded = [f"`{value}`" for value in (*rule.excluded_agents, *rule.excluded_techniques)]
    if rule.excludes_named_agents:
        excluded.append("each agent the answer names")
    return ", ".join(excluded)


def action_words(rule: Rule) -> str:
    """The action, and what the flag adds to it for the patient (SESSION-INTERVAL's date)."""
    if not rule.action_detail:
        return rule.action
    described = {name: meaning for test in rule.tests for name, meaning in test.described.items()}
    return f"{rule.action} Then, for the patient: {rule.action_detail.format_map(described)}"


def card_rules() -> list[Rule]:
    """Every rule once, grouped by severity in the order of SCREENING.md section 4."""
    return sorted(ALL_RULES, key=lambda rule: SEVERITY_ORDER[rule.severity])


def card_data() -> dict[str, Any]:
    """The card as JSON-ready data."""
    return {
        "rules_version": RULES_VERSION,
        "rules": [
            {"rule_id": rule.rule_id, "severity": rule.severity, "title": rule.title, "when": condition_words(rule),
             "reads": list(rule.reads), "excludes": {"agents": list(rule.excluded_agents),
                                                    "techniques": list(rule.excluded_techniques),
                                                    "agents_the_answer_names": rule.excludes_named_agents},
             "action": action_words(rule), "source": rule.source, "same_day": rule.urgent,
             "reads_history": rule.reads_history}
            for rule in card_rules()
        ],
    }


def card_fingerprint() -> str:
    """A digest of everything a clinician reads of the rules: the card (conditions, severities,
    exclusions, actions, sources) and the words of each flag's reason. Reworded comments or a
    faster engine leave it alone; a changed condition, threshold or sentence moves it."""
    rules = card_data()["rules"]
    for entry, rule in zip(rules, card_rules()):
        entry["reason"] = rule.reason
        entry["findings"] = [phrase for _, phrase in rule.when_any]
        entry["joined"] = rule.joined
    return hashlib.sha256(json.dumps(rules, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def card_markdown() -> str:
    """The card as a Markdown document: one table per severity, like SCREENING.md section 4."""
    lines = [
        f"# Rule card, rules version {RULES_VERSION}",
        "",
        "Every rule of the screener as it runs, written from its declaration in `screener/clinical/rules.py`",
        "(`python -m screener rules --format markdown`). Read it beside SCREENING.md section 4.",
        "Each rule gives at most one flag; the decision follows the most severe flag. A flag of a rule marked",
        "\"same day\" in the triage column makes the assessment urgent, whatever the decision. A rule that",
        "reads the record also reads the clinic's own record of earlier sessions (`history.*`: treatment",
        "records), which the caller passes to the engine.",
    ]
    for severity, heading in SEVERITY_HEADINGS.items():
        lines += ["", f"## {heading}", "", f"| {' | '.join(COLUMNS)} |", f"|{'---|' * len(COLUMNS)}"]
        for rule in card_rules():
            if rule.severity == severity:
                cells = (f"`{rule.rule_id}`", rule.title, condition_words(rule), excludes_words(rule),
                         action_words(rule), rule.source, "same day" if rule.urgent else "",
                         "yes" if rule.reads_history else "")
                lines.append(f"| {' | '.join(map(_cell, cells))} |")
    lines += ["", "Reviewed against SCREENING.md section 4 by: ____________________  Date: ____________", ""]
    return "\n".join(lines)
