"""Heights, weights and dates as patients give them, and the questions that cannot apply.

- A height is given in centimetres or in feet and inches; a weight in kilograms, in stones
  and pounds, or in pounds. The stored value is in cm and kg, converted exactly.
- The range of the contract (50–250 cm, 20–350 kg) holds exactly in every unit: the last
  value inside it is accepted and the first outside it refused with a plain message that
  names the range in the unit the patient chose.
- The stored number is the exact conversion, so the BMI the rules compute is the BMI of
  what the patient typed: no rounding can move it across 30.0.
- The record keeps how the patient entered a height or weight given in another unit.
- A date is chosen as day, month name and year; a day the month does not have is refused
  with a message, never changed silently.
- A patient whose sex at birth is male is not asked about pregnancy, breastfeeding or a recent
  birth; the record holds not applicable / no. Everyone else is asked.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.patient.answers import section_data, step_answers, step_problems
from app.patient.widgets import widget_key
from factories import AS_OF, healthy_answers, with_answer
from unit_cases import BOUNDARIES, MESSAGES, NEGATIVE
from screener.clinical.questionnaire import STEP_BY_SECTION
from screener.clinical.conditions import body_mass_index
from screener.storage import Store
from screener.language.units import to_stored
from wizard_driver import (  # data_dir is a fixture
    click, data_dir, errors_under, fill_step, new_app, question_block, screen, sign, start, walk_to_review,
)

PATIENT = STEP_BY_SECTION["patient"]

# (question, unit, parts typed, accepted?): the last whole or decimal value inside each bound and the first outside;
# and values just outside that arithmetic in floats would round onto the bound.
PARTNER = {"height_cm": ("weight_kg", 70.0), "weight_kg": ("height_cm", 170.0)}


def typed(question: str, unit: str, parts: dict) -> dict:
    """The patient step's answers after typing ``parts`` of ``question`` in ``unit``."""
    raw = {f"{question}.unit": unit}
    stored_unit = PATIENT.question(question).unit
    raw.update({question if unit == stored_unit else f"{question}.{unit}.{part}": float(value)
                for part, value in parts.items()})
    return raw


def test_an_inch_and_a_pound_convert_exactly():
    assert to_stored("ft_in", {"feet": 5, "inches": 6}) == Decimal("167.64")
    assert to_stored("st_lb", {"stones": 10, "pounds": 0}) == Decimal("63.5029318")
    assert to_stored("lb", {"pounds": 1}) == Decimal("0.45359237")
    assert to_stored("ft_in", {"feet": 5, "inches": None}) == Decimal("152.40")
    assert to_stored("ft_in", {"feet": None, "inches": None}) is None


@pytest.mark.parametrize("question, unit, parts, accepted", BOUNDARIES)
def test_the_range_holds_exactly_in_every_unit(question, unit, parts, accepted):
    raw = typed(question, unit, parts)
    problems = step_problems(PATIENT, raw, AS_OF)
    assert (question not in problems) == accepted
    if not accepted:
        assert problems[question] == MESSAGES[unit]
    else:
        assert Decimal(repr(section_data(PATIENT, raw)[question])) == to_stored(unit, parts), "stored without rounding"


@pytest.mark.parametrize("question, unit, parts", NEGATIVE)
def test_a_negative_part_gets_the_range_message_of_its_unit(question, unit, parts):
    assert step_problems(PATIENT, typed(question, unit, parts), AS_OF)[question] == MESSAGES[unit]


@pytest.mark.parametrize("feet, inches", [(4, 11), (5, 6), (6, 2)])
def test_the_bmi_of_the_stored_values_is_the_bmi_of_what_was_typed(feet, inches):
    height = to_stored("ft_in", {"feet": feet, "inches": inches})
    for pounds in (Decimal(tenths) / 10 for tenths in range(900, 4000, 7)):
        weight = to_stored("lb", {"pounds": pounds})
        exact = (weight / (height / 100) ** 2).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
        assert body_mass_index(float(height), float(weight)) == exact


def _type_in_unit(at, question: str, unit: str, parts: dict) -> None:
    at.radio(key=widget_key("patient", question, "unit")).set_value(unit).run()
    stored_unit = PATIENT.question(question).unit
    for part, value in parts.items():
        key = widget_key("patient", question, *(() if unit == stored_unit else (unit, part)))
        at.number_input(key=key).set_value(float(value))
    at.run()


@pytest.mark.parametrize("unit", list(MESSAGES))
def test_the_wizard_converts_each_unit_at_its_boundaries(data_dir, unit):
    at = start(new_app())
    fill_step(at, PATIENT, healthy_answers()["patient"])
    cases = [case for case in BOUNDARIES if case[1] == unit]
    question = cases[0][0]
    partner, partner_value = PARTNER[question]
    at.number_input(key=widget_key("patient", partner)).set_value(partner_value).run()
    for _, _, parts, accepted in cases:
        _type_in_unit(at, question, unit, parts)
        click(at, "forward")
        if accepted:
            assert screen(at) == "veins"
            data = section_data(PATIENT, at.session_state["answers"]["patient"])
            assert Decimal(repr(data[question])) == to_stored(unit, parts)
            click(at, "back")
        else:
            assert screen(at) == "patient" and errors_under(at, "patient", question) == [MESSAGES[unit]]


def test_choosing_another_unit_takes_the_message_of_the_unit_before_away(data_dir):
    at = start(new_app())
    fill_step(at, PATIENT, healthy_answers()["patient"])
    _type_in_unit(at, "height_cm", "cm", {"cm": 1650})
    click(at, "forward")
    assert errors_under(at, "patient", "height_cm") == [MESSAGES["cm"]]
    at.radio(key=widget_key("patient", "height_cm", "unit")).set_value("ft_in").run()
    assert errors_under(at, "patient", "height_cm") == []


def test_the_record_keeps_the_unit_the_patient_used(data_dir):
    at = start(new_app())
    fill_step(at, PATIENT, healthy_answers()["patient"])
    _type_in_unit(at, "height_cm", "ft_in", {"feet": 5, "inches": 6})
    _type_in_unit(at, "weight_kg", "st_lb", {"stones": 10, "pounds": 0})
    click(at, "forward")
    for step in list(STEP_BY_SECTION.values())[1:]:
        fill_step(at, step, healthy_answers()[step.section])
        click(at, "forward")
    sign(at, "Alex Example")
    with Store(Store.default_url(data_dir)) as store:
        [summary] = store.list_submissions()
        record = store.get_submission(summary.id)
    assert record.intake.patient.height_cm == 167.64 and record.intake.patient.weight_kg == 63.5029318
    assert record.capture.entered == {"patient.height_cm": "5 ft 6 in", "patient.weight_kg": "10 st 0 lb"}


def test_a_day_the_month_does_not_have_is_refused_not_changed(data_dir):
    at = start(new_app())
    fill_step(at, PATIENT, with_answer(healthy_answers(), "patient.date_of_birth", None)["patient"])
    for part, value in (("day", 31), ("month", 2), ("year", 1990)):
        at.selectbox(key=widget_key("patient", "date_of_birth", part)).set_value(value)
    click(at.run(), "forward")
    assert screen(at) == "patient"
    assert errors_under(at, "patient", "date_of_birth") == ["February 1990 has no day 31. Please choose the day again."]
    assert at.selectbox(key=widget_key("patient", "date_of_birth", "day")).value == 31, "nothing chosen is changed"
    at.selectbox(key=widget_key("patient", "date_of_birth", "month")).set_value(None).run()
    click(at, "forward")
    assert errors_under(at, "patient", "date_of_birth") == ["Please choose the day, the month and the year."]


def test_a_male_patient_is_not_asked_about_pregnancy_and_the_record_says_not_applicable(data_dir):
    answers = with_answer(healthy_answers(), "patient.sex_at_birth", "male")
    at = walk_to_review(new_app(), answers)
    click(at, "change-reproductive")
    for name in ("pregnancy", "breastfeeding", "gave_birth_last_3_months"):
        assert question_block(at, "reproductive", name) is None
    assert question_block(at, "reproductive", "hormonal_medication") is not None
    click(at, "forward")
    sign(at, "Alex Example")
    with Store(Store.default_url(data_dir)) as store:
        [summary] = store.list_submissions()
        reproductive = store.get_submission(summary.id).intake.reproductive
    assert (reproductive.pregnancy, reproductive.breastfeeding, reproductive.gave_birth_last_3_months) == (
        "not_applicable", False, False)


@pytest.mark.parametrize("sex, asked", [("male", False), ("female", True), ("intersex", True),
                                        ("prefer_not_to_say", True), (None, True)])
def test_only_a_male_patient_skips_the_pregnancy_questions(sex, asked):
    step = STEP_BY_SECTION["reproductive"]
    answers = {"patient": {"sex_at_birth": sex}, "reproductive": {"hormonal_medication": False}}
    problems = step_problems(step, step_answers(step, answers), AS_OF)
    assert ({"pregnancy", "breastfeeding", "gave_birth_last_3_months"} <= set(problems)) == asked
    assert (problems == {}) == (not asked)
