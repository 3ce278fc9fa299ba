"""A returning visit on the tablet: the visit code, then each step as "your answers last time" and
"Has anything changed?".

The code is checked by the store in the transaction that keeps the brake (``Store.visits.open``);
the tablet is named by its address, so a reload does not reset the count. Once a code is accepted
the wizard holds the last visit's answers (``answers_from_intake``: answers about now are left out and
asked again) and, per step, the patient's choice: No keeps the answers shown (only the questions
about now are drawn), Yes opens the step as on a first visit, its answers filled in. A code made to check
answers given at home (``CONFIRM``) opens the same walk from that submission, headed "Please check your answers".
"""

from __future__ import annotations

import copy
import logging
from typing import Optional

import streamlit as st

from app import runtime
from app.patient import widgets
from app.patient.answers import answers_from_intake, implied_answers, review_rows
from app.settings import Settings
from screener.clinical.questionnaire import Step
from screener.language import screens
from screener.storage import StorageError, VisitOpening
from screener.storage.visits import CONFIRM

_LOG = logging.getLogger(__name__)
CODE_KEY = "visit-code"
CHANGED = "changed"  # the problem name of an unanswered "Has anything changed?"
NO, YES = "no", "yes"


def tablet_name() -> str:
    """The tablet as the brake counts it: its network address (a reload keeps it), else one shared name."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "unknown address"


def returning() -> bool:
    """A visit opened with a visit code (never one answered at home: that walk is the first visit's)."""
    return isinstance(st.session_state.get("visit"), VisitOpening)


def checking_home_answers() -> bool:
    """The code opened answers given at home, for the patient to check on the tablet."""
    return returning() and st.session_state["visit"].purpose == CONFIRM


def open_code(settings: Settings) -> Optional[str]:
    """Check the typed code; on success fill the wizard with the last visit's answers and say where to
    go next (the first step); else keep a message for the code screen and return None."""
    state = st.session_state
    typed = state.get(CODE_KEY) or ""
    state.pop(CODE_KEY, None)  # a code is typed once: never left on screen
    try:
        store = runtime.store(settings.database_url)
        tried = store.visits.open(typed, tablet=tablet_name(), at=settings.now())
        source = (store.get_submission(tried.opening.source_submission_id)
                  if tried.outcome == "opened" and tried.opening.source_submission_id else None)
    except StorageError:
        state["code_problem"] = screens.VISIT_CODE_FAILED
        return None
    if tried.outcome != "opened":
        state["code_problem"] = screens.VISIT_CODE_PAUSED if tried.outcome == "paused" else screens.VISIT_CODE_REFUSED
        return None
    state["code_problem"] = None
    state["visit"] = tried.opening
    state["answers"] = answers_from_intake(source.intake) if source else {}
    state["previous"] = copy.deepcopy(state["answers"])
    state["changed"] = {}
    if source is not None and source.capture.language in state["languages"]:
        state["language"] = source.capture.language
    return "opened"


def code_screen() -> None:
    """The code's box; the message of the last try, which says nothing of whose code it was."""
    say = widgets.translator()
    st.header(say(screens.VISIT_CODE_TITLE), anchor=False)
    st.write(say(screens.VISIT_CODE_INTRO))
    st.text_input(say(screens.VISIT_CODE_LABEL), key=CODE_KEY, max_chars=6, autocomplete="off",
                  placeholder="123456")
    if st.session_state.get("code_problem"):
        st.error(say(st.session_state["code_problem"]), icon=":material/error:")


def _shown_last_time(step: Step) -> bool:
    return bool(st.session_state["previous"].get(step.section))


def _choose(section: str) -> None:
    st.session_state["changed"][section] = st.session_state[f"changed-{section}"]
    widgets.forget_problem(CHANGED)


def prelude(step: Step, problems: dict[str, str]) -> frozenset[str]:
    """Above a step of a returning visit: the answers given last time and "Has anything changed?".
    The names of the questions the step should not draw now (kept as they were)."""
    if not returning() or not _shown_last_time(step):
        return frozenset()
    say, state = widgets.translator(), st.session_state
    previous = state["previous"][step.section]
    from_home = checking_home_answers()
    if from_home:
        with st.container(key=f"check-home-{step.section}"):
            st.subheader(say(screens.HOME_CHECK_TITLE), anchor=False)
            st.write(say(screens.HOME_CHECK_TEXT))
    with st.container(border=True, key=f"last-time-{step.section}", gap="small"):
        st.subheader(say(screens.HOME_ANSWERS_HEADING if from_home else screens.LAST_TIME_HEADING), anchor=False)
        for question, answer in review_rows(step, previous, say, frozenset(implied_answers(step, state["answers"]))):
            asked, given = st.columns(2, gap="small")
            asked.markdown(question)
            given.text(answer)  # as typed: never read as Markdown or HTML
    question = screens.CHANGED_SINCE_HOME_QUESTION if from_home else screens.CHANGED_QUESTION
    widgets.heading(question)
    key = f"changed-{step.section}"
    widgets.restore(key, state["changed"].get(step.section))
    st.radio(say(question), [YES, NO], index=None, key=key, horizontal=True,
             format_func=lambda option: say(screens.CHANGED_YES if option == YES else screens.CHANGED_NO),
             label_visibility="collapsed", on_change=_choose, args=(step.section,))
    widgets.show_problem(problems, CHANGED)
    if state["changed"].get(step.section) != NO:
        return frozenset()
    # Kept as they were: the answers given last time, and the optional ones left empty then.
    kept = frozenset(question.name for question in step.questions
                     if not question.fresh and (question.name in previous or question.optional))
    if any(question.fresh for question in step.questions):
        st.write(say(screens.ASKED_AGAIN))
    return kept


def unanswered_choice(step: Step) -> dict[str, str]:
    """The problem of a returning visit's step whose "Has anything changed?" is not answered."""
    if returning() and _shown_last_time(step) and st.session_state["changed"].get(step.section) is None:
        return {CHANGED: widgets.translator()(screens.CHANGED_NEEDED)}
    return {}
