"""Same-day triage on every open staff page: a banner counting the urgent submissions waiting for review.

It is drawn in a fragment that runs again every ``CHECK_SECONDS`` on its own, so a patient who signs
with a current clot or a bleeding vein is announced on every signed-in clinician's screen within
seconds, without a reload. The banner shows only a count, never a name; it does not count as the
clinician's activity, so an unattended screen still signs itself out.
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from app.settings import Settings
from app.staff import staff_texts
from app.staff.review_queue import SCREEN
from app.staff.session import SESSION, Clock
from app.staff.submission import back_to_queue
from screener.storage import StorageError, Store

CHECK_SECONDS = 5.0


def banner_text(count: int) -> str:
    return staff_texts.URGENT_WAITING_ONE if count == 1 else staff_texts.URGENT_WAITING_MANY.format(count=count)


def _still_signed_in(settings: Settings, clock: Clock) -> bool:
    session = st.session_state.get(SESSION)
    return bool(session) and clock() - session["last_active"] <= timedelta(minutes=settings.staff_idle_minutes)


def _banner(settings: Settings, store: Store, clock: Clock) -> None:
    if not _still_signed_in(settings, clock):
        return
    try:
        count = store.count_urgent_waiting()
    except StorageError:
        st.warning(staff_texts.URGENT_COUNT_FAILED, icon=":material/sync_problem:")
        return
    if not count:
        return
    with st.container(key="staff-urgent-banner"):
        st.error(f"**{banner_text(count)}** {staff_texts.URGENT_WAITING_DETAIL}", icon=":material/emergency:")
        if st.session_state.get(SCREEN) not in (None, "queue") and st.button(
                staff_texts.URGENT_SHOW_BUTTON, key="staff-urgent-show", icon=":material/list:"):
            back_to_queue()
            st.rerun()


def watch(settings: Settings, store: Store, clock: Clock) -> None:
    """The urgent banner, checked again every few seconds while the page is open."""
    st.fragment(_banner, run_every=CHECK_SECONDS)(settings, store, clock)
