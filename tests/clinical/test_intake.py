"""The intake contract of SCREENING.md section 2: what is accepted, what is refused, and
how each problem is named."""

from __future__ import annotations

import json
from datetime import date

import pytest
from pydantic import ValidationError

from factories import AS_OF, healthy_answers, intake_of, with_answer
from screener import InvalidIntake, parse_intake
from screener.clinical.intake import MAX_INTAKE_BYTES
from screener.clinical.models import ADDED_IN_VERSION_2, Intake, age_in_years
from screener.clinical.questionnaire import STEPS
from screener.clinical.stored import stored_intake


FOLLOW_UPS = [(step, question) for step in STEPS for question in step.questions if question.asked_only_when]


def problems_of(answers, as_of: date = AS_OF) -> dict[str, str]:
    text = answers if isinstance(answers, (str, bytes)) else json.dumps(answers)
    with pytest.raises(InvalidIntake) as caught:
        parse_intake(text, as_of)
    return {problem.path: problem.message for problem in caught.value.problems}


def changed(path: str, value) -> dict:
    return with_answer(healthy_answers(), path, value)


def removed(path: str) -> dict:
    answers = healthy_answers()
    section, name = path.split(".")
    del answers[section][name]
    return answers


def test_a_complete_intake_is_accepted():
    intake = parse_intake(json.dumps(healthy_answers()), AS_OF)
    assert intake.patient.full_name == "Alex Example"


def test_pydantic_api_takes_the_assessment_date_as_context():
    text = json.dumps(changed("patient.date_of_birth", "2026-11-22"))
    with pytest.raises(ValidationError):
        Intake.model_validate_json(text, context={"as_of": AS_OF})
    assert Intake.model_validate_json(text, context={"as_of": date(2026, 11, 22)})


class TestStrictTypes:
    @pytest.mark.parametrize("value", ["true", 1, 0, None, "yes"])
    def test_booleans_are_true_or_false_only(self, value):
        assert problems_of(changed("lifestyle.smoker", value)) == {"lifestyle.smoker": "Answer true or false."}

    @pytest.mark.parametrize("value", [4.0, "4", True, 0, 7])
    def test_fitzpatrick_type_is_a_json_integer_from_1_to_6(self, value):
        assert list(problems_of(changed("skin.fitzpatrick_type", value))) == ["skin.fitzpatrick_type"]

    @pytest.mark.parametrize("value", [1, 6])
    def test_fitzpatrick_type_bounds_are_inclusive(self, value):
        assert intake_of(changed("skin.fitzpatrick_type", value)).skin.fitzpatrick_type == value

    @pytest.mark.parametrize(("height", "weight"), [(50, 20), (250, 350), (170.5, 64.25)])
    def test_height_and_weight_ranges_are_inclusive(self, height, weight):
        answers = with_answer(changed("patient.height_cm", height), "patient.weight_kg", weight)
        assert intake_of(answers).patient.height_cm == height

    @pytest.mark.parametrize(("path", "value"), [("patient.height_cm", 49.9), ("patient.height_cm", 250.1),
                                                 ("patient.weight_kg", 19.99), ("patient.weight_kg", 351),
                                                 ("patient.height_cm", "170"), ("patient.height_cm", True)])
    def test_height_and_weight_out_of_range_or_not_numbers(self, path, value):
        other = "patient.weight_kg" if path == "patient.height_cm" else "patient.height_cm"
        answers = with_answer(changed(path, value), other, 70)
        assert list(problems_of(answers)) == [path]

    @pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
    def test_nan_and_infinities_are_refused(self, literal):
        text = json.dumps(with_answer(changed("patient.height_cm", 170), "patient.weight_kg", 70))
        text = text.replace('"weight_kg": 70', f'"weight_kg": {literal}')
        assert problems_of(text) == {"patient.weight_kg": "Enter an ordinary number (not NaN or infinity)."}

    @pytest.mark.parametrize("value", ["1984-3-9", "09/03/1984", "1984-03-09T00:00:00", 19840309, "1984-02-30"])
    def test_dates_are_real_yyyy_mm_dd_strings(self, value):
        assert list(problems_of(changed("patient.date_of_birth", value))) == ["patient.date_of_birth"]

    @pytest.mark.parametrize("value", ["2026-11-21T09:30:00", "2026-11-21T09:30:00+01:00", "2026-11-21T08:30:00Z",
                                       "2026-11-21T09:30:00.123456", "2026-11-21T09:30"])
    def test_signed_at_is_an_iso_date_time_with_or_without_offset(self, value):
        assert intake_of(changed("consent.signed_at", value)).consent.signed_at

    @pytest.mark.parametrize("value", ["2026-11-21", "yesterday", 1763717400, ""])
    def test_signed_at_needs_a_date_and_a_time(self, value):
        assert list(problems_of(changed("consent.signed_at", value))) == ["consent.signed_at"]

    def test_a_top_level_that_is_not_an_object_is_refused(self):
        assert problems_of("[1, 2]") == {"": "The intake must be a JSON object."}

    def test_a_bom_is_accepted(self):
        assert parse_intake(b"\xef\xbb\xbf" + json.dumps(healthy_answers()).encode(), AS_OF)

    def test_malformed_json_names_line_and_column(self):
        message = problems_of('{\n  "patient": \n}')[""]
        assert "line 3 column 1" in message and message.startswith("This is not valid JSON")


class TestChoicesAndLists:
    def test_a_value_outside_the_list_names_the_choices(self):
        assert problems_of(changed("patient.sex_at_birth", "other")) == {
            "patient.sex_at_birth": "Choose one of: female, male, intersex or prefer_not_to_say."
        }

    def test_list_items_are_named_by_index(self):
        assert list(problems_of(changed("veins.areas", ["legs", "arms"]))) == ["veins.areas.1"]

    def test_a_repeated_value_is_an_error_at_the_list(self):
        assert problems_of(changed("symptoms.leg_symptoms", ["aching", "aching"])) == {
            "symptoms.leg_symptoms": "Each choice can be given only once."
        }

    def test_areas_must_not_be_empty(self):
        assert problems_of(changed("veins.areas", [])) == {"veins.areas": "Choose at least one."}

    def test_an_empty_list_means_none(self):
        assert intake_of(changed("allergies.sclerosants", [])).allergies.sclerosants == []

    @pytest.mark.parametrize("items", [["legs", "face", "other", "legs"], [0] * 50_000])
    def test_a_list_longer_than_its_choices_is_one_problem_at_the_list(self, items):
        assert problems_of(changed("veins.areas", items)) == {
            "veins.areas": "There are only 3 choices; give each at most once."
        }


class TestSizeLimit:
    def test_an_intake_over_the_limit_is_one_problem_naming_it(self):
        answers = changed("medications.other", "x" * MAX_INTAKE_BYTES)
        assert problems_of(answers) == {"input": f"The intake is larger than 256 KB ({MAX_INTAKE_BYTES:,} bytes), "
                                                 "the most accepted; a complete intake is a few KB."}

    def test_the_limit_counts_utf8_bytes_of_text(self):
        padding = " " * (MAX_INTAKE_BYTES // 3)  # three bytes each as UTF-8
        text = json.dumps(healthy_answers()).replace('"female"', f'"female"{padding.replace(" ", chr(0x3000))}')
        assert len(text) < MAX_INTAKE_BYTES < len(text.encode())
        assert list(problems_of(text)) == ["input"]

    def test_an_intake_just_under_the_limit_is_read(self):
        text = json.dumps(healthy_answers())
        text = text[:-1] + " " * (MAX_INTAKE_BYTES - len(text)) + "}"
        assert parse_intake(text.encode(), AS_OF).patient.full_name == "Alex Example"


class TestRequiredAndUnknownFields:
    def test_a_missing_field_is_named(self):
        assert problems_of(removed("clotting.immobile")) == {"clotting.immobile": "This answer is required."}

    def test_a_missing_section_is_named(self):
        answers = healthy_answers()
        del answers["skin"]
        assert problems_of(answers) == {"skin": "This answer is required."}

    def test_an_unknown_field_is_named_in_the_message(self):
        problems = problems_of(changed("patient.nickname", "Al"))
        assert problems == {"patient.nickname": '"nickname" is not a known field; remove it.'}

    def test_an_unknown_section_is_named(self):
        answers = healthy_answers()
        answers["extras"] = {}
        assert "extras" in problems_of(answers)["extras"]

    @pytest.mark.parametrize("path", ["patient.height_cm", "patient.weight_kg", "allergies.other", "medications.other",
                                      "veins.last_sclerotherapy_date"])
    def test_optional_fields_may_be_null_or_absent(self, path):
        assert intake_of(changed(path, None)) == intake_of(healthy_answers())

    def test_every_problem_is_reported_at_once(self):
        answers = changed("patient.full_name", "")
        answers = with_answer(answers, "skin.fitzpatrick_type", 9)
        answers = with_answer(answers, "consent.answers_confirmed", False)
        assert set(problems_of(answers)) == {"patient.full_name", "skin.fitzpatrick_type", "consent.answers_confirmed"}


class TestQuestionsAddedInVersion2:
    """``veins.bulging`` and ``clotting.reduced_mobility`` are required of a new intake; an intake
    stored before version 2 is read with them not asked, never guessed."""

    @pytest.mark.parametrize("path", ADDED_IN_VERSION_2)
    def test_a_new_intake_without_them_is_invalid(self, path):
        assert problems_of(removed(path)) == {path: "This answer is required."}

    def test_both_missing_are_reported_beside_other_problems(self):
        answers = removed("veins.bulging")
        del answers["clotting"]["reduced_mobility"]
        answers = with_answer(answers, "veins.prior_sclerotherapy_reactions", ["allergic"])
        answers = with_answer(answers, "clotting.immobile", "no")
        assert set(problems_of(answers)) == {"veins.bulging", "clotting.reduced_mobility",
                                             "veins.prior_sclerotherapy_reactions", "clotting.immobile"}

    @pytest.mark.parametrize(("path", "message"), [("veins.bulging", "Choose one of: yes, no or unsure."),
                                                   ("clotting.reduced_mobility", "Answer true or false.")])
    def test_null_is_not_an_answer(self, path, message):
        assert problems_of(changed(path, None)) == {path: message}

    @pytest.mark.parametrize("value", ["yes", "no", "unsure"])
    def test_bulging_takes_yes_no_or_unsure(self, value):
        assert intake_of(changed("veins.bulging", value)).veins.bulging == value

    def test_a_stored_version_1_intake_reads_with_the_new_questions_not_asked(self):
        answers = removed("veins.bulging")
        del answers["clotting"]["reduced_mobility"]
        intake = stored_intake(json.dumps(answers), AS_OF)
        assert intake.veins.bulging is None and intake.clotting.reduced_mobility is None
        assert intake.not_asked() == ("veins.bulging", "clotting.reduced_mobility")

    def test_a_stored_version_2_intake_has_nothing_not_asked(self):
        assert stored_intake(json.dumps(healthy_answers()), AS_OF).not_asked() == ()
        assert intake_of(healthy_answers()).not_asked() == ()

    def test_a_stored_intake_is_still_checked_otherwise(self):
        with pytest.raises(ValidationError):
            stored_intake(json.dumps(changed("veins.bulging", "maybe")), AS_OF)


class TestCrossFieldRules:
    def test_height_without_weight_is_reported_on_weight(self):
        assert problems_of(changed("patient.height_cm", 170)) == {
            "patient.weight_kg": "Give your weight as well as your height, or leave out both."
        }

    def test_weight_without_height_is_reported_on_height(self):
        assert list(problems_of(changed("patient.weight_kg", 70))) == ["patient.height_cm"]

    def test_an_invalid_height_is_reported_alone(self):
        assert list(problems_of(changed("patient.height_cm", 20))) == ["patient.height_cm"]

    def test_reactions_need_earlier_sclerotherapy(self):
        assert list(problems_of(changed("veins.prior_sclerotherapy_reactions", ["allergic"]))) == [
            "veins.prior_sclerotherapy_reactions"
        ]

    def test_last_session_date_needs_earlier_sclerotherapy(self):
        assert list(problems_of(changed("veins.last_sclerotherapy_date", "2026-01-01"))) == [
            "veins.last_sclerotherapy_date"
        ]

    def test_cross_field_problems_are_reported_beside_unrelated_ones(self):
        answers = with_answer(changed("veins.prior_sclerotherapy_reactions", ["allergic"]), "veins.largest_vein", "huge")
        answers = with_answer(answers, "patient.full_name", " ")
        answers = with_answer(answers, "patient.height_cm", 170)
        assert set(problems_of(answers)) == {
            "veins.prior_sclerotherapy_reactions", "veins.largest_vein", "patient.full_name", "patient.weight_kg",
        }

    def test_no_cross_field_report_when_prior_treatments_itself_is_invalid(self):
        answers = with_answer(changed("veins.prior_sclerotherapy_reactions", ["allergic"]), "veins.prior_treatments", ["x"])
        assert list(problems_of(answers)) == ["veins.prior_treatments.0"]

    @pytest.mark.parametrize("step, question", FOLLOW_UPS, ids=lambda item: getattr(item, "name", ""))
    def test_a_follow_up_given_although_not_asked_is_refused(self, step, question):
        """When a follow-up is asked is declared once, on its question; the model's check reads it there."""
        value = [next(iter(question.choices))] if question.kind == "multi" else "2026-01-01"
        answers = changed(f"{step.section}.{question.name}", value)
        assert not question.is_asked(answers[step.section])
        assert list(problems_of(answers)) == [f"{step.section}.{question.name}"]

    def test_follow_ups_are_accepted_after_sclerotherapy(self):
        answers = with_answer(changed("veins.prior_treatments", ["sclerotherapy"]), "veins.last_sclerotherapy_date", "2026-01-01")
        answers = with_answer(answers, "veins.prior_sclerotherapy_reactions", ["allergic", "marked_pigmentation"])
        assert intake_of(answers).veins.last_sclerotherapy_date == date(2026, 1, 1)

    def test_consent_must_be_confirmed(self):
        assert list(problems_of(changed("consent.answers_confirmed", False))) == ["consent.answers_confirmed"]

    def test_other_combinations_are_not_questioned(self):
        answers = with_answer(changed("reproductive.pregnancy", "yes"), "patient.sex_at_birth", "male")
        assert intake_of(answers).reproductive.pregnancy == "yes"


class TestDates:
    def test_date_of_birth_not_in_the_future(self):
        assert list(problems_of(changed("patient.date_of_birth", "2026-11-22"))) == ["patient.date_of_birth"]

    def test_born_today_is_accepted(self):
        assert intake_of(changed("patient.date_of_birth", "2026-11-21"))

    @pytest.mark.parametrize(("birth", "valid"), [("1906-11-21", True), ("1905-11-22", True), ("1905-11-21", False)])
    def test_age_at_most_120(self, birth, valid):
        answers = changed("patient.date_of_birth", birth)
        if valid:
            assert intake_of(answers)
        else:
            assert list(problems_of(answers)) == ["patient.date_of_birth"]

    def test_last_session_not_in_the_future(self):
        answers = with_answer(changed("veins.prior_treatments", ["sclerotherapy"]), "veins.last_sclerotherapy_date", "2026-11-22")
        assert problems_of(answers) == {"veins.last_sclerotherapy_date": "This date is in the future; check the year."}

    @pytest.mark.parametrize(("birth", "on", "age"), [
        ("2000-02-29", "2024-02-29", 24), ("2000-02-29", "2024-02-28", 23),
        ("2000-02-29", "2023-02-28", 22), ("2000-02-29", "2023-03-01", 23),
        ("1984-03-09", "2026-03-08", 41), ("1984-03-09", "2026-03-09", 42),
    ])
    def test_age_in_completed_years(self, birth, on, age):
        assert age_in_years(date.fromisoformat(birth), date.fromisoformat(on)) == age


class TestTexts:
    NAMES = ["Zoë Ελένη Юлия", "王秀英", "やまだ たろう", "김민준", "O'Brien & <b>Sons</b> \"Q\"", "  Padded  "]

    @pytest.mark.parametrize("name", NAMES)
    def test_names_are_kept_exactly_as_typed(self, name):
        assert intake_of(changed("patient.full_name", name)).patient.full_name == name

    @pytest.mark.parametrize("name", ["", "   ", "\t"])
    def test_a_blank_name_is_refused(self, name):
        assert problems_of(changed("patient.full_name", name)) == {"patient.full_name": "This cannot be left blank."}

    @pytest.mark.parametrize("name", ["Alex\nExample", "Alex\x00", "Alex\u2028Example", "Alex\x1b[31m"])
    def test_control_characters_are_refused_in_names(self, name):
        assert list(problems_of(changed("patient.full_name", name))) == ["patient.full_name"]

    def test_name_length_counts_characters_after_trimming(self):
        assert intake_of(changed("patient.full_name", "  " + "é" * 200 + "  "))
        assert list(problems_of(changed("patient.full_name", "é" * 201))) == ["patient.full_name"]

    def test_signature_is_not_compared_with_the_name(self):
        assert intake_of(changed("consent.signature", "Parent of Alex")).consent.signature == "Parent of Alex"

    def test_free_texts_keep_line_breaks_and_tabs(self):
        text = "Penicillin\n\tNuts & <latex> \"x\""
        assert intake_of(changed("allergies.other", text)).allergies.other == text

    def test_free_text_length_limits(self):
        assert intake_of(changed("allergies.other", "a" * 500))
        assert list(problems_of(changed("allergies.other", "a" * 501))) == ["allergies.other"]
        assert intake_of(changed("medications.other", "m" * 1000 + "   "))
        assert list(problems_of(changed("medications.other", "m" * 1001))) == ["medications.other"]

    def test_a_blank_free_text_is_valid(self):
        assert intake_of(changed("medications.other", "   ")).medications.other == "   "

    def test_other_control_characters_are_refused_in_free_texts(self):
        assert list(problems_of(changed("medications.other", "a\x07b"))) == ["medications.other"]


class TestRepeatedKeys:
    def test_an_answer_given_twice_is_refused_not_silently_replaced(self):
        text = json.dumps(healthy_answers()).replace('"pregnancy": "no"', '"pregnancy": "yes", "pregnancy": "no"')
        assert problems_of(text) == {"reproductive.pregnancy": "This answer is given more than once; give it once."}

    def test_a_section_given_twice_is_refused(self):
        text = json.dumps(healthy_answers())
        text = text[:-1] + ', "skin": {"fitzpatrick_type": 2, "pigmentation_history": false, "current_tan": false}}'
        assert problems_of(text) == {"skin": "This answer is given more than once; give it once."}

    def test_repeated_keys_are_reported_beside_other_problems(self):
        text = json.dumps(changed("lifestyle.smoker", "yes")).replace('"asthma": false', '"asthma": false, "asthma": true')
        assert problems_of(text) == {"allergies.asthma": "This answer is given more than once; give it once.",
                                     "lifestyle.smoker": "Answer true or false."}


class TestInvisibleAndDirectionalCharacters:
    @pytest.mark.parametrize("name", ["\u200b", "\ufeff", "\u3164", "\u2800", " \u200b\u200d "])
    def test_a_name_of_only_invisible_characters_is_blank(self, name):
        assert problems_of(changed("patient.full_name", name)) == {"patient.full_name": "This cannot be left blank."}
        assert list(problems_of(changed("consent.signature", name))) == ["consent.signature"]

    @pytest.mark.parametrize("name", ["\u202eZoë", "Zoë\u2067x\u2069"])
    def test_directional_controls_are_refused_in_names(self, name):
        assert list(problems_of(changed("patient.full_name", name))) == ["patient.full_name"]

    def test_joiners_inside_a_name_are_kept(self):
        name = "क्\u200dष Zoë"
        assert intake_of(changed("patient.full_name", name)).patient.full_name == name

    @pytest.mark.parametrize("value", ["١٩٨٤-٠٣-٠٩", "１９８４-03-09"])
    def test_dates_need_ascii_digits(self, value):
        assert problems_of(changed("patient.date_of_birth", value)) == {
            "patient.date_of_birth": "Enter a date as YYYY-MM-DD, for example 1984-03-09."
        }


def test_an_as_of_context_that_is_not_a_date_is_an_error_not_today():
    with pytest.raises(TypeError):
        Intake.model_validate_json(json.dumps(healthy_answers()), context={"as_of": "2026-11-21"})


@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf", "\ufeff"])
def test_the_pydantic_api_accepts_a_byte_order_mark(bom):
    text = json.dumps(healthy_answers())
    data = bom + (text.encode() if isinstance(bom, bytes) else text)
    assert Intake.model_validate_json(data, context={"as_of": AS_OF}) == intake_of(healthy_answers())
