"""The patient wizard: welcome, one screen per intake step, review, consent, thank-you.

The screens only draw and move answers between widgets and ``st.session_state``;
validation is the section models', the assessment and storage are ``app.patient.signing``'s.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from datetime import date
from typing import Callable

import streamlit as st

from app.patient import kiosk, returning, style, treatment_consent, widgets
from app import runtime
from app.patient.answers import (
    consent_problems, draft_intake, first_incomplete, implied_answers, review_rows, step_answers, step_problems,
)
from app.settings import Settings
from app.patient.signing import CONSENT, TREATMENT_CONSENT, Incomplete, submit
from screener.clinical import questionnaire
from screener.language import screens
from screener.language.i18n import LANGUAGE_NAMES, Words
from screener.clinical.questionnaire import STEPS
from screener.storage import InvitationOpening, StorageError

_LOG = logging.getLogger(__name__)

WELCOME, REVIEW, THANKS, CODE = kiosk.WELCOME, "review", kiosk.THANKS, "visit-code"
STEP_INDEX = {step.section: index for index, step in enumerate(STEPS)}
TOTAL = len(STEPS) + 3  # the intake steps, the review, the consent to treatment and the signature


def _show_problems(problems: dict) -> None:
    st.session_state["problems"] = problems
    _scroll_to("problem" if problems else "top")


def _scroll_to(target: str) -> None:
    number, _ = st.session_state["scroll"]
    st.session_state["scroll"] = (number + 1, target)


def _go(screen: str, problems: dict | None = None) -> None:
    state = st.session_state
    state["screen"] = screen
    state["save_failed"] = None
    _show_problems(problems or {})


def _still_on(screen: str) -> bool:
    # A second tap can arrive after the first one moved on (or signed and reset); and a tap on
    # an abandoned session (a tablet woken from sleep) must not act on the previous patient's answers.
    return st.session_state["screen"] == screen and not kiosk.abandoned()


def _progress(number: int, title: str, shown: str = "") -> None:
    """The progress bar; ``shown`` is the title already in the patient's words (another catalog's)."""
    say = widgets.translator()
    st.progress(number / TOTAL, text=say(screens.PROGRESS_TEXT, number=number, total=TOTAL, title=shown or say(title)))


def _buttons(back, forward, forward_label: str) -> None:
    """Back and a forward button side by side; each is a (callback, args) pair."""
    say = widgets.translator()
    left, right = st.columns(2)
    left.button(say(screens.BACK_BUTTON), key="back", on_click=back[0], args=back[1], width="stretch")
    right.button(say(forward_label), key="forward", type="primary", on_click=forward[0], args=forward[1],
                 width="stretch")


def _remember_text_size() -> None:
    st.session_state["text_size"] = st.session_state["text-size"]


def _keep_what_is_on_screen() -> None:
    """Copy the answers of the screen's widgets into the patient's answers, and let the widgets be
    drawn again from them (in another language, their labels and so their identities change)."""
    state = st.session_state
    if state["screen"] in STEP_INDEX:
        widgets.collect(STEPS[STEP_INDEX[state["screen"]]], _answers_of(state["screen"]))
    elif state["screen"] == CONSENT:
        _collect_consent()
    for key in [key for key in state.keys() if key.startswith(widgets.ANSWER_KEYS)]:
        del state[key]


def _problems_now(settings: Settings, say: Words) -> dict:
    """The problems of the answers on screen now, worded in ``say``."""
    state = st.session_state
    if state["screen"] in STEP_INDEX:
        step = STEPS[STEP_INDEX[state["screen"]]]
        return step_problems(step, step_answers(step, state["answers"]), _today(), say)
    if state["screen"] == CONSENT:
        return consent_problems(state["consent"], settings.now(), say)
    return {}


def _choose_language(language: str, settings: Settings) -> None:
    """Show this patient's screens in ``language`` from now on, keeping every answer, even half given;
    the messages on screen are worded again in the new language."""
    state = st.session_state
    if kiosk.abandoned() or language not in state["languages"]:
        return
    _keep_what_is_on_screen()
    state["language"] = language
    shown = state["problems"]
    if shown:
        again = _problems_now(settings, widgets.translator())
        state["problems"] = {name: again[name] for name in shown if name in again}


def _switch_language(settings: Settings) -> None:
    _choose_language(st.session_state["language-control"], settings)


def _screen_controls(settings: Settings) -> None:
    """The language (after the welcome, which offers it in large tiles) and text-size controls at the
    top of every patient screen; both last until the tablet resets."""
    say, state = widgets.translator(), st.session_state
    widgets.restore("text-size", state["text_size"])
    with st.container(horizontal=True, horizontal_alignment="right", key="text-size-control"):
        if state["screen"] != WELCOME and len(state["languages"]) > 1:
            state["language-control"] = state["language"]
            with st.container(width=220, key="language-control-box"):
                st.selectbox(say(screens.LANGUAGE_LABEL), state["languages"], key="language-control",
                             format_func=LANGUAGE_NAMES.get, placeholder="", on_change=_switch_language,
                             args=(settings,))
        st.segmented_control(say(screens.TEXT_SIZE_LABEL), list(screens.TEXT_SIZES), key="text-size",
                             format_func=lambda size: say(screens.TEXT_SIZES[size]), required=True,
                             on_change=_remember_text_size)
    style.text_size(state["text_size"])
    style.language(state["language"])


def _language_tiles(settings: Settings) -> None:
    """Each language the clinic offers, by its own name, as a large button: the patient's is marked."""
    state = st.session_state
    if len(state["languages"]) < 2:
        return
    with st.container(horizontal=True, key="language-tiles", gap="small"):
        for language in state["languages"]:
            st.button(LANGUAGE_NAMES[language], key=f"language-{language}", on_click=_choose_language,
                      args=(language, settings), type="primary" if language == state["language"] else "secondary",
                      width="stretch")


def _welcome(settings: Settings) -> None:
    say = widgets.translator()
    st.title(say(screens.WELCOME_TITLE), anchor=False)
    st.write(say(screens.WELCOME_TEXT))
    st.info(say(screens.PRIVACY_TEXT), icon=":material/lock:")
    st.button(say(screens.START_BUTTON), key="start", type="primary", on_click=_go, args=(STEPS[0].section,),
              width="stretch")
    st.button(say(screens.VISIT_CODE_BUTTON), key="have-code", on_click=_go, args=(CODE,), width="stretch",
              icon=":material/pin:")


def _open_code(settings: Settings) -> None:
    if not _still_on(CODE):
        return
    if returning.open_code(settings):
        _go(STEPS[0].section)


def _code(settings: Settings) -> None:
    returning.code_screen()
    _buttons((_go, (WELCOME,)), (_open_code, (settings,)), screens.VISIT_CODE_CONTINUE)


def _today() -> date:
    """The clinic's date, as of this session's last run (see render)."""
    return st.session_state["today"]


def _answers_of(section: str) -> dict:
    return st.session_state["answers"].setdefault(section, {})


def _next(index: int, place: "Place") -> None:
    step, state = STEPS[index], st.session_state
    if not _still_on(step.section):
        return
    widgets.collect(step, _answers_of(step.section))
    if not place.keep():
        _scroll_to("top")
        return
    problems = {**returning.unanswered_choice(step),
                **step_problems(step, step_answers(step, state["answers"]), _today(), widgets.translator())}
    if problems:
        _show_problems(problems)
    elif state["return_to_review"] or index == len(STEPS) - 1:
        state["return_to_review"] = False
        _go(REVIEW)
    else:
        _go(STEPS[index + 1].section)


def _back(index: int, place: "Place") -> None:
    step, state = STEPS[index], st.session_state
    if not _still_on(step.section):
        return
    widgets.collect(step, _answers_of(step.section))
    if not place.keep():
        _scroll_to("top")
        return
    if state["return_to_review"]:
        state["return_to_review"] = False
        _go(REVIEW)
    else:
        _go(STEPS[index - 1].section if index else WELCOME)


def _step(section: str, place: "Place") -> None:
    index, problems, say = STEP_INDEX[section], st.session_state["problems"], widgets.translator()
    step = STEPS[index]
    _progress(index + 1, step.title)
    st.header(say(step.title), anchor=False)
    st.write(say(step.intro))
    kept = returning.prelude(step, problems)
    raw, not_asked = _answers_of(section), implied_answers(step, st.session_state["answers"])
    for question in step.questions:
        if question.name not in not_asked and question.name not in kept:
            widgets.draw_question(step, question, raw, problems)
    if problems:
        st.warning(say(screens.STEP_HAS_PROBLEMS), icon=":material/warning:")
    _buttons((_back, (index, place)), (_next, (index, place)), screens.NEXT_BUTTON)


def _change(section: str) -> None:
    if not _still_on(REVIEW):
        return
    st.session_state["return_to_review"] = True
    _go(section)


def _to_consent() -> None:
    if not _still_on(REVIEW):
        return
    incomplete = first_incomplete(st.session_state["answers"], _today(), widgets.translator())
    if incomplete is None:
        st.session_state["consent_needed"] = _consent_needed()
        _go(TREATMENT_CONSENT if st.session_state["consent_needed"] else CONSENT)
    else:
        step, problems = incomplete
        st.session_state["return_to_review"] = True
        _go(step.section, problems)


def _consent_needed() -> bool:
    """Whether the consent to the treatment is asked now: at the clinic, unless this patient's countersigned
    one is on today's words; never at home (it is signed at the clinic, where a clinician can answer)."""
    if isinstance(st.session_state.get("visit"), InvitationOpening):
        return False
    try:
        return treatment_consent.needed(runtime.store(runtime.settings().database_url))
    except StorageError:  # cannot tell: ask for it (safety first; it is stored again if already given)
        return True


def _review() -> None:
    say, answers = widgets.translator(), st.session_state["answers"]
    _progress(TOTAL - 1, screens.REVIEW_TITLE)
    st.header(say(screens.REVIEW_TITLE), anchor=False)
    st.write(say(screens.REVIEW_INTRO))
    today = _today()
    for step in STEPS:
        raw = step_answers(step, answers)
        with st.container(border=True, key=f"review-{step.section}", gap="small"):
            title, change = st.columns([3, 2], vertical_alignment="center")
            title.subheader(say(step.title), anchor=False)
            change.button(say(screens.CHANGE_STEP_BUTTON, step=say(step.title)), key=f"change-{step.section}",
                          on_click=_change, args=(step.section,), width="stretch")
            if step_problems(step, raw, today):
                st.error(say(screens.REVIEW_SECTION_INCOMPLETE), icon=":material/error:")
            for question, answer in review_rows(step, raw, say, frozenset(implied_answers(step, answers))):
                asked, given = st.columns(2, gap="small")
                asked.markdown(question)
                given.text(answer)  # as typed: never read as Markdown or HTML
    _buttons((_go, (STEPS[-1].section,)), (_to_consent, ()), screens.CONTINUE_TO_CONSENT_BUTTON)


CONSENT_KEYS = {name: f"consent-{name}" for name in ("answers_confirmed", "signature")}


def _collect_consent() -> None:
    consent = st.session_state["consent"]
    for name, key in CONSENT_KEYS.items():
        if key in st.session_state:
            consent[name] = st.session_state[key]


def _back_from_consent() -> None:
    # The consent widgets are not drawn on the review, and Streamlit forgets undrawn widgets.
    _collect_consent()
    _go(TREATMENT_CONSENT if st.session_state["consent_needed"] else REVIEW)


def _from_treatment_consent(forward: bool) -> None:
    if not _still_on(TREATMENT_CONSENT):
        return
    treatment_consent.collect()
    if not forward:
        _go(REVIEW)
        return
    problems = treatment_consent.problems_of_choices()
    if problems:
        _show_problems(problems)
    else:
        _go(CONSENT)


def _treatment_consent() -> None:
    say = treatment_consent.say()
    _progress(TOTAL - 1, "", shown=say(treatment_consent.words.TITLE))
    st.header(say(treatment_consent.words.TITLE), anchor=False)
    treatment_consent.draw(draft_intake(st.session_state["answers"], _today()), _today(), st.session_state["problems"])
    _buttons((_from_treatment_consent, (False,)), (_from_treatment_consent, (True,)), screens.NEXT_BUTTON)


def _submit(settings: Settings) -> None:
    state = st.session_state
    if not _still_on(CONSENT):
        return
    _collect_consent()
    if state["consent_needed"]:
        treatment_consent.collect_signature()
    signed_at = settings.now().replace(microsecond=0)
    try:
        submit(state["answers"], state["consent"], runtime.store(settings.database_url), signed_at,
               state["language"], state["visit"],
               state["treatment_consent"] if state["consent_needed"] else None)
    except Incomplete as exc:
        if exc.section == CONSENT:
            _show_problems(exc.problems)
        elif exc.section == TREATMENT_CONSENT:
            _go(TREATMENT_CONSENT, exc.problems)
        else:
            state["return_to_review"] = True
            _go(exc.section, exc.problems)
        return
    except StorageError as exc:
        state["save_failed"] = str(exc)
        return
    except Exception as exc:  # noqa: BLE001 - the patient is told to ask staff; the log gets no answers
        _LOG.error("Saving a submission failed with %s:\n%s", type(exc).__name__,
                   "".join(traceback.format_tb(exc.__traceback__)))
        state["save_failed"] = ""
        return
    kiosk.reset(THANKS)


def _consent(settings: Settings) -> None:
    state, problems = st.session_state, st.session_state["problems"]
    consent = state["consent"]
    say = widgets.translator()
    _progress(TOTAL, screens.CONSENT_TITLE)
    st.header(say(screens.CONSENT_TITLE), anchor=False)
    st.write(say(questionnaire.CONSENT_STATEMENT))
    widgets.restore(CONSENT_KEYS["answers_confirmed"], consent.get("answers_confirmed", False))
    st.checkbox(say(questionnaire.CONSENT_QUESTIONS["answers_confirmed"]), key=CONSENT_KEYS["answers_confirmed"],
                on_change=widgets.forget_problem, args=("answers_confirmed",))
    widgets.show_problem(problems, "answers_confirmed")
    with st.container(key="signature-question"):
        widgets.heading(questionnaire.CONSENT_QUESTIONS["signature"])
        widgets.restore(CONSENT_KEYS["signature"], consent.get("signature", ""))
        st.text_input(say(questionnaire.CONSENT_QUESTIONS["signature"]), key=CONSENT_KEYS["signature"], autocomplete="off",
                      label_visibility="collapsed", max_chars=widgets.typing_limit("consent", "signature"),
                      on_change=widgets.forget_problem, args=("signature",))
        widgets.show_problem(problems, "signature")
    if state["consent_needed"]:
        with st.container(key="drawn-signature"):
            treatment_consent.draw_signature(problems)
    _collect_consent()
    if state["save_failed"] is not None:
        st.error(say(screens.SAVE_FAILED), icon=":material/error:")
        if state["save_failed"]:
            st.caption(state["save_failed"])
    _buttons((_back_from_consent, ()), (_submit, (settings,)), screens.SUBMIT_BUTTON)


def _thanks() -> None:
    say = widgets.translator()
    st.title(say(screens.THANK_YOU_TITLE), anchor=False)
    st.write(say(screens.THANK_YOU_TEXT))
    st.button(say(screens.NEXT_PATIENT_BUTTON), key="next-patient", on_click=kiosk.reset, width="stretch")


@dataclass(frozen=True)
class Place:
    """Where the wizard runs. The clinic's tablet (``TABLET``) keeps the answers in this session only; a
    patient's own device (``app.home``) draws its own first and last screens and keeps the answers on the
    server after every step: ``keep`` says whether they were kept (when not, the step stays on screen)."""

    welcome: Callable[[Settings], None]
    thanks: Callable[[], None]
    keep: Callable[[], bool] = lambda: True


def render(settings: Settings, place: Place | None = None) -> None:
    """Draw the screen this session is on (a fresh session starts at the welcome)."""
    place = place or TABLET
    kiosk.begin_run(settings.idle_seconds, settings.languages)
    st.session_state["today"] = settings.now().date()
    screen = st.session_state["screen"]
    style.scroll(*st.session_state["scroll"])
    _screen_controls(settings)
    if screen == WELCOME:
        _language_tiles(settings)
        place.welcome(settings)
    elif screen == CODE:
        _code(settings)
    elif screen in STEP_INDEX:
        _step(screen, place)
    elif screen == REVIEW:
        _review()
    elif screen == TREATMENT_CONSENT:
        _treatment_consent()
    elif screen == CONSENT:
        _consent(settings)
    else:
        place.thanks()
    kiosk.watch_idle(settings.idle_seconds)


TABLET = Place(welcome=_welcome, thanks=_thanks)
