"""The audit trail as staff read it: newest first, in local time, filtered by action."""

from __future__ import annotations

from datetime import tzinfo

import streamlit as st

from app.staff import formatting as fmt
from app.staff import staff_texts
from app.staff.session import Clock
from screener.storage import Store

LIMITS = (100, 500, 2000)


def show(store: Store, clock: Clock, zone: tzinfo) -> None:
    """The latest audit events in a table; staff names and details shown literally."""
    st.header(staff_texts.AUDIT_TITLE, anchor=False)
    st.caption(staff_texts.AUDIT_INTRO)
    action_filter, limit_filter = st.columns([2, 1])
    action = action_filter.selectbox(
        staff_texts.AUDIT_ACTION_FILTER, [None, *staff_texts.ACTIONS], key="staff-audit-action",
        format_func=lambda value: staff_texts.AUDIT_ALL_ACTIONS if value is None else staff_texts.ACTIONS[value])
    limit = limit_filter.selectbox(staff_texts.AUDIT_LIMIT, LIMITS, key="staff-audit-limit")
    events = store.audit_events(action=action, limit=limit)
    if not events:
        st.info(staff_texts.AUDIT_EMPTY)
        return
    now = clock()
    time, staff, what, record, detail = staff_texts.AUDIT_COLUMNS
    rows = [{time: fmt.moment(event.at, zone, now), staff: event.staff,
             what: staff_texts.ACTIONS.get(event.action, event.action), record: fmt.short_id(event.submission_id),
             detail: fmt.detail_in_words(event.detail)} for event in events]
    with st.container(key="staff-audit-table-box"):  # room above the table for its toolbar
        st.dataframe(rows, hide_index=True, width="stretch", key="staff-audit-table",
                     column_config={detail: st.column_config.TextColumn(width="large")})
