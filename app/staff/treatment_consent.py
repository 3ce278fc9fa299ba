"""The consent to the treatment on a submission: what the patient signed, their questions and decision, the
clinician's countersignature (after answering), the stored PDF, and a consent signed on paper.

A consent is countersigned once: the PDF is rendered then, in ``screener.storage.consents``, and only the
stored bytes are offered afterwards (never a new rendering).
"""

from __future__ import annotations

import base64
from datetime import tzinfo
from html import escape
from typing import Optional

import streamlit as st

from app.staff import downloads
from app.staff import formatting as fmt
from app.staff import staff_texts
from app.staff.session import Clock, Staff, flash
from screener.clinical.consent import CONSENT_WORDING_VERSION
from screener.documents.consent import consent_renderer
from screener.language.i18n import ENGLISH_NAMES
from screener.language.wording import language_named
from screener.storage import StorageError, Store, StoredConsent, Submission
from screener.storage.consents import CONSENT_VIEWED, paper_consent

ANSWER_KEY = "staff-consent-answer"
PAPER_KEYS = ("staff-paper-language", "staff-paper-decision", "staff-paper-name", "staff-paper-questions")
PAPER_ANSWER_KEY = "staff-paper-answer"


def signer(staff: Staff) -> str:
    """The countersigner as the PDF and the trail name them: their name and their account."""
    return f"{staff.display_name} ({staff.username})"


def _countersign(stored: Submission, consent_id: str, staff: Staff, store: Store, clock: Clock) -> None:
    answer = (st.session_state.get(ANSWER_KEY) or "").strip()
    try:
        store.consents.countersign(consent_id, by=signer(staff), at=clock(), answer=answer, render=consent_renderer(stored.intake))
    except StorageError as exc:
        flash("error", str(exc))
        return
    st.session_state.pop(ANSWER_KEY, None)
    flash("success", staff_texts.TC_COUNTERSIGNED)


def _signed(consent: StoredConsent, stored: Submission, staff: Staff, store: Store, clock: Clock,
            zone: tzinfo) -> None:
    now = clock()
    colour, icon = staff_texts.TC_DECISION_LOOKS[consent.decision]
    st.badge(staff_texts.TC_DECISIONS[consent.decision], color=colour, icon=icon)
    st.markdown(fmt.literal_markdown(staff_texts.TC_SIGNED_LINE.format(
        kind=staff_texts.TC_KINDS[consent.kind], name=consent.typed_name, when=fmt.moment(consent.signed_at, zone, now),
        language=language_named(consent.language), version=consent.wording_version)))
    if consent.on_older_words:
        st.warning(staff_texts.TC_OLDER.format(version=consent.wording_version, current=CONSENT_WORDING_VERSION),
                   icon=":material/history:")
    if consent.kind == "tablet":
        unread = [group["title"] for group in consent.words if group["key"] not in consent.read]
        st.write(staff_texts.TC_READ.format(read=len(consent.words) - len(unread), total=len(consent.words)))
        if unread:
            st.markdown(fmt.literal_markdown(staff_texts.TC_UNREAD.format(parts="; ".join(unread))))
    st.markdown(f"**{staff_texts.TC_QUESTIONS}**")
    if consent.questions.strip():
        st.text(consent.questions)  # as typed, in any script
    else:
        st.write(staff_texts.TC_NO_QUESTIONS)
    if consent.signature_png:
        # Inline, never as a media file: a /media address would serve it to anyone who learns it.
        picture = base64.b64encode(consent.signature_png).decode("ascii")
        st.markdown(f"**{staff_texts.TC_SIGNATURE}**")
        st.html(f'<img class="staff-signature" src="data:image/png;base64,{picture}" width="320" '
                f'alt="{escape(staff_texts.TC_SIGNATURE)}">')
    if consent.countersigned_at is not None:
        st.markdown(fmt.literal_markdown(staff_texts.TC_COUNTERSIGNED_LINE.format(
            name=consent.countersigned_by, when=fmt.moment(consent.countersigned_at, zone, now),
            digest=consent.pdf_sha256)))
        if (consent.clinician_answer or "").strip():
            st.markdown(f"**{staff_texts.TC_ANSWER_SHOWN}**")
            st.text(consent.clinician_answer)
        pdf = consent.pdf
        downloads.offer_download(staff_texts.TC_DOWNLOAD, f"consent-{fmt.short_id(consent.id)}.pdf", "application/pdf",
                                 lambda: pdf, CONSENT_VIEWED, submission_id=stored.id, key="staff-download-consent",
                                 icon=":material/draw:")
    elif consent.decision == "declined":
        st.error(staff_texts.TC_DECLINED, icon=":material/block:")
    else:
        st.text_area(staff_texts.TC_ANSWER_LABEL, key=ANSWER_KEY, max_chars=2000)
        st.caption(staff_texts.TC_ANSWER_HELP)
        st.button(staff_texts.TC_COUNTERSIGN_BUTTON, key="staff-countersign", type="primary", on_click=_countersign,
                  args=(stored, consent.id, staff, store, clock), icon=":material/draw:")


def paper_problems(name: str, decision: Optional[str]) -> list[str]:
    problems = []
    if not name.strip():
        problems.append(staff_texts.TC_PAPER_NAME_NEEDED)
    if decision is None:
        problems.append(staff_texts.TC_PAPER_DECISION_NEEDED)
    return problems


def _record_paper(stored: Submission, staff: Staff, store: Store, clock: Clock) -> None:
    state = st.session_state
    language, decision, name, questions = (state.get(key) for key in PAPER_KEYS)
    problems = paper_problems(name or "", decision)
    if problems:
        flash("error", " ".join(problems))
        return
    now = clock()
    consent = paper_consent(stored, language or "en", decision, name.strip(), (questions or "").strip(), now)
    try:
        store.consents.record_paper(stored.id, consent, by=signer(staff), at=now, render=consent_renderer(stored.intake),
                                    answer=(state.get(PAPER_ANSWER_KEY) or "").strip())
    except StorageError as exc:
        flash("error", str(exc))
        return
    for key in (*PAPER_KEYS, PAPER_ANSWER_KEY):
        state.pop(key, None)
    flash("success", staff_texts.TC_PAPER_RECORDED)


def _paper_form(stored: Submission, staff: Staff, store: Store, clock: Clock) -> None:
    with st.expander(staff_texts.TC_PAPER_HEADING, icon=":material/description:"):
        st.markdown(staff_texts.TC_PAPER_INTRO)
        st.selectbox(staff_texts.TC_PAPER_LANGUAGE, list(ENGLISH_NAMES), key=PAPER_KEYS[0], format_func=ENGLISH_NAMES.get,
                     index=list(ENGLISH_NAMES).index(stored.capture.language)
                     if stored.capture.language in ENGLISH_NAMES else 0)
        st.radio(staff_texts.TC_PAPER_DECISION, list(staff_texts.TC_DECISIONS), index=None, key=PAPER_KEYS[1],
                 format_func=staff_texts.TC_DECISIONS.get)
        st.text_input(staff_texts.TC_PAPER_NAME, key=PAPER_KEYS[2], max_chars=200)
        st.text_area(staff_texts.TC_PAPER_QUESTIONS, key=PAPER_KEYS[3], max_chars=2000)
        st.text_area(staff_texts.TC_ANSWER_LABEL, key=PAPER_ANSWER_KEY, max_chars=2000)
        st.caption(staff_texts.TC_ANSWER_HELP)
        st.caption(staff_texts.TC_PAPER_SCAN_NOTE)
        st.button(staff_texts.TC_PAPER_BUTTON, key="staff-record-paper", type="primary", on_click=_record_paper,
                  args=(stored, staff, store, clock), icon=":material/draw:")


def box(stored: Submission, staff: Staff, store: Store, clock: Clock, zone: tzinfo) -> None:
    """The consent box of a submission."""
    with st.container(border=True, key="staff-treatment-consent"):
        st.subheader(staff_texts.TC_HEADING, anchor=False)
        consent = store.consents.for_submission(stored.id)
        if consent is not None:
            _signed(consent, stored, staff, store, clock, zone)
            return
        st.write(staff_texts.TC_NONE)
        if stored.patient_id:
            st.write(staff_texts.TC_STANDING[store.consents.standing(stored.patient_id)])
        _paper_form(stored, staff, store, clock)
