"""Who is signed in to the staff area, and for how long: sign-in, sign-out and the inactivity limit.

A signed-in member of staff lives in this browser session's ``st.session_state`` only
(their name and when they were last active). Every key of the staff area starts with
``staff``, so ending the session clears all of it, patient data on screen included.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable, Optional

import streamlit as st

from app import staff_words as words
from app.settings import Settings
from screener.staff_auth import (
    DEFAULT_THROTTLE, PasswordHash, ThrottlePolicy, describe_wait, parse_hash, retry_after, staff_name_problem,
    verify_password,
)
from screener.storage import StorageError, Store

Clock = Callable[[], datetime]
SESSION = "staff_session"
FLASH = "staff_flash"
PROBLEMS = "staff_sign_in_problems"
NAME_KEY, PASSWORD_KEY = "staff-name", "staff-password"
# How often an open page checks whether its sign-in has run out, at most.
LONGEST_CHECK_SECONDS = 30.0


def password_hash(settings: Settings) -> Optional[PasswordHash]:
    """The configured staff password hash; None when none is set; StaffAuthConfigError when it is unusable."""
    if settings.staff_password_hash is None:
        return None
    return parse_hash(settings.staff_password_hash)


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
    for key in [key for key in st.session_state.keys() if str(key).startswith("staff")]:
        del st.session_state[key]


def sign_in_wait(store: Store, now: datetime, policy: ThrottlePolicy = DEFAULT_THROTTLE) -> timedelta:
    """How long sign-in is paused, from the failures recorded by every tablet and instance."""
    failures = store.audit_events(action=words.SIGN_IN_FAILED, since=now - policy.window, limit=policy.allowed + 32)
    successes = store.audit_events(action=words.SIGN_IN, since=now - policy.window, limit=1)
    last_success = successes[0].at if successes else None
    return retry_after([event.at for event in failures], now, last_success=last_success, policy=policy)


def _minutes(value: float) -> str:
    return f"{value:g} minute{'s' if value != 1 else ''}"


def signed_in(settings: Settings, store: Store, clock: Clock) -> Optional[str]:
    """The signed-in person's name, touching their session; None (after recording why) when nobody is."""
    session = st.session_state.get(SESSION)
    if session is None:
        return None
    now = clock()
    if now - session["last_active"] > timedelta(minutes=settings.staff_idle_minutes):
        clear()
        flash("info", words.SESSION_ENDED.format(minutes=_minutes(settings.staff_idle_minutes)))
        store.record_event(staff=session["name"], action=words.SESSION_EXPIRED, at=now,
                           detail=f"inactive for more than {_minutes(settings.staff_idle_minutes)}")
        return None
    session["last_active"] = now
    return session["name"]


def _sign_in(password: PasswordHash, store: Store, clock: Clock) -> None:
    state = st.session_state
    name, typed = (state.get(NAME_KEY) or "").strip(), state.get(PASSWORD_KEY) or ""
    state[PASSWORD_KEY] = ""  # never kept beyond this check
    problems = {NAME_KEY: staff_name_problem(name)} if staff_name_problem(name) else {}
    if not typed:
        problems[PASSWORD_KEY] = words.PASSWORD_MISSING
    state[PROBLEMS] = problems
    if problems:
        return
    now = clock()
    try:
        wait = sign_in_wait(store, now)
        if wait:
            store.record_event(staff=name, action=words.SIGN_IN_PAUSED, at=now,
                               detail=f"paused for {describe_wait(wait)} more")
            problems[PASSWORD_KEY] = words.PAUSED.format(wait=describe_wait(wait))
        elif verify_password(typed, password):
            store.record_event(staff=name, action=words.SIGN_IN, at=now)
            clear()
            state[SESSION] = {"name": name, "last_active": now}
        else:
            store.record_event(staff=name, action=words.SIGN_IN_FAILED, at=now, detail="wrong password")
            wait = sign_in_wait(store, now)
            problems[PASSWORD_KEY] = words.WRONG_PASSWORD + (
                " " + words.PAUSED.format(wait=describe_wait(wait)) if wait else "")
    except StorageError as exc:
        problems[PASSWORD_KEY] = str(exc)


def sign_in_form(password: PasswordHash, store: Store, clock: Clock) -> None:
    """The sign-in screen: name and password; slowed down after repeated wrong passwords."""
    st.write(words.SIGN_IN_INTRO)
    show_flash()
    problems = st.session_state.get(PROBLEMS, {})
    wait = sign_in_wait(store, clock())
    if wait and PASSWORD_KEY not in problems:
        st.warning(words.PAUSED.format(wait=describe_wait(wait)), icon=":material/timer:")
    with st.form("staff-sign-in", border=True, enter_to_submit=True):
        st.text_input(words.NAME_LABEL, key=NAME_KEY, max_chars=80, autocomplete="off")
        if NAME_KEY in problems:
            st.error(problems[NAME_KEY], icon=":material/error:")
        st.text_input(words.PASSWORD_LABEL, key=PASSWORD_KEY, type="password", autocomplete="off")
        if PASSWORD_KEY in problems:
            st.error(problems[PASSWORD_KEY], icon=":material/error:")
        st.form_submit_button(words.SIGN_IN_BUTTON, type="primary", on_click=_sign_in,
                              args=(password, store, clock))


def sign_out(name: str, store: Store, clock: Clock) -> None:
    """End the session now (a button's callback)."""
    clear()
    try:
        store.record_event(staff=name, action=words.SIGN_OUT, at=clock())
        flash("success", words.SIGNED_OUT)
    except StorageError as exc:
        flash("warning", f"{words.SIGNED_OUT} {exc}")


def _rerun_when_expired(settings: Settings, clock: Clock) -> None:
    session = st.session_state.get(SESSION)
    if session and clock() - session["last_active"] > timedelta(minutes=settings.staff_idle_minutes):
        st.rerun()  # the whole page: signed_in() records the expiry and clears the screen


def watch_idle(settings: Settings, clock: Clock) -> None:
    """Check in the background, while the page is open, whether the sign-in has run out."""
    every = min(LONGEST_CHECK_SECONDS, max(1.0, settings.staff_idle_minutes * 60 / 4))
    st.fragment(_rerun_when_expired, run_every=every)(settings, clock)
