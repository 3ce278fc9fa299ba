"""The rule card a clinical reviewer signs (``python -m screener rules --format markdown|json``).

- Every rule appears once, with its id, severity, title, condition, exclusions, action,
  source, and the rules version.
- Its condition in words names every answer the rule reads: every answer a flag gives as
  evidence, over generated intakes.
- The tab-separated list stays the default.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

from factories import AS_OF, intake_of
from screener import RULES_VERSION, assess
from screener.clinical.rule_card import card_data, card_markdown, condition_words
from screener.clinical.rules import ALL_RULES, RULES
from generated_intakes import intakes

ROOT = Path(__file__).resolve().parents[2]
RULE_IDS = [rule.rule_id for rule in ALL_RULES]
CARD = {entry["rule_id"]: entry for entry in card_data()["rules"]}


def run_rules(*options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "screener", "rules", *options], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=60)


def test_every_rule_appears_once_in_the_markdown_card_with_the_rules_version():
    text = card_markdown()
    assert f"rules version {RULES_VERSION}" in text
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert sorted(row.split("`")[1] for row in rows) == sorted(RULE_IDS)


def test_each_row_shows_the_rules_words_under_its_severity():
    sections = card_markdown().split("\n## ")[1:]
    headings = {"absolute": "Absolute", "relative": "Relative", "precaution": "Precaution"}
    for rule in ALL_RULES:
        [(section, row)] = [(section, line) for section in sections for line in section.splitlines()
                            if line.startswith(f"| `{rule.rule_id}` |")]
        assert section.startswith(headings[rule.severity])
        for words in (rule.title, condition_words(rule), rule.action, rule.source):
            assert words.replace("|", "\\|") in row


def test_the_json_card_lists_every_rule_once_with_what_it_excludes():
    data = card_data()
    assert data["rules_version"] == RULES_VERSION
    assert sorted(entry["rule_id"] for entry in data["rules"]) == sorted(RULE_IDS)
    assert CARD["ASTHMA"]["excludes"]["agents"] == ["sodium_tetradecyl_sulfate"]
    assert CARD["STROKE-TIA"]["excludes"]["techniques"] == ["foam"]
    assert CARD["SCLEROSANT-ALLERGY"]["excludes"]["agents_the_answer_names"] is True
    assert CARD["SMOKER"]["excludes"] == {"agents": [], "techniques": [], "agents_the_answer_names": False}
    assert CARD["ASYMPTOMATIC-SHUNT"]["excludes"]["techniques"] == ["foam"]


def test_the_card_says_which_rules_read_the_clinics_record():
    assert {rule_id for rule_id, entry in CARD.items() if entry["reads_history"]} == {
        "PRIOR-SEVERE-REACTION", "PRIOR-NEURO-REACTION", "SCLEROSANT-ALLERGY", "HYPERPIGMENTATION-RISK",
        "PRIOR-NECROSIS", "SESSION-INTERVAL", "SESSION-DATE-UNKNOWN"}
    row = next(line for line in card_markdown().splitlines() if line.startswith("| `SESSION-INTERVAL` |"))
    assert row.endswith("| yes |")


def test_the_card_marks_the_same_day_rules():
    assert {rule_id for rule_id, entry in CARD.items() if entry["same_day"]} == {
        "ACUTE-VTE", "SUPERFICIAL-THROMBOPHLEBITIS", "VENOUS-ULCER", "BLEEDING-VEIN"}
    row = next(line for line in card_markdown().splitlines() if line.startswith("| `BLEEDING-VEIN` |"))
    assert "| same day |" in row
    assert "makes the assessment urgent" in card_markdown()


@pytest.mark.parametrize("rule", RULES, ids=[rule.rule_id for rule in RULES])
def test_the_condition_in_words_names_every_answer_the_rule_reads(rule):
    assert rule.reads
    for path in rule.reads:
        assert f"`{path}`" in CARD[rule.rule_id]["when"]
    assert CARD[rule.rule_id]["reads"] == list(rule.reads)


@settings(max_examples=150, deadline=None)
@given(intakes())
def test_every_answer_a_flag_gives_as_evidence_is_named_in_its_rules_condition(answers):
    flags = assess(intake_of(answers), AS_OF).flags
    for flag in flags:
        if flag.rule_id == "NO-AGENT-LEFT":  # its evidence is that of the flags excluding agents
            named = " ".join(CARD[other.rule_id]["when"] for other in flags if other.rule_id != flag.rule_id)
        else:
            named = CARD[flag.rule_id]["when"]
        for path in flag.evidence:
            assert f"`{path}`" in named, (flag.rule_id, path)


def test_the_conditions_read_like_the_specification():
    assert CARD["DUPLEX-NEEDED"]["when"] == (
        "any of: `symptoms.leg_symptoms` is not empty; `symptoms.skin_changes` has at least one value other than "
        "`open_ulcer`; `veins.largest_vein` is `over_3mm`; `veins.bulging` is `yes`; "
        "`clotting.superficial_thrombophlebitis` is `past`; `veins.prior_treatments` has `surgery_or_ablation`")
    assert CARD["VTE-RISK-COMBINED"]["when"] == (
        "at least 2 of: `reproductive.hormonal_medication` is `true`; `clotting.family_vte` is `true`; "
        "`patient.height_cm` and `patient.weight_kg` are given and the body mass index, "
        "`weight_kg / (height_cm / 100)²` rounded half up to one decimal, is at least 30.0; "
        "`lifestyle.long_travel_planned` is `true`; `clotting.reduced_mobility` is `true`")
    assert CARD["SESSION-DATE-UNKNOWN"]["when"] == (
        "`veins.prior_treatments` has `sclerotherapy` and `veins.last_sclerotherapy_date` is not given and no "
        "session is recorded (`history.session_date`)")
    assert CARD["NON-LEG-VEINS"]["when"] == "`veins.areas` has `face` or `other`"
    assert CARD["NO-COMPRESSION"]["when"] == "`lifestyle.can_wear_compression` is `false`"
    assert CARD["MINOR"]["when"] == (
        "the age in completed years on the assessment date (from `patient.date_of_birth`) is under 18")
    assert CARD["SESSION-INTERVAL"]["action"] == (
        "Earliest next session: 6 weeks after the last one. Then, for the patient: "
        "Earliest next session: the date 42 days after the last session.")


def test_the_cli_prints_the_markdown_card():
    run = run_rules("--format", "markdown")
    assert run.returncode == 0 and run.stderr == ""
    assert run.stdout == card_markdown()


def test_the_cli_prints_the_json_card():
    run = run_rules("--format", "json")
    assert run.returncode == 0
    assert json.loads(run.stdout) == card_data()


def test_the_tab_separated_list_stays_the_default():
    run = run_rules()
    lines = run.stdout.splitlines()
    assert run.returncode == 0 and lines[0] == "rule_id\tseverity\ttitle\tsource"
    assert [line.split("\t")[0] for line in lines[1:]] == RULE_IDS


def test_an_unknown_format_is_bad_input_without_a_traceback():
    run = run_rules("--format", "pdf")
    assert run.returncode == 2 and "--format" in run.stderr and "Traceback" not in run.stderr
