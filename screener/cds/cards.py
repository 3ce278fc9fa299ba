"""CDS Hooks cards from an assessment: what a booking system shows its clinician.

In order: the same-day triage card when the assessment is urgent, then the decision, then one
card per flag as the assessment orders them (most severe first), each with the rule's title as
its summary, its reason and action as the detail, and its source as the source's label: the
flags, reasons and sources the clinician summary PDF shows. Pure functions of their arguments.

Every text from the engine or the request goes into Markdown escaped, so a character in it can
never become a link, an image, HTML or a heading in the caller's display.
"""

from __future__ import annotations

import string
from datetime import date
from typing import Optional

from ..clinical.errors import Problem
from ..clinical.models import Assessment, Flag
from ..clinical.questionnaire import AGENT_LABELS, DECISION_LABELS, SEVERITY_LABELS, TECHNIQUE_LABELS
from ..clinical.rules import URGENT_RULE_IDS
from ..fhir.resources import DECISION_SYSTEM, RULES_SYSTEM

SUMMARY_LIMIT = 140  # CDS Hooks 2.0: "One-sentence, <140-character summary"
MAX_PROBLEMS_LISTED = 50
INDICATORS = {"absolute": "critical", "relative": "warning", "precaution": "info"}
DECISION_INDICATORS = {"not_eligible": "critical", "clinician_review": "warning",
                       "eligible_with_precautions": "info", "eligible": "info"}
SCREENER = "Microsclerotherapy screener"
URGENT_SUMMARY = "Same-day triage: the patient needs a clinician today"
# Every ASCII punctuation mark (string.punctuation: GFM lets \ escape each of them), before a backslash.
_MARKDOWN_ESCAPES = str.maketrans({mark: "\\" + mark for mark in string.punctuation})


def markdown_text(text: str) -> str:
    """``text`` as literal GitHub Flavored Markdown: each punctuation mark escaped, each line break kept."""
    escaped = text.translate(_MARKDOWN_ESCAPES)
    return "\\\n".join(escaped.splitlines())


def summary(text: str) -> str:
    """``text`` as a card's summary: fewer than 140 characters, shortened with an ellipsis if need be."""
    return text if len(text) < SUMMARY_LIMIT else text[:SUMMARY_LIMIT - 2] + "\u2026"


def cards(assessment: Assessment, assessed_on_words: str) -> list[dict]:
    """Every card of ``assessment``; ``assessed_on_words`` says which day it was assessed on and why."""
    found = [_decision_card(assessment, assessed_on_words)] + [_flag_card(flag) for flag in assessment.flags]
    if assessment.urgent:
        found.insert(0, _urgent_card(assessment))
    return found


def problems_card(problems: list[Problem]) -> dict:
    """One warning card for answers that cannot be screened, naming each problem by its linkId."""
    lines = [f"- {markdown_text(str(problem))}" for problem in problems[:MAX_PROBLEMS_LISTED]]
    if len(problems) > MAX_PROBLEMS_LISTED:
        lines.append(f"- \u2026 and {len(problems) - MAX_PROBLEMS_LISTED} more")
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    detail = ("**Not screened.** The answers sent do not fit the screener's questionnaire "
              f"({count}, by linkId):\n\n" + "\n".join(lines) +
              "\n\nCorrect the answers, or ask the patient to fill the intake again, then ask again.")
    return _card(f"Screening answers could not be read ({count}); not screened", "warning", detail,
                 _screener_source())


def no_answers_card() -> dict:
    """The card for a call whose prefetched intake is null: the record system has none for this patient."""
    detail = ("**Not screened.** The record system has no completed intake for this patient. Ask the patient to "
              "fill it before the appointment; the screening follows from their answers.")
    return _card("No screening answers on record for this patient; not screened", "warning", detail,
                 _screener_source())


def assessed_on(day: date, signed: str) -> str:
    """How the decision card names the assessment date: the clinic's today, and when the answers were signed."""
    return (f"Assessed on {day.isoformat()}, today at the clinic (not the appointment's date), from answers "
            f"signed {signed}.")


def _card(text: str, indicator: str, detail: str, source: dict) -> dict:
    return {"summary": summary(text), "indicator": indicator, "detail": detail, "source": source}


def _screener_source(version: str = "", topic: Optional[dict] = None) -> dict:
    """The screener itself as a card's source: the decision, the triage and unreadable answers are its own."""
    source = {"label": f"{SCREENER}, rules version {version}" if version else SCREENER}
    if topic is not None:
        source["topic"] = topic
    return source


def _urgent_card(assessment: Assessment) -> dict:
    urgent = [flag for flag in assessment.flags if flag.rule_id in URGENT_RULE_IDS]
    named = "; ".join(f"{flag.title} ({flag.rule_id})" for flag in urgent)
    detail = (f"**Urgent, whatever the decision:** {markdown_text(named)}\\. See the patient today, or send them "
              "where they can be seen today; do not wait for the booked appointment.")
    return _card(URGENT_SUMMARY, "critical", detail, _screener_source(assessment.rules_version))


def _decision_card(assessment: Assessment, assessed_on_words: str) -> dict:
    label = DECISION_LABELS[assessment.decision]
    agents = ", ".join(AGENT_LABELS[agent] for agent in assessment.excluded_agents) or "none"
    techniques = ", ".join(TECHNIQUE_LABELS[technique] for technique in assessment.excluded_techniques) or "none"
    flags = {0: "no rule fired on these answers", 1: "its one flag follows in the next card"}.get(
        len(assessment.flags), f"each of its {len(assessment.flags)} flags follows in its own card, most severe first")
    detail = (f"**Decision:** {markdown_text(label)} \u2014 {markdown_text(flags)}\\.\n\n"
              f"**Excluded agents:** {markdown_text(agents)}\\. **Excluded techniques:** {markdown_text(techniques)}\\.\n\n"
              f"{markdown_text(assessed_on_words)}")
    topic = {"system": DECISION_SYSTEM, "code": assessment.decision, "display": label}
    return _card(f"Microsclerotherapy screening: {label}{_counts(assessment.flags)}",
                 DECISION_INDICATORS[assessment.decision], detail,
                 _screener_source(assessment.rules_version, topic))


def _counts(flags: list[Flag]) -> str:
    counts = [(sum(flag.severity == severity for flag in flags), label.lower()) for severity, label in
              SEVERITY_LABELS.items()]
    listed = ", ".join(f"{count} {label}" for count, label in counts if count)
    return f" ({listed})" if listed else ""


def _flag_card(flag: Flag) -> dict:
    answers = ", ".join(flag.evidence)
    detail = (f"**Why:** {markdown_text(flag.reason)}\n\n"
              f"**Action:** {markdown_text(flag.action)}\n\n"
              f"{markdown_text(SEVERITY_LABELS[flag.severity])} \u00b7 rule {markdown_text(flag.rule_id)}"
              + (f" \u00b7 answers: {markdown_text(answers)}" if answers else ""))
    topic = {"system": RULES_SYSTEM, "code": flag.rule_id, "display": flag.title}
    return _card(flag.title, INDICATORS[flag.severity], detail, {"label": flag.source, "topic": topic})
