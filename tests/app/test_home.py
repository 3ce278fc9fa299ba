"""The home pages (AppTest of ``home_app.py``): an invitation's link on a patient's own device.

- A link that cannot be used, unknown, expired or used (or no token at all), shows the same plain page: the
  clinic's name and "This link cannot be used. Please contact {clinic}.", and nothing else; the time each takes
  is measured and printed.
- A live link asks for the date of birth first, in the invitation's language; a wrong one is refused, and
  after 5 the link is paused even for the right one.
- The right date opens the wizard at the first step, the name and date of birth filled in; every Next saves the
  answers on the server, so a new session (another device) opens, after the date of birth, at the first step
  not yet complete with every answer kept.
- Signing at home stores the submission answered at home, of the invitation's patient; the link is then used.
- At the clinic a visit code made to check it opens the tablet's walk headed "Please check your answers".
"""

from __future__ import annotations

import statistics
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from factories import healthy_answers
from streamlit import config as streamlit_config
from streamlit.testing.v1 import AppTest
from wizard_driver import click, data_dir, fill_step, new_app, screen, sign  # noqa: F401

from app.home import drafts, page
from app.patient.answers import implied_answers
from screener.clinical.questionnaire import STEPS
from screener.language import screens
from screener.language.i18n import Words
from screener.storage import Store
from screener.storage.visits import CONFIRM

HOME_APP = Path(__file__).resolve().parents[2] / "home_app.py"
CLINIC = "Clínica Venas Claras"
ANSWERS = healthy_answers()
NAME, BIRTH = ANSWERS["patient"]["full_name"], date.fromisoformat(ANSWERS["patient"]["date_of_birth"])
CLOSED = f"This link cannot be used. Please contact {CLINIC}."


@pytest.fixture
def home(data_dir, monkeypatch):  # noqa: F811
    """The store of the home app under test, served under /home/ as the proxy expects."""
    monkeypatch.setenv("SCREENER_CLINIC_NAME", CLINIC)
    before = streamlit_config.get_option("server.baseUrlPath")
    streamlit_config.set_option("server.baseUrlPath", "home")
    with Store(Store.default_url(data_dir)) as store:
        yield store
    streamlit_config.set_option("server.baseUrlPath", before)


def open_link(token: str) -> AppTest:
    at = AppTest.from_file(str(HOME_APP), default_timeout=30)
    at.query_params[page.TOKEN_PARAMETER] = token
    return at.run()


def texts(at: AppTest) -> list[str]:
    return [element.value for element in (*at.title, *at.markdown, *at.error, *at.info)
            if not str(element.value).startswith("<")]


def choose_birth(at: AppTest, day: date) -> AppTest:
    for part in ("day", "month", "year"):
        at.selectbox(key=page.BIRTH_KEYS[part]).set_value(getattr(day, part))
    return click(at, "home-birth-continue")


def now() -> datetime:
    return datetime.now(timezone.utc)


def test_unknown_expired_and_used_links_show_the_same_plain_page(home):
    expired = home.invitations.make(NAME, BIRTH, by="ada", at=now() - timedelta(hours=80)).token
    used = home.invitations.make(NAME, BIRTH, by="ada", at=now())
    opening = home.invitations.confirm_birth(used.token, BIRTH, at=now()).opening
    home.invitations.save_draft(opening, "{}", "en", at=now())
    home.invitations.erase(used.id, staff="boss", reason="entered_in_error", at=now())
    used_up = home.invitations.make(NAME, BIRTH, by="ada", at=now())
    at = choose_birth(open_link(used_up.token), BIRTH)
    at = walk_and_sign(at)
    links = {"unknown": "A" * 43, "expired": expired, "erased": used.token, "used": used_up.token, "none": ""}
    shown, times = {}, {}
    for name, token in links.items():
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            at = open_link(token)
            runs.append(time.perf_counter() - started)
        shown[name], times[name] = texts(at), statistics.median(runs)
        assert at.selectbox.len == 0 and at.button.len == 0 and at.text_input.len == 0
    assert all(found == [CLINIC, CLOSED] for found in shown.values()), shown
    print("\nPlain page, median of 5 AppTest runs: " + ", ".join(f"{name} {seconds * 1000:.0f} ms"
                                                               for name, seconds in times.items()))


def test_a_live_link_asks_for_the_birth_date_in_the_invitations_language(home):
    token = home.invitations.make(NAME, BIRTH, by="ada", at=now(), language="es").token
    at = open_link(token)
    say = Words("es")
    assert [element.value for element in at.title] == [say(screens.HOME_BIRTH_TITLE)]
    assert say(screens.HOME_BIRTH_INTRO, clinic=CLINIC) in texts(at)
    assert at.session_state["screen"] == "welcome" and at.session_state["answers"] == {}
    at = choose_birth(at, date(1990, 1, 1))
    assert say(screens.HOME_BIRTH_REFUSED) in [element.value for element in at.error]
    assert at.session_state["answers"] == {}


def test_five_wrong_birth_dates_pause_the_link_even_for_the_right_one(home):
    token = home.invitations.make(NAME, BIRTH, by="ada", at=now()).token
    at = open_link(token)
    for day in range(1, 6):
        at = choose_birth(at, date(1990, 1, day))
    at = choose_birth(at, BIRTH)
    assert [element.value for element in at.error] == [Words()(screens.HOME_BIRTH_PAUSED, clinic=CLINIC)]
    assert screen(at) == "welcome" and at.session_state["answers"] == {}


def answer_steps(at: AppTest, steps) -> AppTest:
    for step in steps:
        assert screen(at) == step.section, (screen(at), at.session_state["problems"])
        fill_step(at, step, ANSWERS[step.section], frozenset(implied_answers(step, {"patient": ANSWERS["patient"]})))
        at = click(at, "forward")
    return at


def walk_and_sign(at: AppTest) -> AppTest:
    at = answer_steps(at, STEPS[STEP_INDEX_OF(at):])
    assert screen(at) == "review"
    return sign(at, NAME)


def STEP_INDEX_OF(at: AppTest) -> int:  # noqa: N802 - reads as the step index the walk goes on from
    return [step.section for step in STEPS].index(screen(at))


def test_answers_are_saved_after_every_step_and_resume_on_another_device(home):
    patient = home.patients.add(NAME, BIRTH, by="ada", at=now())
    made = home.invitations.make(NAME, BIRTH, by="ada", at=now(), patient_id=patient.id)
    at = choose_birth(open_link(made.token), BIRTH)
    assert screen(at) == STEPS[0].section
    assert at.session_state["answers"]["patient"]["full_name"] == NAME, "the name the clinic gave, to check"
    at = answer_steps(at, STEPS[:2])
    assert screen(at) == STEPS[2].section
    saved = home.invitations.confirm_birth(made.token, BIRTH, at=now()).opening
    kept = drafts.from_json(saved.draft_json)
    assert kept == {step.section: at.session_state["answers"][step.section] for step in STEPS[:2]}
    phone = choose_birth(open_link(made.token), BIRTH)  # another browser: nothing shared but the server
    assert screen(phone) == STEPS[2].section
    assert {section: phone.session_state["answers"][section] for section in kept} == kept
    phone = walk_and_sign(phone)
    assert screen(phone) == "thanks"
    assert Words()(screens.HOME_THANK_YOU_TEXT, clinic=CLINIC) in texts(phone)
    [summary] = home.list_submissions()
    stored = home.get_submission(summary.id)
    assert (stored.visit_kind, stored.patient_id, stored.intake.patient.full_name) == ("home", patient.id, NAME)
    assert texts(open_link(made.token)) == [CLINIC, CLOSED], "the link is used up"
    assert home.audit_events(action="invitation_draft_saved")


def test_a_visit_code_made_to_check_home_answers_opens_please_check_your_answers_on_the_tablet(home):
    patient = home.patients.add(NAME, BIRTH, by="ada", at=now())
    made = home.invitations.make(NAME, BIRTH, by="ada", at=now(), patient_id=patient.id)
    walk_and_sign(choose_birth(open_link(made.token), BIRTH))
    [summary] = home.list_submissions()
    code = home.visits.prepare(patient.id, by="ada", at=now(), purpose=CONFIRM, source_submission_id=summary.id).code
    tablet = click(new_app().run(), "have-code")
    tablet.text_input(key="visit-code").input(code)
    tablet = click(tablet, "forward")
    assert screen(tablet) == STEPS[0].section
    shown = [element.value for element in tablet.subheader]
    assert screens.HOME_CHECK_TITLE in shown and screens.HOME_ANSWERS_HEADING in shown
    assert screens.LAST_TIME_HEADING not in shown
    for step in STEPS:
        tablet.radio(key=f"changed-{step.section}").set_value("no")
        tablet.run()
        fresh = {question.name for question in step.questions if not question.fresh}
        fill_step(tablet, step, ANSWERS[step.section],
                  frozenset(implied_answers(step, {"patient": ANSWERS["patient"]})) | fresh)
        tablet = click(tablet, "forward")
    tablet = sign(tablet, NAME)
    assert screen(tablet) == "thanks"
    checked = [item for item in home.list_submissions() if item.id != summary.id]
    assert [item.visit_kind for item in checked] == ["home_checked"]
    assert home.get_submission(checked[0].id).previous_submission_id == summary.id
