"""The staff area at /staff: closed until a password is configured, then sign-in, then the work screens.

``render`` is the page; ``show`` is the same page with its settings, store and clock
passed in, so tests can give it a database and a clock of their own.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import streamlit as st

from app import runtime, staff_audit, staff_queue, staff_session, staff_submission
from app import staff_format as fmt
from app import staff_words as words
from app.settings import Settings
from app.staff_queue import OPEN_ID, SCREEN, SUBMISSION
from app.staff_session import Clock
from screener.staff_auth import StaffAuthConfigError
from screener.storage import StorageError, Store

STYLESHEET = Path(__file__).with_name("staff.css")
AUDIT = "audit"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def render() -> None:
    settings = runtime.settings()
    show(settings, runtime.store(settings.database_url))


def _go(screen: str, staff: str, store: Store, clock: Clock) -> None:
    staff_submission.back_to_queue()
    if screen == AUDIT:
        try:
            store.record_event(staff=staff, action=words.AUDIT_VIEWED, at=clock())
        except StorageError as exc:
            staff_session.flash("error", str(exc))
            return
        st.session_state[SCREEN] = AUDIT


def _top_bar(staff: str, store: Store, clock: Clock) -> None:
    with st.container(horizontal=True, vertical_alignment="center", key="staff-top-bar"):
        st.text(f"{words.SIGNED_IN_AS} {staff}")  # typed by staff: shown literally
        st.space("stretch")
        st.button(words.QUEUE_BUTTON, key="staff-to-queue", on_click=_go, args=("queue", staff, store, clock),
                  icon=":material/list:")
        st.button(words.AUDIT_BUTTON, key="staff-to-audit", on_click=_go, args=(AUDIT, staff, store, clock),
                  icon=":material/history:")
        st.button(words.SIGN_OUT_BUTTON, key="staff-sign-out", on_click=staff_session.sign_out,
                  args=(staff, store, clock), icon=":material/logout:")


def _area(settings: Settings, store: Store, clock: Clock) -> None:
    password = staff_session.password_hash(settings)
    if password is None:
        st.info(words.NOT_CONFIGURED, icon=":material/lock:")
        return
    staff = staff_session.signed_in(settings, store, clock)
    if staff is None:
        staff_session.sign_in_form(password, store, clock)
        return
    _top_bar(staff, store, clock)
    staff_session.watch_idle(settings, clock)
    staff_session.show_flash()
    zone = fmt.zone_named(st.context.timezone)
    screen = st.session_state.get(SCREEN)
    if screen == SUBMISSION:
        staff_submission.show(st.session_state[OPEN_ID], staff, store, clock, zone)
    elif screen == AUDIT:
        staff_audit.show(store, clock, zone)
    else:
        staff_queue.show(staff, store, clock, zone)


def show(settings: Settings, store: Store, clock: Clock = utc_now) -> None:
    """The staff area for this session; storage and configuration problems as plain messages."""
    st.set_page_config(page_title=words.TITLE, layout="wide")
    st.html(STYLESHEET)
    st.title(words.TITLE, anchor=False)
    try:
        _area(settings, store, clock)
    except StaffAuthConfigError as exc:
        st.error(words.BAD_CONFIGURATION.format(source=settings.staff_password_source, problem=exc),
                 icon=":material/lock:")
    except StorageError as exc:
        st.error(str(exc), icon=":material/error:")
