"""Every rule of SCREENING.md section 4: the registry, and one intake that fires each rule
beside a close one that does not."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

import pytest
from pydantic import BaseModel

from factories import AS_OF, everything_answers, healthy_answers, intake_of, with_answer
from screener import InvalidIntake, assess
from screener.clinical.conditions import AnswerTest, Has, Is
from screener.clinical.models import Intake, PriorSession
from screener.clinical.rules import ALL_RULES, RULES, SEVERITY_ORDER, URGENT_RULE_IDS


def answers_with(changes: dict) -> dict:
    answers = healthy_answers()
    for path, value in changes.items():
        answers = with_answer(answers, path, value)
    return answers


# Earlier sclerotherapy with its date, well over 6 weeks before AS_OF (a missing date is a flag of its own).
SCLEROTHERAPY = {"veins.prior_treatments": ["sclerotherapy"], "veins.last_sclerotherapy_date": "2026-09-01"}
CLOT_RISK_FACTORS = {
    "reproductive.hormonal_medication": {"reproductive.hormonal_medication": True},
    "clotting.family_vte": {"clotting.family_vte": True},
    "body mass index 30": {"patient.height_cm": 170, "patient.weight_kg": 86.7},
    "lifestyle.long_travel_planned": {"lifestyle.long_travel_planned": True},
    "clotting.reduced_mobility": {"clotting.reduced_mobility": True},
}

# rule id -> (answers that fire it, close answers that do not)
CASES: dict[str, tuple[dict, dict]] = {
    "ACUTE-VTE": ({"clotting.vte_history": "current"}, {"clotting.vte_history": "past"}),
    "IMMOBILITY": ({"clotting.immobile": True}, {"clotting.immobile": False}),
    "ACUTE-ILLNESS": ({"health.acute_illness_or_fever": True}, {"health.other_uncontrolled_illness": True}),
    "SITE-INFECTION": ({"health.infection_at_treatment_site": True}, {"health.acute_illness_or_fever": True}),
    "CRITICAL-LIMB-ISCHEMIA": ({"health.arterial_disease": "severe"}, {"health.arterial_disease": "mild"}),
    "PRIOR-SEVERE-REACTION": (
        {**SCLEROTHERAPY, "veins.prior_sclerotherapy_reactions": ["stroke_or_heart_event"]},
        {**SCLEROTHERAPY, "veins.prior_sclerotherapy_reactions": ["visual_or_neurological"]},
    ),
    "PREGNANCY": ({"reproductive.pregnancy": "yes"}, {"reproductive.pregnancy": "unsure"}),
    "NO-AGENT-LEFT": (
        {"allergies.sclerosants": ["polidocanol", "hypertonic_saline"], "allergies.asthma": True},
        {"allergies.sclerosants": ["polidocanol", "hypertonic_saline", "unknown_agent"]},
    ),
    "PREGNANCY-POSSIBLE": ({"reproductive.pregnancy": "unsure"}, {"reproductive.pregnancy": "not_applicable"}),
    "BREASTFEEDING": ({"reproductive.breastfeeding": True}, {"reproductive.gave_birth_last_3_months": True}),
    "POSTPARTUM": ({"reproductive.gave_birth_last_3_months": True}, {"reproductive.breastfeeding": True}),
    "VTE-HISTORY": ({"clotting.vte_history": "past"}, {"clotting.vte_history": "current"}),
    "CLOTTING-DISORDER": ({"clotting.clotting_disorder": True}, {"clotting.family_vte": True}),
    "ACTIVE-CANCER": ({"clotting.active_cancer": True}, {"clotting.active_cancer": False}),
    "RECENT-SURGERY": ({"clotting.recent_surgery_or_hospital_stay": True}, {"clotting.immobile": True}),
    "SUPERFICIAL-THROMBOPHLEBITIS": (
        {"clotting.superficial_thrombophlebitis": "current"},
        {"clotting.superficial_thrombophlebitis": "past"},
    ),
    "DUPLEX-NEEDED": ({"symptoms.leg_symptoms": ["night_cramps"]}, {"symptoms.skin_changes": ["open_ulcer"]}),
    "VTE-RISK-COMBINED": (
        {"reproductive.hormonal_medication": True, "clotting.reduced_mobility": True},
        {"reproductive.hormonal_medication": True, "clotting.clotting_disorder": True},
    ),
    "VENOUS-ULCER": ({"symptoms.skin_changes": ["open_ulcer"]}, {"symptoms.skin_changes": ["healed_ulcer"]}),
    "BLEEDING-VEIN": ({"symptoms.bleeding_vein": True}, {"symptoms.bleeding_vein": False}),
    "ARTERIAL-DISEASE": ({"health.arterial_disease": "mild"}, {"health.arterial_disease": "severe"}),
    "UNCONTROLLED-ILLNESS": ({"health.diabetes": "uncontrolled"}, {"health.diabetes": "controlled"}),
    "HEART-DISEASE": ({"health.heart_disease": True}, {"health.heart_disease": False}),
    "STROKE-TIA": ({"neurology.stroke_or_tia": True}, {"neurology.migraine": "with_aura"}),
    "SYMPTOMATIC-SHUNT": (
        {"neurology.right_to_left_shunt": "symptomatic"},
        {"neurology.right_to_left_shunt": "asymptomatic"},
    ),
    "PRIOR-NEURO-REACTION": (
        {**SCLEROTHERAPY, "veins.prior_sclerotherapy_reactions": ["visual_or_neurological"]},
        {**SCLEROTHERAPY, "veins.prior_sclerotherapy_reactions": ["allergic"]},
    ),
    "SCLEROSANT-ALLERGY": ({"allergies.sclerosants": ["hypertonic_saline"]}, {"allergies.sclerosants": ["unknown_agent"]}),
    "UNKNOWN-SCLEROSANT-REACTION": (
        {"allergies.sclerosants": ["unknown_agent"]},
        {"allergies.sclerosants": ["polidocanol"]},
    ),
    "ANAPHYLAXIS-HISTORY": ({"allergies.anaphylaxis_history": True}, {"allergies.asthma": True}),
    "ANTICOAGULANT": ({"medications.anticoagulant": True}, {"medications.antiplatelet": True}),
    "MINOR": ({"patient.date_of_birth": "2008-11-22"}, {"patient.date_of_birth": "2008-11-21"}),
    "NON-LEG-VEINS": ({"veins.areas": ["legs", "other"]}, {"veins.areas": ["legs"]}),
    "MIGRAINE": ({"neurology.migraine": "without_aura"}, {"neurology.migraine": "none"}),
    "ASYMPTOMATIC-SHUNT": (
        {"neurology.right_to_left_shunt": "asymptomatic"},
        {"neurology.right_to_left_shunt": "none_known"},
    ),
    "HORMONAL-THERAPY": ({"reproductive.hormonal_medication": True}, {"reproductive.hormonal_medication": False}),
    "FAMILY-VTE": ({"clotting.family_vte": True}, {"clotting.clotting_disorder": True}),
    "ANTIPLATELET": ({"medications.antiplatelet": True}, {"medications.anticoagulant": True}),
    "ASTHMA": ({"allergies.asthma": True}, {"allergies.anaphylaxis_history": True}),
    "OTHER-ALLERGIES": ({"allergies.other": "pollen"}, {"allergies.other": " \n\t "}),
    "HYPERPIGMENTATION-RISK": ({"skin.fitzpatrick_type": 4}, {"skin.fitzpatrick_type": 3}),
    "MINOCYCLINE": ({"medications.minocycline": True}, {"medications.minocycline": False}),
    "DISULFIRAM": ({"medications.disulfiram": True}, {"medications.disulfiram": False}),
    "PRIOR-NECROSIS": (
        {**SCLEROTHERAPY, "veins.prior_sclerotherapy_reactions": ["skin_necrosis_or_ulcer"]},
        {**SCLEROTHERAPY, "veins.prior_sclerotherapy_reactions": ["marked_pigmentation"]},
    ),
    "OBESITY": (
        {"patient.height_cm": 170, "patient.weight_kg": 86.7},
        {"patient.height_cm": 170, "patient.weight_kg": 86.5},
    ),
    "SMOKER": ({"lifestyle.smoker": True}, {"lifestyle.smoker": False}),
    "NO-COMPRESSION": ({"lifestyle.can_wear_compression": False}, {"lifestyle.can_wear_compression": True}),
    "LONG-TRAVEL": ({"lifestyle.long_travel_planned": True}, {"lifestyle.long_travel_planned": False}),
    "CURRENT-TAN": ({"skin.current_tan": True}, {"skin.pigmentation_history": True}),
    "SESSION-INTERVAL": (
        {**SCLEROTHERAPY, "veins.last_sclerotherapy_date": "2026-10-11"},
        {**SCLEROTHERAPY, "veins.last_sclerotherapy_date": "2026-10-10"},
    ),
    "SESSION-DATE-UNKNOWN": ({"veins.prior_treatments": ["sclerotherapy"]}, SCLEROTHERAPY),
    "VEIN-SIZE-UNKNOWN": ({"veins.bulging": "unsure"}, {"veins.bulging": "yes"}),
}

RULE_IDS = [rule.rule_id for rule in ALL_RULES]


def rule_ids_of(changes: dict) -> list[str]:
    return [flag.rule_id for flag in assess(intake_of(answers_with(changes)), AS_OF).flags]


def test_rule_ids_are_unique():
    assert len(RULE_IDS) == len(set(RULE_IDS))


def test_every_rule_has_a_case_and_every_case_a_rule():
    assert set(CASES) == set(RULE_IDS)


PACKAGE = Path(__file__).resolve().parents[2] / "screener"
PACKAGE_MODULES = sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)
# Source run from text (the builtins, not a method such as re.compile), an object's or a
# library's internals, and the name the generated engine once had.
FORBIDDEN = re.compile(r"(?<![\w.])(exec|eval|compile)\(|__dict__|__pydantic|SCREEN_SOURCE")


@pytest.mark.parametrize("path", PACKAGE_MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_the_package_runs_its_code_as_written_without_generated_code(path):
    """A reviewer reads each condition once, in plain code: no source written at import and
    run, and no reads through pydantic's or any library's internals, in any module of screener/."""
    found = [match.group(0) for match in FORBIDDEN.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize("path", ["veins.size", "heart.disease", "veins", "veins.areas.first"])
def test_a_rule_reading_an_answer_the_intake_lacks_is_refused(path):
    with pytest.raises(ValueError, match="not an intake answer"):
        Is(path, True)


@pytest.mark.parametrize(("test", "path", "value"), [(Is, "veins.largest_vein", "over_3m"),
                                                     (Has, "symptoms.skin_changes", "open ulcer"),
                                                     (Is, "clotting.immobile", "yes")])
def test_a_rule_comparing_an_answer_with_a_value_it_cannot_take_is_refused(test, path, value):
    """A misspelt value would never fire: it fails when the rule is declared instead."""
    with pytest.raises(ValueError, match="not one of its answers"):
        test(path, value)


def test_every_value_a_rule_compares_with_is_an_answer_the_intake_can_give():
    for rule in RULES:
        for test in rule.tests:
            if isinstance(test, AnswerTest):
                assert all(value in test.options for value in test.values), (rule.rule_id, test.path)


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_rule_has_title_action_and_source(rule):
    assert rule.title.strip() and rule.action.strip() and rule.source.strip()
    assert rule.severity in SEVERITY_ORDER


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fires_on_its_answers(rule_id):
    fires, _ = CASES[rule_id]
    assert rule_id in rule_ids_of(fires)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_stays_quiet_on_close_answers(rule_id):
    _, quiet = CASES[rule_id]
    assert rule_id not in rule_ids_of(quiet)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_flag_carries_the_rules_words_and_a_reason(rule_id):
    fires, _ = CASES[rule_id]
    rule = next(rule for rule in ALL_RULES if rule.rule_id == rule_id)
    flag = next(flag for flag in assess(intake_of(answers_with(fires)), AS_OF).flags if flag.rule_id == rule_id)
    assert (flag.severity, flag.title, flag.source) == (rule.severity, rule.title, rule.source)
    assert flag.action.startswith(rule.action)
    assert flag.reason.endswith(".") and flag.reason.count(". ") == 0
    assert flag.evidence and all(path.split(".")[0] in Intake.model_fields for path in flag.evidence)


def test_healthy_adult_is_eligible_without_flags():
    assessment = assess(intake_of(healthy_answers()), AS_OF)
    assert assessment.decision == "eligible"
    assert assessment.flags == [] and assessment.excluded_agents == [] and assessment.excluded_techniques == []


def test_breastfeeding_needs_clinician_review():
    assessment = assess(intake_of(answers_with({"reproductive.breastfeeding": True})), AS_OF)
    assert assessment.decision == "clinician_review"
    flag = assessment.flags[0]
    assert flag.rule_id == "BREASTFEEDING" and flag.evidence == ("reproductive.breastfeeding",)


@pytest.mark.parametrize(
    ("changes", "decision"),
    [
        ({"clotting.immobile": True, "lifestyle.smoker": True, "reproductive.breastfeeding": True}, "not_eligible"),
        ({"reproductive.breastfeeding": True, "lifestyle.smoker": True}, "clinician_review"),
        ({"lifestyle.smoker": True}, "eligible_with_precautions"),
        ({}, "eligible"),
    ],
)
def test_decision_follows_the_most_severe_flag(changes, decision):
    assert assess(intake_of(answers_with(changes)), AS_OF).decision == decision


def test_flags_are_ordered_by_severity_then_rule_id():
    changes = {
        "lifestyle.smoker": True, "allergies.asthma": True, "clotting.immobile": True,
        "reproductive.pregnancy": "yes", "medications.anticoagulant": True, "reproductive.breastfeeding": True,
    }
    ids = rule_ids_of(changes)
    assert ids == ["IMMOBILITY", "PREGNANCY", "ANTICOAGULANT", "BREASTFEEDING", "ASTHMA", "SMOKER"]


def test_pregnancy_is_absolute_and_never_also_possible():
    assert rule_ids_of({"reproductive.pregnancy": "yes"}) == ["PREGNANCY"]


def test_pregnancy_is_honoured_whatever_the_sex_at_birth():
    assert rule_ids_of({"reproductive.pregnancy": "yes", "patient.sex_at_birth": "male"}) == ["PREGNANCY"]


class TestAgentsAndTechniques:
    def test_named_allergies_exclude_exactly_those_agents(self):
        assessment = assess(intake_of(answers_with({"allergies.sclerosants": ["hypertonic_saline", "polidocanol"]})), AS_OF)
        assert assessment.excluded_agents == ["hypertonic_saline", "polidocanol"]
        assert "NO-AGENT-LEFT" not in [flag.rule_id for flag in assessment.flags]

    def test_unknown_agent_excludes_nothing(self):
        assessment = assess(intake_of(answers_with({"allergies.sclerosants": ["unknown_agent"]})), AS_OF)
        assert assessment.excluded_agents == []
        assert [flag.rule_id for flag in assessment.flags] == ["UNKNOWN-SCLEROSANT-REACTION"]

    def test_asthma_excludes_sodium_tetradecyl_sulfate(self):
        assessment = assess(intake_of(answers_with({"allergies.asthma": True})), AS_OF)
        assert assessment.excluded_agents == ["sodium_tetradecyl_sulfate"]
        assert assessment.decision == "eligible_with_precautions"

    def test_no_agent_left_is_absolute_with_the_evidence_of_the_excluding_flags(self):
        changes = {"allergies.sclerosants": ["polidocanol", "hypertonic_saline"], "allergies.asthma": True}
        assessment = assess(intake_of(answers_with(changes)), AS_OF)
        assert assessment.decision == "not_eligible"
        last_resort = assessment.flags[0]
        assert last_resort.rule_id == "NO-AGENT-LEFT" and last_resort.severity == "absolute"
        assert last_resort.evidence == ("allergies.sclerosants", "allergies.asthma")
        assert assessment.excluded_agents == ["hypertonic_saline", "polidocanol", "sodium_tetradecyl_sulfate"]

    def test_all_three_named_allergies_leave_no_agent(self):
        changes = {"allergies.sclerosants": ["polidocanol", "sodium_tetradecyl_sulfate", "hypertonic_saline"]}
        assert rule_ids_of(changes) == ["NO-AGENT-LEFT", "SCLEROSANT-ALLERGY"]

    @pytest.mark.parametrize(
        "changes",
        [
            {"neurology.stroke_or_tia": True},
            {"neurology.right_to_left_shunt": "symptomatic"},
            {**SCLEROTHERAPY, "veins.prior_sclerotherapy_reactions": ["visual_or_neurological"]},
        ],
    )
    def test_foam_is_excluded_by_stroke_shunt_and_neurological_reaction(self, changes):
        assert assess(intake_of(answers_with(changes)), AS_OF).excluded_techniques == ["foam"]

    def test_a_known_shunt_excludes_foam_even_without_symptoms(self):
        """Version 2: a "hole in the heart" with migraine with aura no longer leaves foam allowed."""
        changes = {"neurology.right_to_left_shunt": "asymptomatic", "neurology.migraine": "with_aura"}
        assessment = assess(intake_of(answers_with(changes)), AS_OF)
        assert assessment.excluded_techniques == ["foam"]
        assert assessment.decision == "clinician_review"
        assert [flag.rule_id for flag in assessment.flags] == ["ASYMPTOMATIC-SHUNT", "MIGRAINE"]

    def test_migraine_alone_does_not_exclude_foam(self):
        assert assess(intake_of(answers_with({"neurology.migraine": "with_aura"})), AS_OF).excluded_techniques == []


class TestBoundaries:
    @pytest.mark.parametrize(("last", "fires"), [("2026-10-10", False), ("2026-10-11", True), ("2026-11-21", True)])
    def test_session_interval_is_42_days(self, last, fires):
        assert ("SESSION-INTERVAL" in rule_ids_of({**SCLEROTHERAPY, "veins.last_sclerotherapy_date": last})) is fires

    def test_session_interval_gives_the_earliest_next_date(self):
        answers = answers_with({**SCLEROTHERAPY, "veins.last_sclerotherapy_date": "2026-11-01"})
        flag = assess(intake_of(answers), AS_OF).flags[0]
        assert "2026-12-13" in flag.action
        assert flag.action.startswith("Earliest next session: 6 weeks after the last one.")

    def test_no_session_date_means_no_interval_flag_but_the_date_is_asked_for(self):
        assert rule_ids_of({"veins.prior_treatments": ["sclerotherapy"]}) == ["SESSION-DATE-UNKNOWN"]

    def test_a_session_date_over_6_weeks_ago_needs_nothing(self):
        assert rule_ids_of(SCLEROTHERAPY) == []

    @pytest.mark.parametrize(("birth", "minor"), [("2008-11-21", False), ("2008-11-22", True), ("2008-11-20", False)])
    def test_minor_until_the_18th_birthday(self, birth, minor):
        assert ("MINOR" in rule_ids_of({"patient.date_of_birth": birth})) is minor

    @pytest.mark.parametrize(("as_of_text", "minor"), [("2026-02-28", True), ("2026-03-01", False)])
    def test_29_february_birthday_falls_on_1_march(self, as_of_text, minor):
        as_of = date.fromisoformat(as_of_text)
        answers = answers_with({"patient.date_of_birth": "2008-02-29", "consent.signed_at": f"{as_of_text}T09:00:00"})
        assessment = assess(intake_of(answers, as_of), as_of)
        assert ("MINOR" in [flag.rule_id for flag in assessment.flags]) is minor

    @pytest.mark.parametrize(
        ("height", "weight", "fires"),
        [
            (170, 86.7, True),  # 30.0 exactly
            (170, 86.6, True),  # 29.965 rounds to 30.0
            (170, 86.55, False),  # 29.948 rounds to 29.9
            (200, 119.8, True),  # 29.95 exactly rounds half up to 30.0
            (200, 119.79, False),
            (170.0, 200, True),
        ],
    )
    def test_obesity_from_bmi_30_rounded_half_up(self, height, weight, fires):
        assert ("OBESITY" in rule_ids_of({"patient.height_cm": height, "patient.weight_kg": weight})) is fires

    def test_no_obesity_flag_without_height_and_weight(self):
        assert "OBESITY" not in rule_ids_of({})

    def test_fitzpatrick_type_4_and_above_risks_staining(self):
        assert [("HYPERPIGMENTATION-RISK" in rule_ids_of({"skin.fitzpatrick_type": t})) for t in range(1, 7)] == [
            False, False, False, True, True, True,
        ]


OPTION_FLAGS = [
    ("veins.areas", ["legs"], []), ("veins.areas", ["face"], ["NON-LEG-VEINS"]),
    ("veins.areas", ["other"], ["NON-LEG-VEINS"]), ("veins.areas", ["legs", "face", "other"], ["NON-LEG-VEINS"]),
    ("veins.largest_vein", "under_1mm", []), ("veins.largest_vein", "1_to_3mm", []),
    ("veins.largest_vein", "over_3mm", ["DUPLEX-NEEDED"]), ("veins.largest_vein", "unsure", ["VEIN-SIZE-UNKNOWN"]),
    ("veins.bulging", "no", []), ("veins.bulging", "yes", ["DUPLEX-NEEDED"]),
    ("veins.bulging", "unsure", ["VEIN-SIZE-UNKNOWN"]),
    ("veins.prior_treatments", ["sclerotherapy"], ["SESSION-DATE-UNKNOWN"]),
    ("veins.prior_treatments", ["laser_or_ipl"], []),
    ("veins.prior_treatments", ["surgery_or_ablation"], ["DUPLEX-NEEDED"]),
    *[("symptoms.leg_symptoms", [symptom], ["DUPLEX-NEEDED"])
      for symptom in ["aching", "heaviness", "swelling", "itching", "night_cramps", "restless_legs"]],
    *[("symptoms.skin_changes", [change], ["DUPLEX-NEEDED"])
      for change in ["discoloration", "eczema", "hardened_skin", "healed_ulcer"]],
    ("symptoms.skin_changes", ["open_ulcer"], ["VENOUS-ULCER"]),
    ("reproductive.pregnancy", "no", []), ("reproductive.pregnancy", "not_applicable", []),
    ("clotting.superficial_thrombophlebitis", "past", ["DUPLEX-NEEDED"]),
    ("health.diabetes", "controlled", []), ("health.diabetes", "none", []),
    ("neurology.migraine", "with_aura", ["MIGRAINE"]),
    ("allergies.sclerosants", ["polidocanol"], ["SCLEROSANT-ALLERGY"]),
    ("allergies.sclerosants", ["sodium_tetradecyl_sulfate"], ["SCLEROSANT-ALLERGY"]),
    ("allergies.lidocaine", True, ["OTHER-ALLERGIES"]), ("allergies.latex", True, ["OTHER-ALLERGIES"]),
    ("allergies.adhesive_tape", True, ["OTHER-ALLERGIES"]),
    ("skin.pigmentation_history", True, ["HYPERPIGMENTATION-RISK"]),
    ("medications.iron_supplement", True, ["HYPERPIGMENTATION-RISK"]),
    ("patient.sex_at_birth", "intersex", []), ("patient.sex_at_birth", "prefer_not_to_say", []),
    ("patient.sex_at_birth", "male", []),
]


@pytest.mark.parametrize(("path", "value", "expected"), OPTION_FLAGS, ids=[f"{p}={v}" for p, v, _ in OPTION_FLAGS])
def test_every_list_option_gives_its_flags(path, value, expected):
    assert rule_ids_of({path: value}) == expected


@pytest.mark.parametrize(
    "reaction, expected",
    [
        ("allergic", ["UNKNOWN-SCLEROSANT-REACTION"]),
        ("visual_or_neurological", ["PRIOR-NEURO-REACTION"]),
        ("stroke_or_heart_event", ["PRIOR-SEVERE-REACTION"]),
        ("skin_necrosis_or_ulcer", ["PRIOR-NECROSIS"]),
        ("marked_pigmentation", ["HYPERPIGMENTATION-RISK"]),
    ],
)
def test_every_prior_reaction_gives_its_flag(reaction, expected):
    assert rule_ids_of({**SCLEROTHERAPY, "veins.prior_sclerotherapy_reactions": [reaction]}) == expected


@pytest.mark.parametrize("pair", list(combinations(CLOT_RISK_FACTORS, 2)), ids=" + ".join)
def test_any_two_clot_risk_factors_together_need_a_clinician(pair):
    changes = {path: value for factor in pair for path, value in CLOT_RISK_FACTORS[factor].items()}
    assessment = assess(intake_of(answers_with(changes)), AS_OF)
    flag = next(flag for flag in assessment.flags if flag.rule_id == "VTE-RISK-COMBINED")
    assert assessment.decision == "clinician_review"
    assert flag.severity == "relative" and flag.reason.startswith("The patient has 2 blood clot risk factors together")
    assert set(flag.evidence) == set(changes), "the evidence is the answers of the factors that hold, no others"


@pytest.mark.parametrize("factor", CLOT_RISK_FACTORS)
def test_one_clot_risk_factor_alone_is_not_combined_risk(factor):
    assert "VTE-RISK-COMBINED" not in rule_ids_of(CLOT_RISK_FACTORS[factor])


def test_the_pill_a_parent_with_a_clot_a_bmi_of_34_smoking_and_a_flight_reach_a_clinician():
    """Version 1 gave only eligible_with_precautions for the pill, a parent with a clot, a BMI of 34,
    smoking and a flight in 4 weeks."""
    changes = {"reproductive.hormonal_medication": True, "clotting.family_vte": True, "patient.height_cm": 165,
               "patient.weight_kg": 92.6, "lifestyle.smoker": True, "lifestyle.long_travel_planned": True}
    assessment = assess(intake_of(answers_with(changes)), AS_OF)
    flag = next(flag for flag in assessment.flags if flag.rule_id == "VTE-RISK-COMBINED")
    assert assessment.decision == "clinician_review"
    assert flag.reason == ("The patient has 4 blood clot risk factors together: hormonal medication; a parent, "
                           "sibling or child with a blood clot; a body mass index of 34.0; a journey of over 4 "
                           "hours within 4 weeks.")
    assert flag.evidence == ("reproductive.hormonal_medication", "clotting.family_vte", "patient.height_cm",
                             "patient.weight_kg", "lifestyle.long_travel_planned")


@pytest.mark.parametrize(("areas", "fires"), [(["face"], True), (["other"], True), (["legs"], False),
                                              (["legs", "face"], True)])
def test_veins_outside_the_legs_are_off_label(areas, fires):
    assert ("NON-LEG-VEINS" in rule_ids_of({"veins.areas": areas})) is fires


def test_an_unknown_date_and_an_unsure_size_are_flagged_never_guessed():
    """Version 1 gave eligible with no flag at all for earlier sclerotherapy with no date and an unsure size."""
    assert rule_ids_of({"veins.prior_treatments": ["sclerotherapy"], "veins.largest_vein": "unsure"}) == [
        "SESSION-DATE-UNKNOWN", "VEIN-SIZE-UNKNOWN"]


@pytest.mark.parametrize(("bulging", "expected"), [("yes", ["DUPLEX-NEEDED"]), ("unsure", ["VEIN-SIZE-UNKNOWN"]),
                                                   ("no", [])])
def test_bulging_veins_need_duplex_and_an_unsure_answer_an_examination(bulging, expected):
    assert rule_ids_of({"veins.bulging": bulging}) == expected


URGENT_CASES = {rule_id: CASES[rule_id][0] for rule_id in
                ("ACUTE-VTE", "SUPERFICIAL-THROMBOPHLEBITIS", "VENOUS-ULCER", "BLEEDING-VEIN")}


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_urgent_exactly_for_the_same_day_rules_the_specification_names(rule_id):
    fires, _ = CASES[rule_id]
    assert assess(intake_of(answers_with(fires)), AS_OF).urgent is (rule_id in URGENT_CASES)


def test_urgent_whatever_the_decision():
    """An acute clot is not eligible and urgent; a bleeding vein beside a pregnancy is too."""
    assert assess(intake_of(answers_with({"clotting.vte_history": "current"})), AS_OF).decision == "not_eligible"
    both = assess(intake_of(answers_with({"symptoms.bleeding_vein": True, "reproductive.pregnancy": "yes"})), AS_OF)
    assert both.urgent and both.decision == "not_eligible"
    assert not assess(intake_of(healthy_answers()), AS_OF).urgent


def test_the_rules_declare_the_same_day_rules_once():
    assert URGENT_RULE_IDS == set(URGENT_CASES)


def test_evidence_lists_every_triggering_field():
    changes = {
        "symptoms.leg_symptoms": ["aching"], "symptoms.skin_changes": ["eczema", "open_ulcer"],
        "veins.largest_vein": "over_3mm", "clotting.superficial_thrombophlebitis": "past",
        "veins.prior_treatments": ["surgery_or_ablation"],
    }
    flags = {flag.rule_id: flag for flag in assess(intake_of(answers_with(changes)), AS_OF).flags}
    assert flags["DUPLEX-NEEDED"].evidence == (
        "symptoms.leg_symptoms", "symptoms.skin_changes", "veins.largest_vein",
        "clotting.superficial_thrombophlebitis", "veins.prior_treatments",
    )
    assert flags["VENOUS-ULCER"].evidence == ("symptoms.skin_changes",)


def test_reasons_name_list_answers_in_option_order_whatever_the_given_order():
    one = assess(intake_of(answers_with({"symptoms.leg_symptoms": ["swelling", "aching"]})), AS_OF)
    other = assess(intake_of(answers_with({"symptoms.leg_symptoms": ["aching", "swelling"]})), AS_OF)
    assert one == other
    assert "aching, swelling" in one.flags[0].reason


def test_assessment_json_has_the_contract_keys():
    data = assess(intake_of(healthy_answers()), AS_OF).model_dump(mode="json")
    assert set(data) >= {"decision", "rules_version", "assessed_on", "flags", "excluded_agents", "excluded_techniques",
                         "urgent"}
    assert data["assessed_on"] == "2026-11-21"


def test_assess_defaults_to_today():
    assert assess(intake_of(healthy_answers(), date.today())).assessed_on == date.today()


@pytest.mark.parametrize(
    ("changes", "as_of", "path"),
    [
        ({"patient.date_of_birth": "2020-01-01"}, date(2019, 12, 31), "patient.date_of_birth"),
        ({"patient.date_of_birth": "1910-01-01"}, date(2031, 1, 1), "patient.date_of_birth"),
        ({**SCLEROTHERAPY, "veins.last_sclerotherapy_date": "2026-11-01"}, date(2026, 10, 31), "veins.last_sclerotherapy_date"),
    ],
)
def test_assess_refuses_an_assessment_date_that_contradicts_the_intake(changes, as_of, path):
    with pytest.raises(InvalidIntake) as caught:
        assess(intake_of(answers_with(changes)), as_of)
    assert [problem.path for problem in caught.value.problems] == [path]


@pytest.mark.parametrize("answers", [healthy_answers(), everything_answers(),
                                     with_answer(with_answer(healthy_answers(), "veins.prior_treatments", ["sclerotherapy"]),
                                                 "veins.last_sclerotherapy_date", "2026-11-01")])
def test_assessment_json_is_the_same_as_pydantics(answers):
    """Assessment.model_dump_json skips pydantic's wrapper when given no options: same text."""
    assessment = assess(intake_of(answers), AS_OF)
    assert assessment.model_dump_json() == BaseModel.model_dump_json(assessment)
    assert assessment.model_dump_json(indent=2) == BaseModel.model_dump_json(assessment, indent=2)
    assert json.loads(assessment.model_dump_json()) == assessment.model_dump(mode="json")


# The clinic's record of earlier sessions (assess(..., history=...)): the record wins for the interval,
# and a recorded reaction counts as that agent's reaction history.


def recorded(days_before: int, agent: str = "polidocanol", reactions: tuple = (), form: str = "liquid") -> PriorSession:
    return PriorSession(session_date=AS_OF - timedelta(days=days_before), agent=agent, form=form,
                        reactions=reactions)


def with_history(changes: dict, *history: PriorSession):
    return assess(intake_of(answers_with(changes)), AS_OF, history)


@pytest.mark.parametrize(("days", "fires"), [(41, True), (42, False)])
def test_the_interval_counts_from_a_recorded_session_41_and_42_days_before(days, fires):
    assessment = with_history({"veins.prior_treatments": ["sclerotherapy"]}, recorded(days), recorded(90))
    flags = {flag.rule_id: flag for flag in assessment.flags}
    assert ("SESSION-INTERVAL" in flags) is fires
    assert "SESSION-DATE-UNKNOWN" not in flags, "a recorded session is a known date"
    if fires:
        assert flags["SESSION-INTERVAL"].evidence == ("history.session_date",)
        assert flags["SESSION-INTERVAL"].action.endswith("Earliest next session: 2026-11-22.")


def test_the_record_wins_over_the_patients_date_and_both_are_shown():
    changes = {**SCLEROTHERAPY}  # the patient says 2026-09-01, 81 days before
    flag = next(flag for flag in with_history(changes, recorded(20)).flags if flag.rule_id == "SESSION-INTERVAL")
    assert flag.reason == ("The last sclerotherapy session was on 2026-11-01, 20 days before 2026-11-21 "
                           "(the patient gave 2026-09-01; the clinic's record is used).")
    assert "SESSION-INTERVAL" not in rule_ids_of(changes), "without the record the patient's date is used"


def test_a_session_recorded_after_the_assessment_date_is_not_read():
    assert "SESSION-INTERVAL" not in [flag.rule_id for flag in with_history({}, recorded(-3)).flags]


def test_a_recorded_allergic_reaction_excludes_its_agent():
    assessment = with_history({}, recorded(60, "sodium_tetradecyl_sulfate", ("allergic",)))
    flag = next(flag for flag in assessment.flags if flag.rule_id == "SCLEROSANT-ALLERGY")
    assert assessment.excluded_agents == ["sodium_tetradecyl_sulfate"]
    assert flag.reason == ("The patient had an allergic reaction the clinic recorded after sodium tetradecyl "
                           "sulfate on 2026-09-22.")
    assert flag.evidence == ("history.reactions",)
    assert "UNKNOWN-SCLEROSANT-REACTION" not in [f.rule_id for f in assessment.flags], "the agent is known"


def test_a_recorded_allergy_and_a_reported_one_exclude_both_agents():
    assessment = with_history({"allergies.sclerosants": ["polidocanol"]},
                              recorded(60, "hypertonic_saline", ("allergic",)))
    assert assessment.excluded_agents == ["hypertonic_saline", "polidocanol"]


def test_a_recorded_reaction_to_glycerin_is_flagged_and_excludes_no_listed_agent():
    assessment = with_history({}, recorded(60, "glycerin", ("allergic",)))
    assert "SCLEROSANT-ALLERGY" in [flag.rule_id for flag in assessment.flags]
    assert assessment.excluded_agents == []


@pytest.mark.parametrize(("reaction", "rule_id"), [("visual_or_neurological", "PRIOR-NEURO-REACTION"),
                                                   ("stroke_or_heart_event", "PRIOR-SEVERE-REACTION"),
                                                   ("skin_necrosis_or_ulcer", "PRIOR-NECROSIS"),
                                                   ("marked_pigmentation", "HYPERPIGMENTATION-RISK")])
def test_every_recorded_reaction_counts_as_reaction_history(reaction, rule_id):
    assessment = with_history({}, recorded(60, "polidocanol", (reaction,), "foam"))
    assert rule_id in [flag.rule_id for flag in assessment.flags]
