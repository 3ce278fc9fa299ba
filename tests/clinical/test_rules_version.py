"""``rules_version`` must change whenever what clinicians read of the rules changes.

The fingerprint is the rule card's (screener.clinical.rule_card.card_fingerprint): every rule's
condition in words, severity, exclusions, action, source and reason. After changing any of them,
bump ``RULES_VERSION`` in screener/clinical/rules.py and record the new fingerprint printed by the
failing test in rules_fingerprints.json beside this file. That the engine gives exactly what each
rule's own check gives is tests/clinical/test_properties.py's to hold.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from fingerprints import assert_fingerprints_distinct, assert_version_recorded
from screener import RULES_VERSION
from screener.clinical import rule_card
from screener.clinical.conditions import AtLeast
from screener.clinical.rule_card import card_fingerprint

RECORDED = Path(__file__).parent / "rules_fingerprints.json"


def test_rules_version_matches_the_rule_card():
    assert_version_recorded("RULES_VERSION", RULES_VERSION, card_fingerprint(), RECORDED,
                            "screener/clinical/rules.py")


def test_each_recorded_version_has_its_own_fingerprint():
    assert_fingerprints_distinct(RECORDED)


@pytest.mark.parametrize("change", [{"reason": "The patient smokes a lot."}, {"action": "Advise."},
                                    {"source": "Seed; EGS 2014"}, {"severity": "relative"}])
def test_a_changed_sentence_or_severity_moves_the_fingerprint(monkeypatch, change):
    before = card_fingerprint()
    changed = tuple(replace(rule, **change) if rule.rule_id == "SMOKER" else rule for rule in rule_card.ALL_RULES)
    monkeypatch.setattr(rule_card, "ALL_RULES", changed)
    assert card_fingerprint() != before


def test_a_changed_threshold_moves_the_fingerprint(monkeypatch):
    before = card_fingerprint()
    changed = tuple(replace(rule, when_any=((AtLeast("skin.fitzpatrick_type", 5), rule.when_any[0][1]),
                                            *rule.when_any[1:]))
                    if rule.rule_id == "HYPERPIGMENTATION-RISK" else rule for rule in rule_card.ALL_RULES)
    monkeypatch.setattr(rule_card, "ALL_RULES", changed)
    assert card_fingerprint() != before
