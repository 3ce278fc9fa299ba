"""Properties of ``assess`` over generated valid intakes (hypothesis)."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from typing import Any, get_args

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from factories import AS_OF, intake_of
from screener import assess
from screener.clinical.models import _ONLY_INVISIBLE, SECTIONS
from screener.clinical.rules import ALL_AGENTS, RULES, SEVERITY_ORDER

DECISION_RANK = {"eligible": 0, "eligible_with_precautions": 1, "clinician_review": 2, "not_eligible": 3}
BASELINE = {"none", "no", "not_applicable", "none_known", "under_1mm"}
# From "I am not sure", only the answer that is surely the risk is towards risk ("1 to 3 mm" is not).
SURELY_RISKY = {"yes", "over_3mm"}

printable = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
# Names refuse format characters (bidi controls) and must show something (see models.py).
names = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cf")), min_size=1, max_size=40).filter(
    lambda text: not _ONLY_INVISIBLE.fullmatch(text))
free_texts = st.one_of(st.none(), st.text(printable | st.sampled_from("\n\r\t"), max_size=60))


def options(section: str, name: str) -> tuple:
    annotation = SECTIONS[section].model_fields[name].annotation
    inner = get_args(annotation)
    return get_args(inner[0]) if inner and get_args(inner[0]) else inner


def choice(section: str, name: str):
    return st.sampled_from(options(section, name))


def unique_list(section: str, name: str, min_size: int = 0):
    return st.lists(choice(section, name), unique=True, min_size=min_size)


def booleans_of(section: str, *names: str) -> dict:
    return {name: st.booleans() for name in names}


OLDEST_BIRTH = AS_OF.replace(year=AS_OF.year - 120) + timedelta(days=1)


@st.composite
def intakes(draw) -> dict[str, Any]:
    birth = draw(st.dates(min_value=OLDEST_BIRTH, max_value=AS_OF))
    patient = {"full_name": draw(names), "date_of_birth": birth.isoformat(), "sex_at_birth": draw(choice("patient", "sex_at_birth"))}
    if draw(st.booleans()):
        patient["height_cm"] = draw(st.floats(50, 250))
        patient["weight_kg"] = draw(st.floats(20, 350))
    treatments = draw(unique_list("veins", "prior_treatments"))
    veins = {"areas": draw(unique_list("veins", "areas", 1)), "largest_vein": draw(choice("veins", "largest_vein")),
             "bulging": draw(choice("veins", "bulging")), "prior_treatments": treatments,
             "prior_sclerotherapy_reactions": []}
    if "sclerotherapy" in treatments:
        veins["prior_sclerotherapy_reactions"] = draw(unique_list("veins", "prior_sclerotherapy_reactions"))
        last = draw(st.one_of(st.none(), st.dates(max_value=AS_OF, min_value=date(2000, 1, 1))))
        veins["last_sclerotherapy_date"] = last and last.isoformat()

    def section(name: str, **fields) -> dict:
        return {key: draw(value) for key, value in fields.items()}

    return {
        "patient": patient,
        "veins": veins,
        "symptoms": section("symptoms", leg_symptoms=unique_list("symptoms", "leg_symptoms"),
                            skin_changes=unique_list("symptoms", "skin_changes"), bleeding_vein=st.booleans()),
        "reproductive": section("reproductive", pregnancy=choice("reproductive", "pregnancy"),
                                **booleans_of("reproductive", "breastfeeding", "gave_birth_last_3_months", "hormonal_medication")),
        "clotting": section("clotting", vte_history=choice("clotting", "vte_history"),
                            superficial_thrombophlebitis=choice("clotting", "superficial_thrombophlebitis"),
                            **booleans_of("clotting", "clotting_disorder", "family_vte", "active_cancer",
                                          "recent_surgery_or_hospital_stay", "immobile", "reduced_mobility")),
        "health": section("health", arterial_disease=choice("health", "arterial_disease"), diabetes=choice("health", "diabetes"),
                          **booleans_of("health", "heart_disease", "other_uncontrolled_illness", "acute_illness_or_fever",
                                        "infection_at_treatment_site")),
        "neurology": section("neurology", migraine=choice("neurology", "migraine"),
                             right_to_left_shunt=choice("neurology", "right_to_left_shunt"), stroke_or_tia=st.booleans()),
        "allergies": section("allergies", sclerosants=unique_list("allergies", "sclerosants"), other=free_texts,
                             **booleans_of("allergies", "anaphylaxis_history", "asthma", "lidocaine", "latex", "adhesive_tape")),
        "skin": section("skin", fitzpatrick_type=st.integers(1, 6), pigmentation_history=st.booleans(), current_tan=st.booleans()),
        "medications": section("medications", other=free_texts,
                               **booleans_of("medications", "anticoagulant", "antiplatelet", "minocycline", "disulfiram",
                                             "iron_supplement")),
        "lifestyle": section("lifestyle", **booleans_of("lifestyle", "smoker", "can_wear_compression", "long_travel_planned")),
        "consent": {"answers_confirmed": True, "signature": draw(names),
                    "signed_at": datetime(2026, 11, 21, 9, 30).isoformat()},
    }


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
@given(intakes())
def test_assess_gives_exactly_what_every_rule_check_gives(answers):
    """The flags are the rules' own hits, words and evidence unchanged, and NO-AGENT-LEFT
    exactly when the others exclude every agent."""
    intake = intake_of(answers)
    expected = {rule.rule_id: hit for rule in RULES if (hit := rule.check(intake, AS_OF)) is not None}
    flags = {flag.rule_id: flag for flag in assess(intake, AS_OF).flags}
    last_resort = flags.pop("NO-AGENT-LEFT", None)
    assert flags.keys() == expected.keys()
    for rule_id, hit in expected.items():
        assert (flags[rule_id].reason, tuple(flags[rule_id].evidence)) == (hit.reason, hit.evidence)
        assert flags[rule_id].action.endswith(hit.action_detail)
    excluded = {agent for rule in RULES if rule.rule_id in expected
                for agent in rule.excluded_agents + expected[rule.rule_id].excluded_agents}
    assert (last_resort is not None) == excluded.issuperset(ALL_AGENTS)


def _with_answers_of(answers: dict, source: dict, paths: tuple[str, ...]) -> dict:
    changed = copy.deepcopy(answers)
    for path in paths:
        section, name = path.split(".")
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
