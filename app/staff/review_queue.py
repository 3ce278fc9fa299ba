"""The review queue: one page of submissions, urgent ones waiting for review first, then newest first,
filtered by decision, status and name."""

from __future__ import annotations

from datetime import tzinfo
from typing import Optional

import streamlit as st

from app.staff import formatting as fmt
from app.staff import staff_texts
from app.staff.invitations import home_badge
from app.staff.session import Clock, flash
from screener.clinical.models import Flag, age_in_years
from screener.clinical.questionnaire import DECISION_LABELS, SEVERITY_LABELS
from screener.storage import StorageError, Store, SubmissionSummary

PAGE_SIZE = 20
PAGE = "staff_queue_page"
DECISION_KEY, STATUS_KEY, SEARCH_KEY = "staff-filter-decision", "staff-filter-status", "staff-filter-name"
COLUMN_WIDTHS = [3.4, 1.7, 2.5, 1.4]
SCREEN, OPEN_ID = "staff_screen", "staff_open_id"
LISTED = "staff_queue_listed"
SUBMISSION = "submission"


def _first_page() -> None:
    st.session_state[PAGE] = 0


def _turn(pages: int) -> None:
    st.session_state[PAGE] = max(0, st.session_state.get(PAGE, 0) + pages)


def open_submission(submission_id: str, staff: str, store: Store, clock: Clock) -> None:
    """Show one submission, once its opening is on the audit trail (a button's callback)."""
    try:
        store.record_event(staff=staff, action=staff_texts.VIEWED, at=clock(), submission_id=submission_id)
    except StorageError as exc:
        flash("error", str(exc))
        return
    st.session_state[SCREEN] = SUBMISSION
    st.session_state[OPEN_ID] = submission_id


def _record_listing(filters: dict, page: int, staff: str, store: Store, clock: Clock) -> None:
    """Put a listing of names on the audit trail once per change of filters or page; the
    detail says whether a name was searched, never what (that would be patient data)."""
    listing = (*filters.values(), page)
    if st.session_state.get(LISTED) == listing:
        return
    detail = fmt.listing_detail(filters["decision"], filters["status"], bool(filters["name_contains"]), page + 1)
    store.record_event(staff=staff, action=staff_texts.QUEUE_VIEWED, at=clock(), detail=detail)
    st.session_state[LISTED] = listing


def _badge(label: str, look: tuple[str, str]) -> None:
    colour, icon = look
    st.badge(label, color=colour, icon=icon)


def _top_flag(flag: Optional[Flag]) -> str:
    return staff_texts.TOP_FLAG.format(severity=SEVERITY_LABELS[flag.severity], title=flag.title) if flag else staff_texts.NO_FLAG


def _row(summary: SubmissionSummary, top_flag: Optional[Flag], consent: Optional[str], staff: str, store: Store,
         clock: Clock, zone: tzinfo) -> None:
    """One submission: who (name, date of birth, age), its most severe flag, when, decision and review."""
    now = clock()
    submitted_day = summary.submitted_at.astimezone(zone).date()
    with st.container(border=True, key=f"staff-row-{summary.id}", vertical_alignment="center"):
        patient, submitted, judged, action = st.columns(COLUMN_WIDTHS, vertical_alignment="center")
        with patient.container(key=f"staff-patient-{summary.id}", gap=None):
            st.text(summary.patient_name)  # as typed: never Markdown or HTML
            st.text(staff_texts.BORN_AGE.format(born=fmt.day(summary.date_of_birth),
                                          age=age_in_years(summary.date_of_birth, submitted_day)))
            st.text(_top_flag(top_flag))
        submitted.text(fmt.moment(summary.submitted_at, zone, now))
        with judged:
            if summary.urgent and summary.review_status == "pending":
                _badge(staff_texts.URGENT_BADGE, fmt.URGENT_BADGE)
            _badge(DECISION_LABELS[summary.decision], fmt.DECISION_BADGES[summary.decision])
            _badge(staff_texts.STATUS_LABELS[summary.review_status], fmt.STATUS_BADGES[summary.review_status])
            home_badge(summary.visit_kind)
            if consent is not None:  # the patient's consent to the treatment waits for the clinic
                _badge(staff_texts.TC_QUEUE_MARK[consent], staff_texts.TC_QUEUE_LOOKS[consent])
        action.button(staff_texts.OPEN_BUTTON, key=f"staff-open-{summary.id}", on_click=open_submission,
                      args=(summary.id, staff, store, clock), width="stretch")


def show(staff: str, store: Store, clock: Clock, zone: tzinfo) -> None:
    """Filters, one page of the queue and the pager."""
    st.header(staff_texts.QUEUE_TITLE, anchor=False)
    decision_filter, status_filter, search = st.columns([1, 1, 1.4])
    decision = decision_filter.selectbox(
        staff_texts.DECISION_FILTER, [None, *DECISION_LABELS], key=DECISION_KEY, on_change=_first_page,
        format_func=lambda value: staff_texts.ALL_DECISIONS if value is None else DECISION_LABELS[value])
    status = status_filter.selectbox(
        staff_texts.STATUS_FILTER, [None, *staff_texts.STATUS_LABELS], key=STATUS_KEY, on_change=_first_page,
        format_func=lambda value: staff_texts.ALL_STATUSES if value is None else staff_texts.STATUS_LABELS[value])
    name = search.text_input(staff_texts.NAME_SEARCH, key=SEARCH_KEY, on_change=_first_page, autocomplete="off")
    filters = {"decision": decision, "status": status, "name_contains": name or None}

    total = store.count_submissions(**filters)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(st.session_state.get(PAGE, 0), pages - 1)
    rows = store.list_submissions(**filters, limit=PAGE_SIZE, offset=page * PAGE_SIZE)
    _record_listing(filters, page, staff, store, clock)
    if not rows:
        st.info(staff_texts.QUEUE_NO_MATCH if any(filters.values()) else staff_texts.QUEUE_EMPTY)
        return
    st.caption(staff_texts.QUEUE_COUNT.format(first=page * PAGE_SIZE + 1, last=page * PAGE_SIZE + len(rows),
                                        total=f"{total:,}"))
    with st.container(border=True, key="staff-queue-headings"):  # a border-less twin of a row, to align with it
        for column, heading in zip(st.columns(COLUMN_WIDTHS), staff_texts.QUEUE_HEADINGS):
            column.markdown(f"**{heading}**" if heading else "")
    top_flags = store.most_severe_flags([summary.id for summary in rows])
    consents = store.consents.open_for([summary.id for summary in rows])
    for summary in rows:
        _row(summary, top_flags.get(summary.id), consents.get(summary.id), staff, store, clock, zone)
    if pages > 1:
        newer, older = st.columns(2)
        newer.button(staff_texts.NEWER_BUTTON, key="staff-newer", on_click=_turn, args=(-1,), disabled=page == 0,
                     width="stretch", icon=":material/arrow_back:")
        older.button(staff_texts.OLDER_BUTTON, key="staff-older", on_click=_turn, args=(1,), disabled=page >= pages - 1,
                     width="stretch", icon=":material/arrow_forward:")
