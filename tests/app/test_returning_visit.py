"""A returning visit on the tablet (AppTest): the visit code, "Has anything changed?", and what is stored.

- A code prepared from the patient's page opens the wizard with the last visit's answers: each step
  shows them and asks "Has anything changed?"; No keeps them and asks only the questions about today
  (pregnancy, a journey soon...), never copied; Yes opens the step with the answers filled in.
- The patient changes one step; the stored submission names the one it started from, belongs to the
  patient, and differs from it in exactly that answer (and the ones about today, answered again).
- Not answering "Has anything changed?" keeps the patient on the step, saying why.
- A wrong, expired or used code gets the same words and nothing of anyone's answers; after 5 wrong
  codes the tablet is paused, even for the right code.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from factories import AS_OF, everything_answers, healthy_answers, intake_of, with_answer
from wizard_driver import click, data_dir, fill_step, new_app, screen, sign, widget  # noqa: F401

from app.patient.answers import implied_answers
from screener import assess
from screener.clinical.questionnaire import STEPS
from screener.language import screens
from screener.storage import Store

AS_OF_MOMENT = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)
FIRST = with_answer(with_answer(healthy_answers(), "lifestyle.smoker", True), "reproductive.hormonal_medication", True)


def clinic_with_a_first_visit(data_dir, answers=FIRST) -> tuple[Store, str, str]:
    """A store with one submission linked to its patient: (store, patient id, submission id)."""
    store = Store(Store.default_url(data_dir))
    intake = intake_of(answers)
    first = store.save_submission(intake, assess(intake, AS_OF), AS_OF_MOMENT)
    patient = store.patients.add_from_submission(first, by="ada", at=AS_OF_MOMENT)
    return store, patient.id, first


def type_code(at, code: str):
    at = click(at.run(), "have-code")
    assert screen(at) == "visit-code"
    at.text_input(key="visit-code").input(code)
    return click(at, "forward")


def answer_changed(at, section: str, changed: bool):
    at.radio(key=f"changed-{section}").set_value("yes" if changed else "no")
    return at.run()


def fresh_only(step):
    return {question.name for question in step.questions if question.fresh}


def test_a_returning_patient_taps_no_change_changes_one_step_and_the_record_shows_exactly_that(data_dir):
    store, patient_id, first = clinic_with_a_first_visit(data_dir)
    code = store.visits.prepare(patient_id, by="ada", at=datetime.now(timezone.utc)).code
    at = type_code(new_app(), code)
    assert screen(at) == STEPS[0].section
    today = FIRST | {"lifestyle": {**FIRST["lifestyle"], "smoker": False}}  # stopped smoking
    for step in STEPS:
        assert screen(at) == step.section
        shown = [element.value for element in at.subheader]
        assert screens.LAST_TIME_HEADING in shown
        changed = step.section == "lifestyle"
        at = answer_changed(at, step.section, changed)
        drawn = {key.split("-")[2] for key in (element.key or "" for element in at.radio) if key.startswith("answer-")}
        if not changed:
            assert drawn <= fresh_only(step), f"{step.section}: only the questions about today are asked"
            not_asked = frozenset(implied_answers(step, {"patient": today["patient"]})) | (
                {question.name for question in step.questions if not question.fresh})
            fill_step(at, step, today[step.section], frozenset(not_asked))
        else:
            assert widget(at, "radio", f"answer-{step.section}-smoker").value is True, "filled in from last time"
            fill_step(at, step, today[step.section], frozenset())
        at = click(at, "forward")
    assert screen(at) == "review"
    at = sign(at, "Alex Example")
    assert screen(at) == "thanks"
    [summary] = [s for s in store.list_submissions() if s.id != first]
    second = store.get_submission(summary.id)
    assert (second.patient_id, second.previous_submission_id, second.visit_kind) == (patient_id, first, "returning")
    before = store.get_submission(first).intake
    differing = {(name, field) for name, section in second.intake if name != "consent"
                 for field, value in section if getattr(getattr(before, name), field) != value}
    assert differing == {("lifestyle", "smoker")}
    assert [flag.rule_id for flag in second.assessment.flags] == ["HORMONAL-THERAPY"]


def test_has_anything_changed_must_be_answered(data_dir):
    store, patient_id, _ = clinic_with_a_first_visit(data_dir)
    at = type_code(new_app(), store.visits.prepare(patient_id, by="ada", at=datetime.now(timezone.utc)).code)
    at = click(at, "forward")
    assert screen(at) == STEPS[0].section
    assert screens.CHANGED_NEEDED in [element.value for element in at.error]


def test_answers_about_today_are_never_copied(data_dir):
    answers = with_answer(with_answer(everything_answers(), "lifestyle.long_travel_planned", True),
                          "reproductive.pregnancy", "yes")
    answers["patient"]["date_of_birth"] = "1990-01-01"
    store, patient_id, _ = clinic_with_a_first_visit(data_dir, answers)
    at = type_code(new_app(), store.visits.prepare(patient_id, by="ada", at=datetime.now(timezone.utc)).code)
    for section, name in [("reproductive", "pregnancy"), ("lifestyle", "long_travel_planned"),
                          ("veins", "last_sclerotherapy_date"), ("health", "acute_illness_or_fever")]:
        assert name not in at.session_state["answers"][section], name
    assert at.session_state["answers"]["lifestyle"]["smoker"] is True


@pytest.mark.parametrize("which", ["wrong", "expired", "used"])
def test_a_wrong_expired_or_used_code_gets_the_same_words_and_nothing_else(data_dir, which):
    store, patient_id, _ = clinic_with_a_first_visit(data_dir)
    now = datetime.now(timezone.utc)
    prepared = store.visits.prepare(patient_id, by="ada", at=now - (timedelta(minutes=16) if which == "expired"
                                                                     else timedelta(0)))
    code = prepared.code if which != "wrong" else ("000000" if prepared.code != "000000" else "111111")
    if which == "used":
        type_code(new_app(), code)
    at = type_code(new_app(), code)
    assert screen(at) == "visit-code"
    assert [element.value for element in at.error] == [screens.VISIT_CODE_REFUSED]
    assert at.session_state["answers"] == {} and at.session_state["visit"] is None
    assert widget(at, "text_input", "visit-code").value == "", "the code is not left on screen"


def test_five_wrong_codes_pause_the_tablet_even_for_the_right_one(data_dir):
    store, patient_id, _ = clinic_with_a_first_visit(data_dir)
    good = store.visits.prepare(patient_id, by="ada", at=datetime.now(timezone.utc)).code
    wrong = "000000" if good != "000000" else "111111"
    at = new_app()
    for _ in range(5):
        at = type_code(at, wrong)
        at = click(at, "back")
    at = type_code(at, good)
    assert [element.value for element in at.error] == [screens.VISIT_CODE_PAUSED]
    assert at.session_state["visit"] is None
