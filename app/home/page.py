"""The home pages: what an invitation's link shows on a patient's own phone or computer.

The link is ``/home/?t=<token>``. A token that cannot be used (unknown, expired, used, erased) shows the same
plain page: the clinic's name and one sentence. A live one asks for the date of birth first; once it matches,
the tablet's wizard runs (the same steps, languages, tiles and checks) in the ``Place`` of a patient's own
device: the answers are saved on the server after every step (``Store.invitations.save_draft``), never in the
browser and never in a cache, so closing the tab or changing device resumes at the first step not yet complete
after the date of birth is given again. Signing stores the submission as answered at home.

This session holds the opening (ids, the name and date of birth it was made for) and the answers, as the
tablet's session does; after ``IDLE_MINUTES`` untouched it forgets them and asks for the date of birth again.
"""

from __future__ import annotations

import calendar
import dataclasses
import logging
from datetime import date
from functools import partial
from typing import Optional

import streamlit as st

from app.home import drafts
from app.patient import kiosk, widgets, wizard
from app.patient.answers import DATE_PARTS, first_incomplete, month_names
from app.settings import Settings
from screener.language import screens
from screener.language.i18n import Words
from screener.storage import InvitationClosed, InvitationOpening, StorageError, Store
from screener.storage.invitations import token_hash

_LOG = logging.getLogger(__name__)
TOKEN_PARAMETER = "t"
IDLE_MINUTES = 30.0  # at home a patient may stop to look up a medicine; then the date of birth is asked again
OPENING, LANDED = "home_opening", "home_landed"
BIRTH_PROBLEM, SAVE_PROBLEM = "home_birth_problem", "home_save_problem"
BIRTH_KEYS = {part: f"home-birth-{part}" for part in DATE_PARTS}
EARLIEST_YEAR = 1900


def link_token() -> str:
    value = st.query_params.get(TOKEN_PARAMETER, "")
    return value if isinstance(value, str) else ""


def closed_page(clinic: str) -> None:
    """The one page of a link that cannot be used, whatever the reason: the clinic's name and one sentence."""
    st.title(clinic, anchor=False)
    st.write(Words()(screens.HOME_CLOSED, clinic=clinic))


def _go(screen: str) -> None:
    state = st.session_state
    number, _ = state["scroll"]
    state.update(screen=screen, problems={}, save_failed=None, scroll=(number + 1, "top"))


def _first_to_answer() -> str:
    """The first step not yet complete (where a patient who stopped goes on), or the review."""
    incomplete = first_incomplete(st.session_state["answers"], st.session_state["today"], widgets.translator())
    return incomplete[0].section if incomplete else wizard.REVIEW


def _open(opening: InvitationOpening) -> None:
    """Fill this session from the invitation: the draft saved so far (else the name and date of birth it was
    made for, to check), in the language the patient last used, at the first step not yet complete."""
    state = st.session_state
    state[OPENING] = state["visit"] = opening
    state["answers"] = drafts.from_json(opening.draft_json) or drafts.prefilled(opening.full_name,
                                                                                opening.date_of_birth)
    language = opening.draft_language or opening.language
    if language in state["languages"]:
        state["language"] = language
    _go(_first_to_answer())


def _typed_birth() -> tuple[Optional[date], Optional[str]]:
    """The date chosen, or the message saying what is missing."""
    state = st.session_state
    day, month, year = (state.get(BIRTH_KEYS[part]) for part in DATE_PARTS)
    if None in (day, month, year):
        return None, screens.DATE_INCOMPLETE
    if day > calendar.monthrange(year, month)[1]:
        return None, screens.DATE_DOES_NOT_EXIST
    return date(year, month, day), None


def _confirm_birth(store: Store, settings: Settings) -> None:
    state = st.session_state
    typed, problem = _typed_birth()
    if typed is None:
        state[BIRTH_PROBLEM] = problem
        return
    try:
        tried = store.invitations.confirm_birth(link_token(), typed, at=settings.now())
    except StorageError:
        state[BIRTH_PROBLEM] = screens.HOME_BIRTH_FAILED
        return
    for key in BIRTH_KEYS.values():  # a date of birth is typed for each try: never left on a shared screen
        state.pop(key, None)
    state[BIRTH_PROBLEM] = {"refused": screens.HOME_BIRTH_REFUSED, "paused": screens.HOME_BIRTH_PAUSED}.get(
        tried.outcome)
    if tried.outcome == "opened":
        _open(tried.opening)
    elif tried.outcome == "closed":
        kiosk.reset()


def _birth_screen(store: Store, clinic: str, settings: Settings) -> None:
    say, state = widgets.translator(), st.session_state
    st.title(say(screens.HOME_BIRTH_TITLE), anchor=False)
    st.write(say(screens.HOME_BIRTH_INTRO, clinic=clinic))
    months = month_names(say)
    options = {"day": list(range(1, 32)), "month": list(months),
               "year": list(range(state["today"].year, EARLIEST_YEAR - 1, -1))}
    with st.container(key="home-birth-question"):
        widgets.heading(screens.HOME_BIRTH_LABEL)
        for column, part in zip(st.columns([1, 2, 1.4]), DATE_PARTS):
            column.selectbox(say(screens.DATE_PART_LABELS[part]), options[part], index=None, key=BIRTH_KEYS[part],
                             placeholder="", format_func=months.get if part == "month" else str)
        if state.get(BIRTH_PROBLEM):
            day, month, year = (state.get(BIRTH_KEYS[part]) for part in DATE_PARTS)
            st.error(say(state[BIRTH_PROBLEM], clinic=clinic, day=day, month=months.get(month, ""), year=year),
                     icon=":material/error:")
    st.button(say(screens.HOME_BIRTH_CONTINUE), key="home-birth-continue", type="primary", width="stretch",
              on_click=_confirm_birth, args=(store, settings))
    st.info(say(screens.HOME_PRIVACY_TEXT, clinic=clinic), icon=":material/lock:")


def _welcome(store: Store, clinic: str, settings: Settings) -> None:
    """Before the date of birth, its screen; after it (Back from the first step), the wizard's welcome words."""
    if st.session_state.get(OPENING) is None:
        _birth_screen(store, clinic, settings)
        return
    say = widgets.translator()
    st.title(say(screens.WELCOME_TITLE), anchor=False)
    st.write(say(screens.WELCOME_TEXT))
    st.info(say(screens.HOME_PRIVACY_TEXT, clinic=clinic), icon=":material/lock:")
    st.button(say(screens.HOME_CONTINUE_BUTTON), key="start", type="primary", width="stretch",
              on_click=lambda: _go(_first_to_answer()))


def _thanks(clinic: str) -> None:
    say = widgets.translator()
    st.title(say(screens.THANK_YOU_TITLE), anchor=False)
    st.write(say(screens.HOME_THANK_YOU_TEXT, clinic=clinic))


def _keep(store: Store, settings: Settings) -> bool:
    """Save the answers so far under the invitation; whether they were saved. A link used up or expired
    meanwhile ends the session (the next screen is the plain page)."""
    state = st.session_state
    opening = state.get(OPENING)
    if opening is None:
        return False
    try:
        store.invitations.save_draft(opening, drafts.to_json(state["answers"]), state["language"], at=settings.now())
    except InvitationClosed:
        kiosk.reset()
        return False
    except StorageError as exc:
        _LOG.warning("A draft could not be saved: %s", exc)  # the reason only: never the answers
        state[SAVE_PROBLEM] = True
        return False
    state[SAVE_PROBLEM] = False
    return True


def render(settings: Settings, store: Store, clinic: str) -> None:
    """The page this session is on for the link in the address."""
    settings = dataclasses.replace(settings, idle_minutes=IDLE_MINUTES)
    state = st.session_state
    kiosk.begin_run(settings.idle_seconds, settings.languages)
    link = link_token()
    opening = state.get(OPENING)
    if opening is not None and opening.token_hash != token_hash(link):
        kiosk.reset()  # another link in the same tab: nothing of the first stays
    if state.get(OPENING) is None and state["screen"] != wizard.THANKS:
        try:
            landing = store.invitations.landing(link, at=settings.now())
        except StorageError:
            st.error(widgets.translator()(screens.HOME_BIRTH_FAILED), icon=":material/error:")
            return
        if landing.outcome != "live":
            closed_page(clinic)
            return
        if state.get(LANDED) != token_hash(link):
            state[LANDED] = token_hash(link)
            if landing.language in state["languages"]:
                state["language"] = landing.language
    if state.get(SAVE_PROBLEM):
        st.error(widgets.translator()(screens.HOME_SAVE_FAILED), icon=":material/cloud_off:")
    wizard.render(settings, wizard.Place(welcome=partial(_welcome, store, clinic), thanks=partial(_thanks, clinic),
                                         keep=partial(_keep, store, settings)))
