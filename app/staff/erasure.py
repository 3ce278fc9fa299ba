"""Erasing one submission, for administrators: a reason from a closed list, and a confirmation."""

from __future__ import annotations

from typing import Callable

import streamlit as st

from app.staff import staff_texts
from app.staff.session import Clock, flash
from screener.storage import ERASURE_REASONS, StorageError, Store

REASON_KEY, CONFIRM_KEY = "staff-erase-reason", "staff-erase-confirm"
ERASABLE_HERE = ("patient_request", "entered_in_error")  # retention is the purge command's


def _erase(submission_id: str, admin: str, store: Store, clock: Clock, on_erased: Callable[[], None]) -> None:
    reason = st.session_state.get(REASON_KEY)
    if not st.session_state.get(CONFIRM_KEY) or reason not in ERASABLE_HERE:
        return
    try:
        store.erase_submission(submission_id, staff=admin, reason=reason, at=clock())
    except StorageError as exc:
        flash("error", str(exc))
        return
    on_erased()
    flash("success", staff_texts.ERASE_DONE)


def offer(submission_id: str, admin: str, store: Store, clock: Clock, *, on_erased: Callable[[], None]) -> None:
    """The erasure box at the foot of a submission; the button waits for the confirmation."""
    with st.expander(staff_texts.ERASE_HEADING, icon=":material/delete_forever:"):
        st.write(staff_texts.ERASE_INTRO)
        st.radio(staff_texts.ERASE_REASON, ERASABLE_HERE, key=REASON_KEY, format_func=ERASURE_REASONS.get)
        confirmed = st.checkbox(staff_texts.ERASE_CONFIRM, key=CONFIRM_KEY)
        st.button(staff_texts.ERASE_BUTTON, key="staff-erase", type="primary", disabled=not confirmed, on_click=_erase,
                  args=(submission_id, admin, store, clock, on_erased), icon=":material/delete_forever:")
