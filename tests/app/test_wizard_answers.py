"""What the wizard makes of a patient's answers, without Streamlit; and the app's settings.

- Every field of the intake is asked by exactly one question of one step.
- Unanswered questions are missing (not "no"); "None of these" is an empty list, offered
  only where an empty list is valid; follow-ups count only when they are asked.
- A free text needs its yes/no first, and after "yes" it cannot be blank.
- Complete answers build exactly the intake of the same data.
- Settings: defaults, and a clear error naming the variable for an unusable value.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest

from app.patient.answers import (
    NONE, build_intake, gate_name, offers_none, review_rows, section_data, step_problems,
)
from app.settings import DEFAULT_IDLE_MINUTES, SettingsError, load
from factories import AS_OF, everything_answers, healthy_answers, intake_of
from screener.clinical.models import SECTIONS
from screener.language.screens import DETAILS_NEEDED
from screener.clinical.questionnaire import STEP_BY_SECTION, STEPS, Step

REQUIRED = "This answer is required."
SIGNED_AT = datetime(2026, 11, 21, 9, 30, tzinfo=timezone.utc)


def raw_from(step: Step, values: dict[str, Any]) -> dict[str, Any]:
    """A step's answers as the wizard's widgets give them, from intake data."""
    raw: dict[str, Any] = {}
    for question in step.questions:
        value = values.get(question.name)
        if question.kind == "date" and value:
            value = date.fromisoformat(value)
        elif question.kind == "multi" and value == []:
            value = [NONE]
        elif question.kind == "long_text":
            raw[gate_name(question)] = bool(value)
        elif question.kind == "number" and value is not None:
            value = float(value)
        raw[question.name] = value
    return raw


def all_raw(intake: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step.section: raw_from(step, intake[step.section]) for step in STEPS}


def test_every_field_of_the_intake_is_asked_once():
    assert [step.section for step in STEPS] == [name for name in SECTIONS if name != "consent"]
    for step in STEPS:
        assert [question.name for question in step.questions] == list(SECTIONS[step.section].model_fields)


def test_none_of_these_is_offered_wherever_an_empty_list_is_valid():
    offered = {(step.section, question.name): offers_none(step, question)
               for step in STEPS for question in step.questions if question.kind == "multi"}
    assert [where for where, offer in offered.items() if not offer] == [("veins", "areas")]


def test_unanswered_questions_are_missing_not_no():
    step = STEP_BY_SECTION["symptoms"]
    assert section_data(step, {}) == {}
    assert step_problems(step, {}, AS_OF) == {"leg_symptoms": REQUIRED, "skin_changes": REQUIRED, "bleeding_vein": REQUIRED}
    assert section_data(step, {"leg_symptoms": [NONE], "skin_changes": ["eczema"], "bleeding_vein": False}) == {
        "leg_symptoms": [], "skin_changes": ["eczema"], "bleeding_vein": False}


def test_follow_ups_count_only_while_they_are_asked():
    step = STEP_BY_SECTION["veins"]
    raw = raw_from(step, everything_answers()["veins"])
    raw["prior_treatments"] = ["laser_or_ipl"]
    data = section_data(step, raw)
    assert data["prior_sclerotherapy_reactions"] == [] and "last_sclerotherapy_date" not in data
    assert step_problems(step, raw, AS_OF) == {}
    assert raw["prior_sclerotherapy_reactions"], "what was answered is kept, should sclerotherapy be ticked again"


def test_a_follow_up_follows_an_earlier_answer_of_its_step_and_a_skip_an_answer_of_an_earlier_step():
    """The wizard asks a follow-up from the answers on its screen so far, and leaves a question
    out for an answer given on an earlier screen (questionnaire.py declares both on the question)."""
    sections = [step.section for step in STEPS]
    for step in STEPS:
        for index, question in enumerate(step.questions):
            if question.asked_only_when:
                earlier = [asked.name for asked in step.questions[:index]]
                assert (question.asked_only_when.section, question.asked_only_when.name in earlier) == (step.section, True)
            if question.not_asked_when:
                assert sections.index(question.not_asked_when.section) < sections.index(step.section)


@pytest.mark.parametrize("gate, text, problems", [
    (None, None, {"other.gate": REQUIRED}),
    (True, "   ", {"other": DETAILS_NEEDED}),
    (True, "Penicillin", {}),
    (False, "typed, then answered No", {}),
])
def test_a_free_text_needs_its_yes_or_no_and_then_words(gate, text, problems):
    step = STEP_BY_SECTION["medications"]
    raw = {**raw_from(step, healthy_answers()["medications"]), "other.gate": gate, "other": text}
    assert step_problems(step, raw, AS_OF) == problems
    assert section_data(step, raw).get("other") == (text if gate else None)


@pytest.mark.parametrize("answers", [healthy_answers(), everything_answers()], ids=["healthy", "everything"])
def test_complete_answers_build_the_intake_of_the_same_data(answers):
    intake = build_intake(all_raw(answers), {"answers_confirmed": True, "signature": "Signer"}, SIGNED_AT)
    expected = intake_of(answers)
    assert intake.model_dump(exclude={"consent"}) == expected.model_dump(exclude={"consent"})
    assert intake.consent.signed_at == SIGNED_AT


def test_the_review_words_each_answer_as_the_patient_chose_it():
    answers = everything_answers()
    rows = dict(review_rows(STEP_BY_SECTION["patient"], raw_from(STEP_BY_SECTION["patient"], answers["patient"])))
    assert rows["Your date of birth"] == "28 February 2010" and rows["Your height (optional)"] == "160 cm"
    allergies = review_rows(STEP_BY_SECTION["allergies"], raw_from(STEP_BY_SECTION["allergies"], answers["allergies"]))
    assert allergies[-2:] == [("Do you have any other allergies?", "Yes"),
                              ("Please describe your other allergies", answers["allergies"]["other"])]
    symptoms = dict(review_rows(STEP_BY_SECTION["symptoms"], raw_from(STEP_BY_SECTION["symptoms"],
                                                                       healthy_answers()["symptoms"])))
    assert symptoms["Do you often have any of these in your legs?"] == "None of these"


def test_settings_default_to_an_sqlite_file_in_the_data_folder(tmp_path):
    settings = load({"SCREENER_DATA_DIR": str(tmp_path / "new")})
    assert settings.idle_minutes == DEFAULT_IDLE_MINUTES and settings.idle_seconds == 600
    assert settings.database_url.startswith("sqlite:///") and str(tmp_path / "new") in settings.database_url
    assert (tmp_path / "new").is_dir(), "created on first start"


def test_settings_take_the_database_url_and_idle_minutes_as_given():
    settings = load({"SCREENER_DATABASE_URL": "postgresql+psycopg://clinic@db/screener", "SCREENER_IDLE_MINUTES": "2.5"})
    assert settings.database_url == "postgresql+psycopg://clinic@db/screener" and settings.idle_seconds == 150


@pytest.mark.parametrize("value", ["ten", "0", "-5", "nan", "inf", "100000"])
def test_an_unusable_idle_time_is_named_in_the_error(value):
    with pytest.raises(SettingsError, match="SCREENER_IDLE_MINUTES"):
        load({"SCREENER_IDLE_MINUTES": value, "SCREENER_DATABASE_URL": "sqlite://"})


def test_settings_offer_english_spanish_and_chinese_by_default_in_that_order():
    assert load({"SCREENER_DATABASE_URL": "sqlite://"}).languages == ("en", "es", "zh-Hans")


def test_settings_offer_the_languages_given_in_the_order_given():
    settings = load({"SCREENER_DATABASE_URL": "sqlite://", "SCREENER_LANGUAGES": " zh-Hans, en "})
    assert settings.languages == ("zh-Hans", "en")


@pytest.mark.parametrize("value, says", [
    ("en,fr", "'fr', which is not a language this screener ships"),
    ("en,es,en", "names 'en' twice"),
    ("en,,es", "an empty entry"),
    ("EN", "'EN', which is not a language"),
    ("zh", "'zh', which is not a language"),
])
def test_an_unknown_or_repeated_language_is_named_with_the_fix(value, says):
    with pytest.raises(SettingsError, match="SCREENER_LANGUAGES") as raised:
        load({"SCREENER_DATABASE_URL": "sqlite://", "SCREENER_LANGUAGES": value})
    assert says in str(raised.value) and "codes from en,es,zh-Hans" in str(raised.value)


def test_a_data_folder_that_cannot_be_created_is_named_in_the_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(SettingsError, match="SCREENER_DATA_DIR"):
        load({"SCREENER_DATA_DIR": str(tmp_path / "file" / "data")})
