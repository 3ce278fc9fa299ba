"""Properties of ``assess`` over generated valid intakes (hypothesis)."""

from __future__ import annotations

import copy
import json
from typing import Any
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from factories import AS_OF, intake_of
from generated_intakes import histories, intakes, options
from screener import assess
from screener.clinical import engine
from screener.clinical.models import ADDED_IN_VERSION_2, SECTIONS
from screener.clinical.rules import ALL_AGENTS, RULES, SEVERITY_ORDER
from screener.clinical.stored import stored_intake

DECISION_RANK = {"eligible": 0, "eligible_with_precautions": 1, "clinician_review": 2, "not_eligible": 3}
BASELINE = {"none", "no", "not_applicable", "none_known", "under_1mm"}
# From "I am not sure", only the answer that is surely the risk is towards risk ("1 to 3 mm" is not).
SURELY_RISKY = {"yes", "over_3mm"}

def risk_switches(answers: dict) -> list[tuple[str, str, Any]]:
    """Every single answer that can be turned towards risk from where it stands."""
    switches = []
    for section, fields in answers.items():
        if section in ("patient", "consent"):
            continue
        for name, value in fields.items():
            if isinstance(value, bool):
                risky = name != "can_wear_compression"
                if value != risky:
                    switches.append((section, name, risky))
            elif isinstance(value, list):
                if name == "prior_sclerotherapy_reactions" and "sclerotherapy" not in fields["prior_treatments"]:
                    continue
                switches += [(section, name, [*value, option]) for option in options(section, name) if option not in value]
            elif isinstance(value, str) and value in BASELINE:
                switches += [(section, name, option) for option in options(section, name) if option not in BASELINE]
            elif value == "unsure":
                switches += [(section, name, option) for option in options(section, name) if option in SURELY_RISKY]
            elif name == "fitzpatrick_type":
                switches += [(section, name, higher) for higher in range(value + 1, 7)]
    return switches


@settings(max_examples=300, deadline=None)
@given(intakes())
def test_assess_never_raises_and_is_deterministic(answers):
    intake = intake_of(answers)
    first, second = assess(intake, AS_OF), assess(intake_of(answers), AS_OF)
    assert first == second
    assert first.model_dump_json() == second.model_dump_json()


@settings(max_examples=300, deadline=None)
@given(intakes())
def test_decision_matches_the_most_severe_flag(answers):
    assessment = assess(intake_of(answers), AS_OF)
    severities = [flag.severity for flag in assessment.flags]
    expected = ("not_eligible" if "absolute" in severities else "clinician_review" if "relative" in severities
                else "eligible_with_precautions" if severities else "eligible")
    assert assessment.decision == expected
    order = [(SEVERITY_ORDER[flag.severity], flag.rule_id) for flag in assessment.flags]
    assert order == sorted(order) and len({flag.rule_id for flag in assessment.flags}) == len(order)


@settings(max_examples=300, deadline=None)
@given(intakes())
def test_evidence_names_real_fields_and_exclusions_are_sorted_sets(answers):
    assessment = assess(intake_of(answers), AS_OF)
    for flag in assessment.flags:
        assert flag.evidence and len(set(flag.evidence)) == len(flag.evidence)
        for path in flag.evidence:
            section, name = path.split(".")
            assert name in SECTIONS[section].model_fields
    assert assessment.excluded_agents == sorted(set(assessment.excluded_agents))
    assert set(assessment.excluded_techniques) <= {"foam"}


@settings(max_examples=150, deadline=None)
@given(intakes(), st.data())
def test_turning_on_a_risk_answer_never_lowers_the_decision(answers, data):
    before = DECISION_RANK[assess(intake_of(answers), AS_OF).decision]
    switches = risk_switches(answers)
    section, name, value = data.draw(st.sampled_from(switches))
    answers[section][name] = value
    after = DECISION_RANK[assess(intake_of(answers), AS_OF).decision]
    assert after >= before, (section, name, value)


@settings(max_examples=100, deadline=None)
@given(intakes(), st.randoms())
def test_list_order_carries_no_meaning(answers, random):
    original = assess(intake_of(answers), AS_OF)
    for fields in answers.values():
        for value in fields.values():
            if isinstance(value, list):
                random.shuffle(value)
    assert assess(intake_of(answers), AS_OF) == original



@settings(max_examples=300, deadline=None)
@given(intakes(), histories())
def test_assess_gives_exactly_what_every_rule_check_gives(answers, history):
    """The flags are the rules' own hits, words and evidence unchanged, and NO-AGENT-LEFT
    exactly when the others exclude every agent, with or without recorded sessions."""
    intake = intake_of(answers)
    expected = {rule.rule_id: hit for rule in RULES if (hit := rule.check(intake, AS_OF, history)) is not None}
    flags = {flag.rule_id: flag for flag in assess(intake, AS_OF, history).flags}
    last_resort = flags.pop("NO-AGENT-LEFT", None)
    assert flags.keys() == expected.keys()
    for rule_id, hit in expected.items():
        assert (flags[rule_id].reason, tuple(flags[rule_id].evidence)) == (hit.reason, hit.evidence)
        assert flags[rule_id].action.endswith(hit.action_detail)
    excluded = {agent for rule in RULES if rule.rule_id in expected
                for agent in rule.excluded_agents + expected[rule.rule_id].excluded_agents}
    assert (last_resort is not None) == excluded.issuperset(ALL_AGENTS)


def asked_in_turn(intake, as_of, history=()):
    """The plain loop: every finding of every rule asked in turn, as ``Rule.check`` asks them."""
    found = {}
    for rule in RULES:
        holding = [(test, phrase, values) for test, phrase in rule.when_any
                   if (values := test.match(intake, as_of, history)) is not None]
        if holding:
            found[rule] = holding
    return found


@st.composite
def new_and_stored_intakes(draw):
    """Generated intakes, some signed before version 2 (its answers not asked: None)."""
    answers = draw(intakes())
    for path in ADDED_IN_VERSION_2:
        section, name = path.split(".")
        if draw(st.booleans()):
            del answers[section][name]
    return stored_intake(json.dumps(answers), AS_OF)


@settings(max_examples=300, deadline=None)
@given(new_and_stored_intakes())
def test_the_engines_value_index_finds_what_the_plain_loop_finds(intake):
    """The engine looks the answers that findings compare with one value up in an index
    (engine.py says why); it must find exactly what asking every finding in turn finds."""
    assert engine._holding(intake, AS_OF, ()) == asked_in_turn(intake, AS_OF)
    with patch.object(engine, "_holding", asked_in_turn):
        plain = assess(intake, AS_OF)
    assert assess(intake, AS_OF) == plain


def _with_answers_of(answers: dict, source: dict, paths: tuple[str, ...]) -> dict:
    changed = copy.deepcopy(answers)
    for path in paths:
        section, name = path.split(".")
        if section == "history":  # the clinic's record, not an answer: the same for both here
            continue
        if name in source[section]:
            changed[section][name] = copy.deepcopy(source[section][name])
        else:
            changed[section].pop(name, None)
    return changed


@settings(max_examples=200, deadline=None)
@given(answers=intakes(), other=intakes())
def test_a_rule_depends_only_on_the_answers_it_declares(answers, other):
    """What a rule reads is what the rule card names: give another patient this patient's
    answers to those questions only, and each rule says exactly the same of both."""
    intake = intake_of(answers)
    for rule in RULES:
        try:
            mixed = intake_of(_with_answers_of(other, answers, rule.reads))
        except ValidationError:
            continue  # e.g. a last session date without sclerotherapy among the other's treatments
        assert rule.check(mixed, AS_OF) == rule.check(intake, AS_OF), rule.rule_id


@settings(max_examples=200, deadline=None)
@given(answers=intakes(), history=histories())
def test_only_the_rules_that_declare_the_record_read_it(answers, history):
    """A rule the card does not mark as reading the clinic's record says the same with or without it."""
    intake = intake_of(answers)
    for rule in RULES:
        if not rule.reads_history:
            assert rule.check(intake, AS_OF, history) == rule.check(intake, AS_OF), rule.rule_id
