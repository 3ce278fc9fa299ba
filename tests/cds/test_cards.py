"""Cards from an assessment, without HTTP.

- The decision comes first, then one card per flag in the assessment's order; an urgent assessment
  puts a critical same-day card on top of them.
- A flag's card: the rule's title as summary, critical / warning / info for absolute / relative /
  precaution, the reason and the action in the detail, the rule's source as the source's label.
- Every summary is under 140 characters; no rule's title needs shortening.
- Text goes into Markdown literally: nothing in it becomes a link, an image or HTML.
- Answers that cannot be screened give one warning card naming each problem by its linkId.
- Every card fits the CDS Hooks 2.0 card shape.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from cds_client import SCHEMA
from factories import AS_OF, everything_answers, healthy_answers, intake_of, with_answer
from screener import Problem, assess
from screener.cds.cards import (
    INDICATORS, SUMMARY_LIMIT, URGENT_SUMMARY, assessed_on, cards, markdown_text, no_answers_card, problems_card,
    summary,
)
from screener.clinical.rules import ALL_RULES

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
VALID_EXAMPLES = sorted(path for path in EXAMPLES.glob("*.json")
                        if not path.name.endswith(".expected.json") and not path.name.startswith("invalid-"))
WORDS = assessed_on(AS_OF, "2026-11-21T09:30")
RESPONSE = Draft202012Validator({**SCHEMA, "$ref": "#/$defs/response"})


def unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown.replace("\\\n", "\n"))


def cards_of(answers: dict) -> tuple[list[dict], object]:
    assessment = assess(intake_of(answers), AS_OF)
    return cards(assessment, WORDS), assessment


@pytest.mark.parametrize("path", VALID_EXAMPLES, ids=lambda path: path.stem)
def test_each_example_gives_the_decision_then_a_card_per_flag_in_order(path):
    made, assessment = cards_of(json.loads(path.read_text(encoding="utf-8")))
    expected = json.loads(path.with_suffix("").with_suffix(".expected.json").read_text(encoding="utf-8"))
    RESPONSE.validate({"cards": made})
    decision, *flag_cards = made
    assert decision["source"]["topic"]["code"] == expected["decision"] == assessment.decision
    assert [card["source"]["topic"]["code"] for card in flag_cards] == [flag.rule_id for flag in assessment.flags]
    assert set(expected["flags_present"]) <= {card["source"]["topic"]["code"] for card in flag_cards}
    for card, flag in zip(flag_cards, assessment.flags):
        assert card["summary"] == flag.title
        assert card["indicator"] == INDICATORS[flag.severity]
        assert card["source"]["label"] == flag.source
        assert flag.reason in unescaped(card["detail"]) and flag.action in unescaped(card["detail"])


def test_an_urgent_assessment_puts_a_critical_same_day_card_on_top():
    made, assessment = cards_of(everything_answers())
    assert assessment.urgent
    assert made[0]["summary"] == URGENT_SUMMARY and made[0]["indicator"] == "critical"
    assert made[1]["source"]["topic"]["code"] == "not_eligible" and made[1]["indicator"] == "critical"
    for rule_id in ("ACUTE-VTE", "SUPERFICIAL-THROMBOPHLEBITIS", "VENOUS-ULCER", "BLEEDING-VEIN"):
        assert rule_id in unescaped(made[0]["detail"])
    assert len(made) == len(assessment.flags) + 2
    RESPONSE.validate({"cards": made})


def test_a_bleeding_vein_alone_is_urgent_though_the_decision_is_clinician_review():
    made, assessment = cards_of(with_answer(healthy_answers(), "symptoms.bleeding_vein", True))
    assert [card["indicator"] for card in made] == ["critical", "warning", "warning"]
    assert made[0]["summary"] == URGENT_SUMMARY and made[2]["source"]["topic"]["code"] == "BLEEDING-VEIN"


@pytest.mark.parametrize("decision, indicator", [
    ("eligible", "info"), ("eligible_with_precautions", "info"), ("clinician_review", "warning"),
    ("not_eligible", "critical")])
def test_the_decision_card_is_as_urgent_as_its_most_severe_flag(decision, indicator):
    answers = {"eligible": healthy_answers(),
               "eligible_with_precautions": with_answer(healthy_answers(), "lifestyle.smoker", True),
               "clinician_review": with_answer(healthy_answers(), "reproductive.breastfeeding", True),
               "not_eligible": with_answer(healthy_answers(), "clotting.immobile", True)}[decision]
    made, assessment = cards_of(answers)
    assert assessment.decision == decision and made[0]["indicator"] == indicator


def test_the_decision_card_names_the_exclusions_and_the_assessment_date():
    made, _ = cards_of(with_answer(healthy_answers(), "allergies.sclerosants", ["polidocanol"]))
    detail = unescaped(made[0]["detail"])
    assert "Excluded agents:** Polidocanol." in detail and "Excluded techniques:** none." in detail
    assert "Assessed on 2026-11-21, today at the clinic (not the appointment's date)" in detail


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.rule_id)
def test_every_rule_title_is_a_summary_as_it_stands(rule):
    assert len(rule.title) < SUMMARY_LIMIT and summary(rule.title) == rule.title


def test_a_summary_of_140_characters_or_more_is_shortened_to_139():
    assert summary("x" * 139) == "x" * 139
    assert summary("x" * 140) == "x" * 138 + "\u2026" and len(summary("y" * 500)) == 139


def test_text_enters_markdown_literally():
    hostile = "![tracker](https://evil.example/?q=1) <img src=x> [link](javascript:alert(1))\n# heading\n- item | a"
    escaped = markdown_text(hostile)
    assert not re.search(r"[!-/:-@\[-`{-~]", re.sub(r"\\[\s\S]", "", escaped)), "a mark left unescaped"
    assert unescaped(escaped) == hostile


def test_answers_that_cannot_be_screened_give_one_warning_card_by_link_id():
    problems = [Problem("veins.prior_sclerotherapy_reactions", "Must be empty unless prior treatments include "
                                                               "sclerotherapy."),
                Problem("skin.freckles", "Not a question of this questionnaire (unknown linkId).")]
    card = problems_card(problems)
    assert card["indicator"] == "warning" and card["summary"].startswith("Screening answers could not be read (2 problems)")
    lines = [line for line in unescaped(card["detail"]).splitlines() if line.startswith("- ")]
    assert lines == [f"- {problem}" for problem in problems]
    RESPONSE.validate({"cards": [card, no_answers_card()]})


def test_more_than_fifty_problems_are_counted_not_all_listed():
    card = problems_card([Problem(f"item.{number}", "Wrong.") for number in range(60)])
    lines = [line for line in unescaped(card["detail"]).splitlines() if line.startswith("- ")]
    assert len(lines) == 51 and lines[-1] == "- \u2026 and 10 more"


def test_the_assessment_date_words():
    assert assessed_on(date(2026, 12, 3), "2026-11-21T09:30") == (
        "Assessed on 2026-12-03, today at the clinic (not the appointment's date), from answers signed "
        "2026-11-21T09:30.")
