"""Lot recall, for administrators: every patient treated with a lot, and the list as CSV through the
audited, deferred download (the same report as ``python -m screener recall``)."""

from __future__ import annotations

import streamlit as st

from app.staff import downloads
from app.staff import formatting as fmt
from app.staff import staff_texts
from app.staff.session import Clock, flash
from screener.storage import StorageError, Store
from screener.storage.treatments import recall_csv

LOT_KEY, FOUND = "staff-recall-lot", "staff_recall_found"


def _find(staff: str, store: Store, clock: Clock) -> None:
    lot = (st.session_state.get(LOT_KEY) or "").strip()
    if not lot:
        return
    try:
        st.session_state[FOUND] = (lot, store.treatments.recall(lot, by=staff, at=clock()))
    except StorageError as exc:
        flash("error", str(exc))


def show(staff: str, store: Store, clock: Clock) -> None:
    st.header(staff_texts.RECALL_TITLE, anchor=False)
    st.write(staff_texts.RECALL_INTRO)
    with st.form("staff-recall", border=True):
        st.text_input(staff_texts.RECALL_LOT, key=LOT_KEY, max_chars=40, autocomplete="off")
        st.form_submit_button(staff_texts.RECALL_FIND, on_click=_find, args=(staff, store, clock), type="primary")
    found = st.session_state.get(FOUND)
    if found is None:
        return
    lot, rows = found
    if not rows:
        st.info(staff_texts.RECALL_NONE)
        return
    st.caption(staff_texts.RECALL_FOUND.format(sessions=len(rows), patients=len({row.patient_id for row in rows})))
    st.dataframe([dict(zip(staff_texts.RECALL_COLUMNS, (row.patient_name, fmt.day(row.date_of_birth), fmt.day(row.session_date),
                                                   row.agent, row.lot, row.phone or "", row.email or "", row.language)))
                  for row in rows], hide_index=True, width="stretch")
    downloads.offer_download(staff_texts.RECALL_DOWNLOAD, f"recall-{''.join(c for c in lot if c.isalnum())}.csv",
                             "text/csv", lambda: recall_csv(store.treatments.recall(lot, by=staff, at=clock())),
                             staff_texts.RECALL_DOWNLOADED, submission_id=None, key="staff-recall-download",
                             icon=":material/download:")
