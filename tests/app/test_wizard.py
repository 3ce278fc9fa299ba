"""The patient wizard, walked with Streamlit's AppTest.

- A patient who answers every step, checks the review and signs ends with exactly one
  stored record, whose assessment is what ``screener.assess`` gives on the day of signing.
- A step with a missing answer does not advance; the message stands under that question.
- Back and Next keep every answer, also of steps that are not on screen.
- The review shows every answer literally and lets the patient change a step and return.
- If the record cannot be stored, the patient is told to ask staff and nothing is lost.
- After submission, and after an abandoned session times out, nothing of the patient is left.
- Two tablets at once never see each other's answers.
- The patient never sees a flag or the decision; nothing the patient typed reaches the log.
"""

from __future__ import annotations

import logging
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.patient.answers import NONE
from app.patient.widgets import widget_key
from factories import everything_answers, healthy_answers, intake_of, with_answer
from screener import assess
from screener.clinical.questionnaire import DECISION_LABELS, STEPS
from screener.language.screens import (
    DETAILS_NEEDED, REVIEW_SECTION_INCOMPLETE, SAVE_FAILED, STEP_HAS_PROBLEMS, WELCOME_TITLE,
)
from screener.storage import StorageError, Store
from wizard_driver import (  # data_dir is a fixture
    click, data_dir, date_shown, errors_under, fill_step, new_app, question_block, screen, sign, start, to_signature,
    walk_to_review,
    widget,
)

HOSTILE_NAME = "Zoë <b>&amp;</b> *Ελένη* [Юлия](x) 王秀英"
PATIENT_KEYS = ("answer-", "consent-")


@pytest.fixture
def store(data_dir):
    with Store(Store.default_url(data_dir)) as opened:
        yield opened


def stored(store: Store) -> list:
    return [store.get_submission(summary.id) for summary in store.list_submissions()]


def everything_on_screen(at) -> list[str]:
    """The text of every element, label and choice on screen now."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "error", "warning", "info", "success"):
        parts += [str(element.value) for element in getattr(at, kind)]
    parts += [element.label for element in at.button] + [element.label for element in at.checkbox]
    parts += [option for radio in at.radio for option in radio.options]
    return parts


def holds_nothing_of_a_patient(at) -> bool:
    state = at.session_state
    keys = [key for key in state.keys() if key.startswith(PATIENT_KEYS)]
    return state["answers"] == {} and state["consent"] == {} and not keys


def test_the_happy_path_stores_one_record_with_the_assessment_of_the_day(data_dir, store):
    answers = healthy_answers()
    at = sign(walk_to_review(new_app(), answers), "Alex Example")

    assert screen(at) == "thanks" and not at.exception
    [record] = stored(store)
    signed_at = record.intake.consent.signed_at
    assert signed_at.utcoffset() is not None and signed_at.date() == date.today()
    expected = intake_of(answers, as_of=date.today())
    assert record.intake.model_dump(exclude={"consent"}) == expected.model_dump(exclude={"consent"})
    assert record.intake.consent.signature == "Alex Example" and record.intake.consent.answers_confirmed
    assert record.assessment == assess(record.intake, as_of=signed_at.date())
    assert record.assessment.assessed_on == date.today()


def test_the_assessment_date_is_the_clinics_date_of_signing(data_dir, store, monkeypatch):
    # UTC+14: its date differs from the server's (UTC here) for most of every day.
    monkeypatch.setenv("SCREENER_TIMEZONE", "Pacific/Kiritimati")
    sign(walk_to_review(new_app(), healthy_answers()), "Alex Example")
    [record] = stored(store)
    assert record.intake.consent.signed_at.utcoffset() == timedelta(hours=14)
    assert record.assessment.assessed_on == datetime.now(ZoneInfo("Pacific/Kiritimati")).date()


def test_every_follow_up_and_free_text_is_stored_exactly_as_answered(data_dir, store):
    answers = everything_answers()
    sign(walk_to_review(new_app(), answers), answers["consent"]["signature"])

    [record] = stored(store)
    expected = intake_of(answers, as_of=date.today())
    assert record.intake.model_dump(exclude={"consent"}) == expected.model_dump(exclude={"consent"})
    assert record.assessment == assess(record.intake, as_of=date.today())


def test_each_step_refuses_to_advance_and_says_why_under_each_unanswered_question(data_dir):
    at = start(new_app())
    for step in STEPS:
        click(at, "forward")
        assert screen(at) == step.section
        assert STEP_HAS_PROBLEMS in at.warning.values
        for question in step.questions:
            block = question_block(at, step.section, question.name)
            if block is None:
                continue  # a follow-up that is not asked
            required = not question.optional or question.kind == "long_text"  # the yes/no before a free text
            assert bool(errors_under(at, step.section, question.name)) == required, question.name
            if required:
                assert block[-1].type == "error", "the message comes right after the question's widget"
        fill_step(at, step, healthy_answers()[step.section])
        assert errors_under(at, step.section, step.questions[0].name) == [], "the message goes with the answer"
        click(at, "forward")


@pytest.mark.parametrize(
    "path, value, question, message",
    [
        ("patient.height_cm", 170, "weight_kg", "Give your weight as well as your height, or leave out both."),
        ("patient.weight_kg", 70, "height_cm", "Give your height as well as your weight, or leave out both."),
        ("patient.height_cm", 20, "height_cm", "Please enter your height in centimetres, between 50 cm and 250 cm."),
        ("patient.full_name", "   ", "full_name", "This cannot be left blank."),
        ("patient.date_of_birth", "1900-01-01", "date_of_birth", "This gives an age over 120 years; check the year of birth."),
    ],
)
def test_an_invalid_answer_is_explained_under_its_question(data_dir, path, value, question, message):
    at = start(new_app())
    fill_step(at, STEPS[0], with_answer(healthy_answers(), path, value)["patient"])
    click(at, "forward")
    assert screen(at) == "patient"
    assert errors_under(at, "patient", question) == [message]


def test_a_free_text_is_asked_only_after_yes_and_then_cannot_be_blank(data_dir):
    at = walk_to_review(new_app(), healthy_answers())
    click(at, "change-allergies")
    assert widget(at, "text_area", widget_key("allergies", "other")) is None
    widget(at, "radio", widget_key("allergies", "other", "gate")).set_value(True).run()
    widget(at, "text_area", widget_key("allergies", "other")).input("  ").run()
    click(at, "forward")
    assert screen(at) == "allergies" and errors_under(at, "allergies", "other") == [DETAILS_NEEDED]

    widget(at, "text_area", widget_key("allergies", "other")).input("Penicillin").run()
    widget(at, "radio", widget_key("allergies", "other", "gate")).set_value(False).run()
    widget(at, "radio", widget_key("allergies", "other", "gate")).set_value(True).run()
    assert widget(at, "text_area", widget_key("allergies", "other")).value == "Penicillin", "nothing typed is lost"


def test_every_text_box_takes_twice_its_answers_limit_and_no_more(data_dir):
    # Bounded input: the browser stops typing there, so nothing larger reaches the server, while an
    # answer just over its limit still gets the plain "use at most" message.
    at = walk_to_review(new_app(), healthy_answers())
    boxes = {}
    for section, name, kind in [("patient", "full_name", "text_input"), ("allergies", "other", "text_area"),
                                ("medications", "other", "text_area")]:
        click(at, f"change-{section}")
        if name == "other":
            widget(at, "radio", widget_key(section, name, "gate")).set_value(True).run()
        boxes[f"{section}.{name}"] = widget(at, kind, widget_key(section, name)).max_chars
        if name == "other":
            widget(at, "radio", widget_key(section, name, "gate")).set_value(False).run()
        for _ in STEPS:
            if screen(at) == "review":
                break
            click(at, "forward")
        assert screen(at) == "review", at.session_state["problems"]
    to_signature(at)
    boxes["consent.signature"] = at.text_input(key="consent-signature").max_chars
    assert boxes == {"patient.full_name": 400, "allergies.other": 1000, "medications.other": 2000,
                     "consent.signature": 400}


def test_follow_ups_appear_only_after_earlier_sclerotherapy(data_dir):
    at = start(new_app())
    fill_step(at, STEPS[0], healthy_answers()["patient"])
    click(at, "forward")
    assert question_block(at, "veins", "last_sclerotherapy_date") is None
    assert question_block(at, "veins", "prior_sclerotherapy_reactions") is None
    at.checkbox(key=widget_key("veins", "prior_treatments", "sclerotherapy")).check().run()
    assert question_block(at, "veins", "last_sclerotherapy_date") is not None
    assert question_block(at, "veins", "prior_sclerotherapy_reactions") is not None


def test_none_of_these_and_the_other_choices_exclude_each_other(data_dir):
    at = start(new_app())
    key = widget_key("veins", "prior_treatments", "{}")
    fill_step(at, STEPS[0], healthy_answers()["patient"])
    click(at, "forward")
    at.checkbox(key=key.format("laser_or_ipl")).check().run()
    at.checkbox(key=key.format(NONE)).check().run()
    assert not at.checkbox(key=key.format("laser_or_ipl")).value
    at.checkbox(key=key.format("sclerotherapy")).check().run()
    assert not at.checkbox(key=key.format(NONE)).value
    assert at.session_state["answers"]["veins"]["prior_treatments"] == ["sclerotherapy"]
    assert widget(at, "checkbox", widget_key("veins", "areas", NONE)) is None, "areas needs at least one"


def test_choices_start_unselected_so_every_answer_is_deliberate(data_dir):
    at = start(new_app())
    assert at.radio(key=widget_key("patient", "sex_at_birth")).value is None
    assert date_shown(at, "patient", "date_of_birth") is None
    assert [number.value for number in at.number_input] == [None, None]
    fill_step(at, STEPS[0], healthy_answers()["patient"])
    click(at, "forward")
    assert all(not box.value for box in at.checkbox)


def test_back_and_next_keep_every_answer(data_dir):
    answers = everything_answers()
    at = start(new_app())
    for step in STEPS[:3]:
        fill_step(at, step, answers[step.section])
        click(at, "forward")
    for _ in range(3):
        click(at, "back")
    assert screen(at) == "patient"
    assert at.text_input(key=widget_key("patient", "full_name")).value == answers["patient"]["full_name"]
    assert date_shown(at, "patient", "date_of_birth") == date(2010, 2, 28)
    assert at.number_input(key=widget_key("patient", "weight_kg")).value == 95.5
    click(at, "forward")
    assert at.checkbox(key=widget_key("veins", "prior_sclerotherapy_reactions", "allergic")).value
    assert date_shown(at, "veins", "last_sclerotherapy_date") == date(2026, 11, 1)
    click(at, "forward")
    click(at, "forward")
    assert screen(at) == STEPS[3].section, "nothing had to be answered again"


def test_back_from_the_signature_keeps_the_tick_the_typed_name_and_the_consent_to_treatment(data_dir):
    at = to_signature(walk_to_review(new_app(), healthy_answers()), questions="Will it hurt?")
    at.checkbox(key="consent-answers_confirmed").check()
    at.text_input(key="consent-signature").input("Alex Example")
    click(at, "back")
    assert screen(at) == "treatment-consent"
    assert at.radio(key="tc-decision").value == "agreed" and at.text_area(key="tc-questions").value == "Will it hurt?"
    click(at, "back")
    assert screen(at) == "review"
    click(click(at, "forward"), "forward")
    assert screen(at) == "consent"
    assert at.checkbox(key="consent-answers_confirmed").value
    assert at.text_input(key="consent-signature").value == "Alex Example"
    assert at.session_state["treatment_consent"]["signature"], "the drawn signature is kept"


def test_the_review_shows_every_answer_and_a_change_returns_to_it(data_dir):
    at = walk_to_review(new_app(), healthy_answers())
    assert [button.key for button in at.button if button.key.startswith("change-")] == [
        f"change-{step.section}" for step in STEPS]
    assert "Alex Example" in at.text.values and "9 March 1984" in at.text.values

    click(at, "change-patient")
    assert screen(at) == "patient"
    at.text_input(key=widget_key("patient", "full_name")).input("Alexandra Example").run()
    click(at, "forward")
    assert screen(at) == "review"
    assert "Alexandra Example" in at.text.values and "Alex Example" not in at.text.values

    click(at, "change-lifestyle")
    click(at, "back")
    assert screen(at) == "review", "Back from a change returns to the review too"


def test_the_review_sends_the_patient_to_a_step_left_incomplete(data_dir):
    at = walk_to_review(new_app(), healthy_answers())
    click(at, "change-patient")
    at.text_input(key=widget_key("patient", "full_name")).input("").run()
    click(at, "back")
    assert REVIEW_SECTION_INCOMPLETE in at.error.values
    click(at, "forward")
    assert screen(at) == "patient"
    assert errors_under(at, "patient", "full_name") == ["This cannot be left blank."]


def test_patient_text_is_shown_literally_never_as_markup(data_dir):
    answers = with_answer(healthy_answers(), "patient.full_name", HOSTILE_NAME)
    at = walk_to_review(new_app(), answers)
    assert HOSTILE_NAME in at.text.values
    assert not any("Ελένη" in element.value for element in (*at.markdown, *at.caption, *at.title, *at.header))


def test_a_storage_failure_keeps_every_answer_and_asks_for_staff(data_dir, store, monkeypatch):
    def fail(*_args, **_kwargs):
        raise StorageError("The answers could not be saved (the database cannot be written).")

    at = walk_to_review(new_app(), healthy_answers())
    with monkeypatch.context() as patch:
        patch.setattr(Store, "save_submission", fail)
        sign(at, "Alex Example")
        assert screen(at) == "consent" and not at.exception
        assert SAVE_FAILED in at.error.values
        assert at.text_input(key="consent-signature").value == "Alex Example"
        assert at.checkbox(key="consent-answers_confirmed").value
        assert at.session_state["answers"]["patient"]["full_name"] == "Alex Example"
    click(at, "forward")
    assert screen(at) == "thanks"
    assert len(stored(store)) == 1


def test_an_unexpected_failure_asks_for_staff_and_logs_nothing_of_the_patient(data_dir, monkeypatch, caplog):
    def fail(_store, intake, *_args, **_kwargs):
        raise RuntimeError(f"{intake.patient.full_name} could not be saved")

    monkeypatch.setattr(Store, "save_submission", fail)
    with caplog.at_level(logging.DEBUG):
        at = sign(walk_to_review(new_app(), healthy_answers()), "Alex Example")
    assert screen(at) == "consent" and SAVE_FAILED in at.error.values and not at.exception
    assert "RuntimeError" in caplog.text and "Alex Example" not in caplog.text


def test_the_patient_never_sees_flags_or_the_decision(data_dir, store):
    answers = everything_answers()
    at = walk_to_review(new_app(), answers)
    seen = everything_on_screen(at)
    sign(at, answers["consent"]["signature"])
    seen += everything_on_screen(at)
    [record] = stored(store)
    flags = record.assessment.flags
    assert flags
    assert not {*DECISION_LABELS.values(), record.assessment.decision, *(flag.title for flag in flags)} & set(seen)
    for sentence in (*(flag.reason for flag in flags), *(flag.action for flag in flags), *(flag.rule_id for flag in flags)):
        assert not any(sentence in text for text in seen)


def test_after_submission_the_next_patient_starts_blank(data_dir):
    at = sign(walk_to_review(new_app(), healthy_answers()), "Alex Example")
    assert screen(at) == "thanks" and holds_nothing_of_a_patient(at)
    assert not any("Alex Example" in text for text in everything_on_screen(at))
    click(at, "next-patient")
    assert screen(at) == "welcome"
    click(at, "start")
    assert at.text_input(key=widget_key("patient", "full_name")).value == ""
    assert at.radio(key=widget_key("patient", "sex_at_birth")).value is None
    assert date_shown(at, "patient", "date_of_birth") is None


@pytest.mark.parametrize("idle_minutes, away_seconds, cleared", [(None, 601, True), (None, 590, False), ("1", 61, True)])
def test_an_abandoned_session_starts_blank_after_the_idle_time(data_dir, monkeypatch, idle_minutes, away_seconds, cleared):
    if idle_minutes:
        monkeypatch.setenv("SCREENER_IDLE_MINUTES", idle_minutes)
    at = start(new_app())
    fill_step(at, STEPS[0], healthy_answers()["patient"])
    click(at, "forward")
    at.session_state["last_activity"] = time.monotonic() - away_seconds
    at.run()
    assert (screen(at) == "welcome") == cleared
    assert holds_nothing_of_a_patient(at) == cleared
    if cleared:
        assert WELCOME_TITLE in at.title.values
        click(at, "start")
        assert at.text_input(key=widget_key("patient", "full_name")).value == ""


def test_a_tap_on_an_abandoned_session_does_not_act_on_its_answers(data_dir, store):
    at = to_signature(walk_to_review(new_app(), healthy_answers()))
    at.checkbox(key="consent-answers_confirmed").check()
    at.text_input(key="consent-signature").input("Alex Example").run()
    at.session_state["last_activity"] = time.monotonic() - 601
    click(at, "forward")
    assert screen(at) == "welcome" and holds_nothing_of_a_patient(at)
    assert stored(store) == []


def test_two_tablets_at_once_never_share_answers(data_dir, store):
    first, second = start(new_app()), start(new_app())
    fill_step(first, STEPS[0], healthy_answers()["patient"])
    fill_step(second, STEPS[0], with_answer(healthy_answers(), "patient.full_name", "Bo Other")["patient"])
    click(first, "forward")
    click(second, "forward")
    assert first.session_state["answers"]["patient"]["full_name"] == "Alex Example"
    assert second.session_state["answers"]["patient"]["full_name"] == "Bo Other"

    for step in STEPS[1:]:
        fill_step(first, step, healthy_answers()[step.section])
        click(first, "forward")
    sign(first, "Alex Example")
    assert screen(second) == "veins"
    click(second, "back")
    assert second.text_input(key=widget_key("patient", "full_name")).value == "Bo Other"
    assert [record.intake.patient.full_name for record in stored(store)] == ["Alex Example"]


@pytest.mark.parametrize(
    "name, value, says",
    [
        ("SCREENER_IDLE_MINUTES", "soon", "SCREENER_IDLE_MINUTES must be a number"),
        ("SCREENER_IDLE_MINUTES", "0", "SCREENER_IDLE_MINUTES must be a number"),
        ("SCREENER_DATABASE_URL", "not a database", "The database could not be opened"),
        ("SCREENER_TIMEZONE", "Mars/Olympus_Mons", "SCREENER_TIMEZONE: Not a time zone name such as Europe/London"),
        ("SCREENER_LANGUAGES", "en,fr", "SCREENER_LANGUAGES has 'fr', which is not a language"),
    ],
)
def test_a_configuration_error_shows_a_clear_page_not_a_traceback(data_dir, monkeypatch, name, value, says):
    monkeypatch.setenv(name, value)
    at = new_app().run()
    assert not at.exception
    [message] = at.error.values
    assert says in message and "ask a member of staff" in message
    assert not at.button
