"""The staff area at /staff: closed until the first account exists, then sign-in, then the work screens.

``render`` is the page; ``show`` is the same page with its settings, store and clock
passed in, so tests can give it a database and a clock of their own. Clinicians see the
queue, submissions (with the PDF) and reviews; administrators also the accounts, the
audit trail and erasure.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import streamlit as st

from app import runtime
from app.settings import Settings
from app.staff import (
    accounts, audit_trail, invitations, patients, recall, review_queue, rule_impact, session, submission, triage,
)
from app.staff import formatting as fmt
from app.staff import staff_texts
from app.staff.review_queue import OPEN_ID, SCREEN, SUBMISSION
from app.staff.session import Clock, Staff
from screener.storage import StorageError, Store

STYLESHEET = Path(__file__).with_name("staff.css")
AUDIT, ACCOUNTS, MY_ACCOUNT, RECALL = "audit", "accounts", "my-account", "recall"
ADMIN_SCREENS = (AUDIT, ACCOUNTS, RECALL)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def render() -> None:
    settings = runtime.settings()
    show(settings, runtime.store(settings.database_url))


_OPENING_EVENTS = {AUDIT: staff_texts.AUDIT_VIEWED, ACCOUNTS: staff_texts.ACCOUNTS_VIEWED}


def _go(screen: str, staff: Staff, store: Store, clock: Clock) -> None:
    submission.back_to_queue()
    for key in (patients.PATIENT_ID, patients.CODE_SHOWN, patients.TREATMENT_PROBLEMS, invitations.LINK_SHOWN,
                recall.FOUND):
        st.session_state.pop(key, None)
    if screen in ADMIN_SCREENS and not staff.is_admin:
        return
    if screen in _OPENING_EVENTS:
        try:
            store.record_event(staff=staff.username, action=_OPENING_EVENTS[screen], at=clock())
        except StorageError as exc:
            session.flash("error", str(exc))
            return
    st.session_state[SCREEN] = screen


def _top_bar(staff: Staff, store: Store, clock: Clock) -> None:
    with st.container(horizontal=True, vertical_alignment="center", key="staff-top-bar"):
        st.text(f"{staff_texts.SIGNED_IN_AS} {staff.display_name} ({staff.username})")  # shown literally
        st.space("stretch")
        buttons = [("queue", staff_texts.QUEUE_BUTTON, ":material/list:"),
                   (patients.PATIENTS, staff_texts.PATIENTS_BUTTON, ":material/person_search:")]
        if staff.is_admin:
            buttons += [(RECALL, staff_texts.RECALL_BUTTON, ":material/inventory:"),
                        (AUDIT, staff_texts.AUDIT_BUTTON, ":material/history:"),
                        (ACCOUNTS, staff_texts.ACCOUNTS_BUTTON, ":material/group:")]
        buttons.append((MY_ACCOUNT, staff_texts.MY_ACCOUNT_BUTTON, ":material/person:"))
        for screen, label, icon in buttons:
            st.button(label, key=f"staff-to-{screen}", on_click=_go, args=(screen, staff, store, clock), icon=icon)
        st.button(staff_texts.SIGN_OUT_BUTTON, key="staff-sign-out", on_click=session.sign_out,
                  args=(staff.username, store, clock), icon=":material/logout:")


def _closed(settings: Settings) -> None:
    st.info(staff_texts.NO_ACCOUNTS, icon=":material/lock:")
    if settings.staff_password_hash is not None:
        st.warning(staff_texts.OLD_PASSWORD_IGNORED, icon=":material/key_off:")


def _area(settings: Settings, store: Store, clock: Clock) -> None:
    staff = session.signed_in(settings, store, clock)
    if staff is None:
        if store.accounts.count() == 0:
            _closed(settings)
            return
        session.sign_in_form(settings, store, clock)
        return
    _top_bar(staff, store, clock)
    session.watch_idle(settings, clock)
    session.show_flash()
    if settings.staff_require_totp and not staff.totp_enabled:
        st.warning(staff_texts.TOTP_REQUIRED, icon=":material/phonelink_lock:")
        accounts.enrol_totp(staff, store, clock)  # nothing else until it is done
        return
    triage.watch(settings, store, clock)
    if staff.is_admin and (warning := store.privacy_warning()):
        st.warning(staff_texts.DATA_FOLDER_OPEN.format(warning=warning), icon=":material/folder_open:")
    zone = fmt.zone_named(st.context.timezone)
    screen = st.session_state.get(SCREEN)
    if screen == SUBMISSION:
        submission.show(st.session_state[OPEN_ID], staff, store, clock, zone, settings.now().tzinfo)
    elif screen == AUDIT and staff.is_admin:
        audit_trail.show(store, clock, zone)
    elif screen == ACCOUNTS and staff.is_admin:
        accounts.manage(staff, store, clock)
    elif screen == MY_ACCOUNT:
        accounts.own(staff, store, clock)
    elif screen == patients.PATIENTS:
        patients.search(staff, store, clock)
    elif screen == patients.PATIENT:
        patients.page(st.session_state[patients.PATIENT_ID], staff, store, clock, zone)
    elif screen == RECALL and staff.is_admin:
        recall.show(staff.username, store, clock)
    else:
        review_queue.show(staff.username, store, clock, zone)
        if staff.is_admin:  # below the list, so the queue itself stays at the top
            rule_impact.show(store, clock, zone)


def show(settings: Settings, store: Store, clock: Clock = utc_now) -> None:
    """The staff area for this session; storage problems as plain messages."""
    st.set_page_config(page_title=staff_texts.TITLE, layout="wide")
    st.html(STYLESHEET)
    st.title(staff_texts.TITLE, anchor=False)
    try:
        _area(settings, store, clock)
    except StorageError as exc:
        st.error(str(exc), icon=":material/error:")
