"""Staff accounts on screen: an administrator's list and changes, and everyone's own password and one-time codes.

Every change is made by ``StaffDirectory``, which puts it on the audit trail under the
acting account. A new TOTP secret lives only in this session until it is confirmed with
a code; its QR code (``segno``) is shown once, at enrolment, inline as a ``data:`` address,
never through the media store (which answers anyone).
"""

from __future__ import annotations

import streamlit as st

from app.staff import staff_texts
from app.staff.session import Clock, Staff, flash
from screener.storage.staff_auth import ROLES, StaffAuthError, new_totp_secret, totp_uri
from screener.storage import StorageError, Store

NEW_SECRET = "staff_new_totp_secret"
ADD_KEYS = ("staff-new-username", "staff-new-name", "staff-new-role", "staff-new-password")
CHANGE_KEY, RESET_KEY = "staff-change-account", "staff-reset-password"
OWN_KEYS = ("staff-own-current", "staff-own-new", "staff-own-again")
TOTP_CODE_KEY = "staff-totp-code"


def _attempt(action, success: str) -> bool:
    """Run one account change; its outcome as the next screen's message."""
    try:
        action()
    except (StaffAuthError, StorageError) as exc:
        flash("error", str(exc))
        return False
    flash("success", success)
    return True


def _add(admin: str, store: Store, clock: Clock) -> None:
    state = st.session_state
    username, name, role, password = (state.get(key) or "" for key in ADD_KEYS)
    state[ADD_KEYS[3]] = ""
    username = username.strip().lower()
    if _attempt(lambda: store.accounts.add(username, name, role, password, by=admin, at=clock()),
                staff_texts.ACCOUNT_ADDED.format(username=username)):
        for key in ADD_KEYS[:2]:
            state[key] = ""


def _switch(admin: str, username: str, disabled: bool, store: Store, clock: Clock) -> None:
    if disabled and username == admin:
        flash("error", staff_texts.NOT_YOURSELF)
        return
    status = (staff_texts.DISABLED if disabled else staff_texts.ACTIVE).lower()
    _attempt(lambda: store.accounts.set_disabled(username, disabled, by=admin, at=clock()),
             staff_texts.ACCOUNT_SWITCHED.format(username=username, status=status))


def _reset(admin: str, username: str, store: Store, clock: Clock) -> None:
    password, st.session_state[RESET_KEY] = st.session_state.get(RESET_KEY) or "", ""
    _attempt(lambda: store.accounts.set_password(username, password, by=admin, at=clock()),
             staff_texts.PASSWORD_WAS_RESET.format(username=username))


def _remove_totp(admin: str, username: str, store: Store, clock: Clock) -> None:
    _attempt(lambda: store.accounts.remove_totp(username, by=admin, at=clock()),
             staff_texts.TOTP_WAS_REMOVED.format(username=username))


def manage(admin: Staff, store: Store, clock: Clock) -> None:
    """An administrator's screen: every account, adding one, and changing one."""
    st.header(staff_texts.ACCOUNTS_TITLE, anchor=False)
    accounts = store.accounts.list()
    columns = staff_texts.ACCOUNT_COLUMNS
    st.dataframe([dict(zip(columns, (account.username, account.display_name, ROLES[account.role],
                                     staff_texts.DISABLED if account.disabled else staff_texts.ACTIVE,
                                     staff_texts.ON if account.totp_enabled else staff_texts.OFF)))
                  for account in accounts], hide_index=True, width="stretch", key="staff-accounts-table")
    with st.form("staff-add-account", border=True):
        st.subheader(staff_texts.ADD_ACCOUNT, anchor=False)
        st.text_input(staff_texts.NEW_USERNAME, key=ADD_KEYS[0], max_chars=32, autocomplete="off")
        st.text_input(staff_texts.NEW_NAME, key=ADD_KEYS[1], max_chars=80, autocomplete="off")
        st.selectbox(staff_texts.NEW_ROLE, list(ROLES), key=ADD_KEYS[2], format_func=ROLES.get)
        st.text_input(staff_texts.NEW_PASSWORD, key=ADD_KEYS[3], type="password", max_chars=256, autocomplete="new-password")
        st.form_submit_button(staff_texts.ADD_BUTTON, on_click=_add, args=(admin.username, store, clock))
    with st.container(border=True, key="staff-change-box"):
        st.subheader(staff_texts.CHANGE_ACCOUNT, anchor=False)
        by_name = {account.username: account for account in accounts}
        chosen = st.selectbox(staff_texts.WHICH_ACCOUNT, list(by_name), key=CHANGE_KEY)
        if chosen is None:
            return
        account = by_name[chosen]
        st.button(staff_texts.ENABLE_BUTTON if account.disabled else staff_texts.DISABLE_BUTTON, key="staff-switch-account",
                  on_click=_switch, args=(admin.username, chosen, not account.disabled, store, clock))
        st.text_input(staff_texts.RESET_PASSWORD, key=RESET_KEY, type="password", max_chars=256,
                      autocomplete="new-password")
        st.button(staff_texts.RESET_BUTTON, key="staff-reset-button", on_click=_reset,
                  args=(admin.username, chosen, store, clock))
        if account.totp_enabled:
            st.button(staff_texts.REMOVE_TOTP_BUTTON, key="staff-remove-totp", on_click=_remove_totp,
                      args=(admin.username, chosen, store, clock))


def _change_own(staff: Staff, store: Store, clock: Clock) -> None:
    current, new, again = (st.session_state.get(key) or "" for key in OWN_KEYS)
    for key in OWN_KEYS:
        st.session_state[key] = ""
    if new != again:
        flash("error", staff_texts.PASSWORDS_DIFFER)
        return
    _attempt(lambda: store.accounts.set_password(staff.username, new, by=staff.username, at=clock(), current=current),
             staff_texts.PASSWORD_CHANGED)


def _confirm_totp(staff: Staff, store: Store, clock: Clock) -> None:
    code, st.session_state[TOTP_CODE_KEY] = st.session_state.get(TOTP_CODE_KEY) or "", ""
    secret = st.session_state.get(NEW_SECRET)
    if secret and _attempt(lambda: store.accounts.enrol_totp(staff.username, secret, code, at=clock()),
                           staff_texts.TOTP_ENROLLED):
        st.session_state.pop(NEW_SECRET, None)


def _start_totp() -> None:
    st.session_state[NEW_SECRET] = new_totp_secret()


def enrol_totp(staff: Staff, store: Store, clock: Clock) -> None:
    """Set up one-time codes: a QR code and key shown once, confirmed by a code from the app."""
    import segno

    secret = st.session_state.get(NEW_SECRET)
    if secret is None:
        st.button(staff_texts.TOTP_START_BUTTON, key="staff-totp-start", on_click=_start_totp)
        return
    st.write(staff_texts.TOTP_SCAN)
    st.image(segno.make(totp_uri(secret, staff.username), error="m").svg_data_uri(scale=6),
             caption=staff_texts.TOTP_QR_ALT, width=240)
    st.text(f"{staff_texts.TOTP_KEY}: {secret}")
    with st.form("staff-totp-confirm", border=True):
        st.text_input(staff_texts.TOTP_CODE, key=TOTP_CODE_KEY, max_chars=8, autocomplete="one-time-code")
        st.form_submit_button(staff_texts.TOTP_CONFIRM_BUTTON, on_click=_confirm_totp, args=(staff, store, clock))


def own(staff: Staff, store: Store, clock: Clock) -> None:
    """Everyone's own account: change the password; set up one-time codes."""
    st.header(staff_texts.MY_ACCOUNT_TITLE, anchor=False)
    with st.form("staff-own-password", border=True):
        st.subheader(staff_texts.CHANGE_PASSWORD, anchor=False)
        for key, label, autocomplete in zip(OWN_KEYS, (staff_texts.CURRENT_PASSWORD, staff_texts.NEW_OWN_PASSWORD,
                                                       staff_texts.NEW_OWN_PASSWORD_AGAIN),
                                            ("current-password", "new-password", "new-password")):
            st.text_input(label, key=key, type="password", max_chars=256, autocomplete=autocomplete)
        st.form_submit_button(staff_texts.CHANGE_PASSWORD_BUTTON, on_click=_change_own, args=(staff, store, clock))
    with st.container(border=True, key="staff-totp-box"):
        st.subheader(staff_texts.TOTP_HEADING, anchor=False)
        if staff.totp_enabled:
            st.write(staff_texts.TOTP_ON)
            return
        st.write(staff_texts.TOTP_OFFER)
        enrol_totp(staff, store, clock)
