"""Who is signed in to the staff area, and for how long: sign-in, sign-out, account changes and inactivity.

A signed-in person lives in this browser session's ``st.session_state`` only (their
account and when they were last active). Every key of the staff area starts with
``staff``, so ending the session clears all of it, patient data on screen included.
The account is read again at every action: a disabled account, or one whose password
was reset, is signed out there and then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Optional

import streamlit as st

from app.settings import Settings
from app.staff import downloads
from app.staff import staff_texts
from screener.storage.staff_auth import describe_wait
from screener.storage import StaffAccount, StorageError, Store

Clock = Callable[[], datetime]
SESSION = "staff_session"
FLASH = "staff_flash"
PROBLEM = "staff_sign_in_problem"
USERNAME_KEY, PASSWORD_KEY, CODE_KEY = "staff-username", "staff-password", "staff-code"
# How often an open page checks whether its sign-in has run out, at most.
LONGEST_CHECK_SECONDS = 30.0


@dataclass(frozen=True)
class Staff:
    """The signed-in person, as the screens need them."""

    username: str
    display_name: str
    role: str
    totp_enabled: bool

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def flash(kind: str, text: str) -> None:
    """A message for the next screen drawn: ``kind`` is success, info, warning or error."""
    st.session_state[FLASH] = (kind, text)


def show_flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        kind, text = message
        getattr(st, kind)(text)


def clear() -> None:
    """Forget everything of the staff area in this session (a patient's wizard state is left alone)."""
    downloads.end_session_grant()
    for key in [key for key in st.session_state.keys() if str(key).startswith("staff")]:
        del st.session_state[key]


def _minutes(value: float) -> str:
    return f"{value:g} minute{'s' if value != 1 else ''}"


def _end(kind: str, text: str, store: Store, username: str, action: str, at: datetime, detail: str = "") -> None:
    clear()
    flash(kind, text)
    store.record_event(staff=username, action=action, at=at, detail=detail)


def signed_in(settings: Settings, store: Store, clock: Clock) -> Optional[Staff]:
    """The signed-in person, touching their session; None (after recording why) when nobody is."""
    session = st.session_state.get(SESSION)
    if session is None:
        return None
    now = clock()
    username = session["username"]
    if now - session["last_active"] > timedelta(minutes=settings.staff_idle_minutes):
        _end("info", staff_texts.SESSION_ENDED.format(minutes=_minutes(settings.staff_idle_minutes)), store, username,
             staff_texts.SESSION_EXPIRED, now, f"inactive for more than {_minutes(settings.staff_idle_minutes)}")
        return None
    account = store.accounts.get(username)
    if account is None or account.disabled or account.credentials_version != session["version"]:
        _end("warning", staff_texts.ACCOUNT_CHANGED, store, username, staff_texts.SESSION_ENDED_BY_CHANGE, now)
        return None
    session["last_active"] = now
    return Staff(account.username, account.display_name, account.role, account.totp_enabled)


def _start(account: StaffAccount, settings: Settings, store: Store, clock: Clock) -> None:
    clear()
    session = {"username": account.username, "version": account.credentials_version, "last_active": clock()}
    st.session_state[SESSION] = session
    downloads.grant_for_session(downloads.Grant(
        username=account.username, credentials_version=account.credentials_version,
        last_active=lambda: session["last_active"], idle_limit=timedelta(minutes=settings.staff_idle_minutes),
        clock=clock, store=store))


def _sign_in(settings: Settings, store: Store, clock: Clock) -> None:
    state = st.session_state
    typed, password, code = (state.get(USERNAME_KEY) or ""), state.get(PASSWORD_KEY) or "", state.get(CODE_KEY) or ""
    state[PASSWORD_KEY] = state[CODE_KEY] = ""  # never kept beyond this check
    state.pop(PROBLEM, None)
    if not typed.strip() or not password:
        state[PROBLEM] = staff_texts.FIELD_MISSING
        return
    try:
        attempt = store.accounts.sign_in(typed, password, code, at=clock())
    except StorageError as exc:
        state[PROBLEM] = str(exc)
        return
    if attempt.outcome == "signed_in":
        _start(attempt.account, settings, store, clock)
    elif attempt.outcome == "paused":
        state[PROBLEM] = staff_texts.PAUSED.format(wait=describe_wait(attempt.wait))
    else:
        state[PROBLEM] = staff_texts.REFUSED + (" " + staff_texts.PAUSED.format(wait=describe_wait(attempt.wait))
                                          if attempt.wait else "")


def sign_in_form(settings: Settings, store: Store, clock: Clock) -> None:
    """The sign-in screen: username, password and, for accounts that use one, a one-time code."""
    st.write(staff_texts.SIGN_IN_INTRO)
    show_flash()
    problem = st.session_state.get(PROBLEM)
    with st.form("staff-sign-in", border=True, enter_to_submit=True):
        st.text_input(staff_texts.USERNAME_LABEL, key=USERNAME_KEY, max_chars=64, autocomplete="username")
        st.text_input(staff_texts.PASSWORD_LABEL, key=PASSWORD_KEY, type="password", max_chars=256,
                      autocomplete="current-password")
        st.text_input(staff_texts.CODE_LABEL, key=CODE_KEY, max_chars=8, autocomplete="one-time-code")
        if problem:
            st.error(problem, icon=":material/error:")
        st.form_submit_button(staff_texts.SIGN_IN_BUTTON, type="primary", on_click=_sign_in, args=(settings, store, clock))


def sign_out(username: str, store: Store, clock: Clock) -> None:
    """End the session now (a button's callback)."""
    clear()
    try:
        store.record_event(staff=username, action=staff_texts.SIGN_OUT, at=clock())
        flash("success", staff_texts.SIGNED_OUT)
    except StorageError as exc:
        flash("warning", f"{staff_texts.SIGNED_OUT} {exc}")


def _rerun_when_expired(settings: Settings, clock: Clock) -> None:
    session = st.session_state.get(SESSION)
    if session and clock() - session["last_active"] > timedelta(minutes=settings.staff_idle_minutes):
        st.rerun()  # the whole page: signed_in() records the expiry and clears the screen


def watch_idle(settings: Settings, clock: Clock) -> None:
    """Check in the background, while the page is open, whether the sign-in has run out."""
    every = min(LONGEST_CHECK_SECONDS, max(1.0, settings.staff_idle_minutes * 60 / 4))
    st.fragment(_rerun_when_expired, run_every=every)(settings, clock)
