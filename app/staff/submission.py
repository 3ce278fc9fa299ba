"""One submission as stored: decision, flags, answers, the PDF, and the clinician's review.

The stored assessment is what the clinician sees; when the rules have changed since,
the assessment under today's rules is shown beside it (``screener.clinical.reassess``), never
in its place. Patient text is drawn with ``st.text``; every other text passes through
``literal_markdown`` before it reaches ``st.markdown``.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Callable

import streamlit as st

from app.staff import downloads, erasure, invitations, patients, treatment_consent
from app.staff import formatting as fmt
from app.staff import staff_texts
from app.staff.review_queue import OPEN_ID, SCREEN
from app.staff.session import Clock, Staff, flash
from screener import config, render_handout, render_pdf
from screener.clinical.errors import ScreenerError
from screener.clinical.models import Assessment, Flag, age_in_years
from screener.fhir import submission_bundle_json
from screener.language.i18n import ENGLISH_NAMES, LANGUAGE_NAMES, SOURCE_LANGUAGE, catalog_path
from screener.clinical.questionnaire import (
    AGENT_LABELS, DECISION_LABELS, OWN_WORDS_TITLE, SEVERITY_LABELS, TECHNIQUE_LABELS, answer_rows,
    cited_questions, not_asked_questions, own_words,
)
from screener import assess
from screener.clinical.reassess import Reassessment, compare, reassess
from screener.clinical.rules import RULES_VERSION
from screener.storage import ReviewConflict, StorageError, Store, Submission
from screener.storage.invitations import HOME
from screener.storage.visits import CONFIRM
from screener.language.wording import consent_statements, language_named

SEEN_VERSION = "staff_seen_review_version"
NOTE_KEY = "staff-review-note"
UNSAVED_NOTE = "staff_unsaved_note"


def back_to_queue() -> None:
    """Leave the submission: its screen state goes, and so does every download it offered."""
    for key in (SCREEN, OPEN_ID, SEEN_VERSION, NOTE_KEY, UNSAVED_NOTE, erasure.REASON_KEY, erasure.CONFIRM_KEY):
        st.session_state.pop(key, None)
    downloads.revoke_all()


def _badge(label: str, look: tuple[str, str]) -> None:
    colour, icon = look
    st.badge(label, color=colour, icon=icon)


def _decision(assessment: Assessment) -> None:
    _badge(DECISION_LABELS[assessment.decision], fmt.DECISION_BADGES[assessment.decision])


def _from_stored(submission_id: str, store: Store, make: Callable[[Submission], bytes]) -> Callable[[], bytes]:
    """A file made from the stored record when Download is pressed (an erased one gives nothing)."""

    def produce() -> bytes:
        return make(store.get_submission(submission_id))

    return produce


def handout_language(language: str) -> str:
    """The language of the patient's handout: theirs when the handout is written in it, else English."""
    if language == SOURCE_LANGUAGE or (language in LANGUAGE_NAMES and catalog_path(language, "handout").exists()):
        return language
    return SOURCE_LANGUAGE


def _handout_numbers() -> dict[str, str] | None:
    """The numbers the handout prints (``screener.config``); None, with the setting named, when one is unusable."""
    try:
        return {"clinic_phone": config.clinic_phone(), "emergency_number": config.emergency_number()}
    except config.ConfigError as exc:  # never a sheet with a wrong number to call
        st.error(fmt.literal_markdown(f"The patient handout cannot be made until this setting is fixed: {exc}"))
        return None


def _downloads(stored: Submission, store: Store, clinic_zone: tzinfo) -> None:
    """The PDF summary, the FHIR bundle and the patient's handout: each made and audited on Download."""
    record, language = fmt.short_id(stored.id), handout_language(stored.capture.language)
    numbers = _handout_numbers()
    offers = (
        (staff_texts.DOWNLOAD_BUTTON, f"screening-{record}.pdf", "application/pdf",
         lambda kept: render_pdf(kept.intake, kept.assessment, kept.capture, patients.course_for(store, kept)),
         staff_texts.PDF_DOWNLOADED,
         "staff-download", ":material/picture_as_pdf:"),
        (staff_texts.FHIR_BUTTON, f"screening-{record}.fhir.json", "application/fhir+json",
         lambda kept: submission_bundle_json(kept, zone=clinic_zone), staff_texts.FHIR_DOWNLOADED,
         "staff-download-fhir", ":material/data_object:"),
        (staff_texts.HANDOUT_BUTTON.format(language=ENGLISH_NAMES[language]), f"handout-{record}-{language}.pdf",
         "application/pdf", lambda kept: render_handout(kept.intake, kept.assessment, language, **numbers),
         staff_texts.HANDOUT_DOWNLOADED, "staff-download-handout", ":material/description:"),
    )
    if numbers is None:
        offers = offers[:-1]  # the handout last: not offered while its numbers cannot be printed
    with st.container(horizontal=True, key="staff-downloads"):
        for label, file_name, mime, make, action, key, icon in offers:
            downloads.offer_download(label, file_name, mime, _from_stored(stored.id, store, make), action,
                                     submission_id=stored.id, key=key, icon=icon)
    if language != stored.capture.language:
        st.caption(fmt.literal_markdown(staff_texts.HANDOUT_IN_ENGLISH.format(
            language=language_named(stored.capture.language))))


def _review(submission_id: str, staff: str, store: Store, clock: Clock) -> None:
    state = st.session_state
    note = (state.get(NOTE_KEY) or "").strip()
    now = clock()
    try:
        try:
            store.mark_reviewed(submission_id, staff=staff, note=note, expected_version=state[SEEN_VERSION],
                                          at=now)
        except ReviewConflict:
            store.record_event(staff=staff, action=staff_texts.REVIEW_REFUSED, at=now, submission_id=submission_id,
                               detail=f"expected review version {state[SEEN_VERSION]}")
            flash("warning", staff_texts.REVIEW_CONFLICT)
            if note:
                state[UNSAVED_NOTE] = note
            return
        flash("success", staff_texts.REVIEW_SAVED)
        state.pop(NOTE_KEY, None)
    except StorageError as exc:
        flash("error", str(exc))


def _heading(stored: Submission, zone: tzinfo, now: datetime) -> None:
    """The patient's name as the screen's heading (every character escaped, so shown as typed)."""
    patient = stored.intake.patient
    st.header(fmt.literal_markdown(patient.full_name), anchor=False)
    st.caption(fmt.literal_markdown(staff_texts.PATIENT_LINE.format(
        born=fmt.day(patient.date_of_birth), age=age_in_years(patient.date_of_birth, stored.assessment.assessed_on),
        submitted=fmt.moment(stored.submitted_at, zone, now), record=fmt.short_id(stored.id))))
    st.markdown(fmt.literal_markdown(staff_texts.ANSWERED_IN.format(language=language_named(stored.capture.language))))


def _own_words(stored: Submission) -> None:
    """What the patient wrote themselves, at the top, where a clinician looks first."""
    with st.container(border=True, key="staff-own-words"):
        st.subheader(OWN_WORDS_TITLE, anchor=False)
        written = own_words(stored.intake)
        if not written:
            st.write(staff_texts.OWN_WORDS_EMPTY)
        for question, text in written:
            st.markdown(f"**{fmt.literal_markdown(question)}**")
            st.text(text)  # exactly as typed, in any script


def _consent(stored: Submission) -> None:
    """The statement signed, in the patient's language with the English beside it."""
    st.subheader(staff_texts.CONSENT_HEADING, anchor=False)
    statements = consent_statements(stored.capture)
    for column, (label, statement) in zip(st.columns(len(statements)), statements):
        column.markdown(f"**{fmt.literal_markdown(label)}**")
        column.text(statement)


def _review_box(stored: Submission, staff: str, store: Store, clock: Clock, zone: tzinfo) -> None:
    with st.container(border=True, key="staff-review"):
        st.subheader(staff_texts.REVIEW_HEADING, anchor=False)
        if stored.review_status == "reviewed":
            typed = (st.session_state.pop(NOTE_KEY, None) or "").strip()  # someone else reviewed while typing
            if typed:
                st.session_state[UNSAVED_NOTE] = typed
            st.text(staff_texts.REVIEWED_BY.format(name=stored.reviewed_by, when=fmt.moment(stored.reviewed_at, zone,
                                                                                        clock())))
            if stored.review_note:
                st.markdown(f"**{staff_texts.NOTE_HEADING}**")
                st.text(stored.review_note)
            if st.session_state.get(UNSAVED_NOTE):
                st.markdown(f"**{staff_texts.UNSAVED_NOTE_HEADING}**")
                st.text(st.session_state[UNSAVED_NOTE])
            return
        st.text(staff_texts.NOT_REVIEWED)
        st.session_state[SEEN_VERSION] = stored.review_version  # the version this person is looking at
        st.text_area(staff_texts.NOTE_LABEL, key=NOTE_KEY, max_chars=2000)
        st.button(staff_texts.REVIEW_BUTTON, key="staff-mark-reviewed", type="primary", on_click=_review,
                  args=(stored.id, staff, store, clock), icon=":material/task_alt:")


def _exclusions(assessment: Assessment) -> None:
    st.subheader(staff_texts.EXCLUSIONS_HEADING, anchor=False)
    if not assessment.excluded_agents and not assessment.excluded_techniques:
        st.write(staff_texts.NOTHING_EXCLUDED)
    if assessment.excluded_agents:
        st.markdown(fmt.literal_markdown(staff_texts.EXCLUDED_AGENTS.format(
            agents=fmt.names(AGENT_LABELS, assessment.excluded_agents))))
    if assessment.excluded_techniques:
        st.markdown(fmt.literal_markdown(staff_texts.EXCLUDED_TECHNIQUES.format(
            techniques=fmt.names(TECHNIQUE_LABELS, assessment.excluded_techniques))))


def _flag(flag: Flag) -> None:
    with st.container(border=True, key=f"staff-flag-{flag.rule_id}"):
        badge, title = st.columns([1, 6], vertical_alignment="center")
        with badge:
            _badge(SEVERITY_LABELS[flag.severity], fmt.SEVERITY_BADGES[flag.severity])
        title.markdown(f"**{fmt.literal_markdown(flag.title)}** · {fmt.literal_markdown(flag.rule_id)}")
        for heading, text in ((staff_texts.REASON, flag.reason), (staff_texts.ACTION, flag.action)):
            st.markdown(f"**{heading}:** {fmt.literal_markdown(text)}")
        st.caption(f"{staff_texts.SOURCE}: {fmt.literal_markdown(flag.source)}")


def _flags(assessment: Assessment) -> None:
    heading = staff_texts.FLAGS_HEADING if assessment.rules_version == RULES_VERSION else staff_texts.STORED_FLAGS_HEADING
    st.subheader(heading.format(count=len(assessment.flags)), anchor=False)
    if not assessment.flags:
        st.write(staff_texts.NO_FLAGS)
    for flag in assessment.flags:
        _flag(flag)


def _flag_words(flag: Flag) -> str:
    return f"{SEVERITY_LABELS[flag.severity]}: {flag.title} ({flag.rule_id})"


def _differences(change: Reassessment) -> list[str]:
    lines = []
    if change.decision_changed:
        lines.append(staff_texts.DECISION_CHANGE.format(stored=DECISION_LABELS[change.stored.decision],
                                                  current=DECISION_LABELS[change.current.decision]))
    lines += [staff_texts.FLAG_ADDED.format(flag=_flag_words(flag)) for flag in change.added]
    lines += [staff_texts.FLAG_REMOVED.format(flag=_flag_words(flag)) for flag in change.removed]
    lines += [staff_texts.FLAG_CHANGED.format(flag=_flag_words(item.current), fields=", ".join(item.fields))
              for item in change.changed]
    added = [AGENT_LABELS[a] for a in change.agents_added] + [TECHNIQUE_LABELS[t] for t in change.techniques_added]
    removed = [AGENT_LABELS[a] for a in change.agents_removed] + [TECHNIQUE_LABELS[t] for t in change.techniques_removed]
    if added:
        lines.append(staff_texts.AGENTS_ADDED.format(items=", ".join(added)))
    if removed:
        lines.append(staff_texts.AGENTS_REMOVED.format(items=", ".join(removed)))
    return lines


def _rules_changed(stored: Submission) -> None:
    st.warning(staff_texts.RULES_CHANGED.format(stored=stored.assessment.rules_version, current=RULES_VERSION),
               icon=":material/history:")
    try:
        change = reassess(stored.intake, stored.assessment)
    except ScreenerError as exc:
        st.error(staff_texts.REASSESS_FAILED.format(problem=exc))
        return
    with st.container(border=True, key="staff-reassessment"):
        then, now = st.columns(2)
        with then:
            st.markdown(f"**{staff_texts.STORED_SIDE}**")
            _decision(change.stored)
        with now:
            st.markdown(f"**{staff_texts.CURRENT_SIDE}**")
            _decision(change.current)
        differences = _differences(change)
        if not differences:
            st.write(staff_texts.SAME_RESULT)
        for line in differences:
            st.markdown(f"- {fmt.literal_markdown(line)}")
        if change.added:
            st.markdown(f"**{staff_texts.CURRENT_FLAGS}**")
            for flag in change.added:
                _flag(flag)


def _not_asked(stored: Submission) -> None:
    """The questions added to the intake after this patient signed: never asked, so never guessed."""
    questions = not_asked_questions(stored.intake)
    if not questions:
        return
    with st.container(border=True, key="staff-not-asked"):
        st.markdown(f"**{staff_texts.NOT_ASKED_HEADING}**")
        st.markdown(fmt.literal_markdown(staff_texts.NOT_ASKED_NOTE))
        for title, question in questions:
            st.markdown(f"- {fmt.literal_markdown(question)} ({fmt.literal_markdown(title)})")


def _with_the_record(stored: Submission, store: Store) -> None:
    """A submission assessed before the patient's recorded sessions were known to it (linked later):
    what the rules give with them, beside the stored assessment, never in its place."""
    if stored.patient_id is None:
        return
    history = store.treatments.history(stored.patient_id, before=stored.assessment.assessed_on)
    if not history:
        return
    now = assess(stored.intake, stored.assessment.assessed_on, history)
    change = compare(stored.assessment, now)
    if not change.differs:
        return
    with st.container(border=True, key="staff-with-record"):
        st.subheader(staff_texts.WITH_RECORD_HEADING, anchor=False)
        st.write(staff_texts.WITH_RECORD_NOTE)
        _decision(now)
        for line in _differences(change):
            st.markdown(f"- {fmt.literal_markdown(line)}")
        for flag in change.added:
            _flag(flag)


def _answers(stored: Submission) -> None:
    st.subheader(staff_texts.ANSWERS_HEADING, anchor=False)
    cited = cited_questions(stored.assessment)
    if cited:
        st.caption(fmt.literal_markdown(staff_texts.CITED_NOTE))
    with st.container(key="staff-answers"):
        for title, rows in answer_rows(stored.intake, fmt.day, stored.capture.entered):
            with st.expander(title, expanded=True):
                for question, answer in rows:
                    asked, given = st.columns([3, 2])
                    if (title, question) in cited:
                        asked.markdown(f"{staff_texts.CITED_MARK} **{fmt.literal_markdown(question)}**")
                    else:
                        asked.markdown(fmt.literal_markdown(question))
                    given.text(answer)  # as typed: never Markdown or HTML


def _check_at_the_clinic(stored: Submission, staff: Staff, store: Store, clock: Clock, zone: tzinfo) -> None:
    """Answered at home: the code that opens these answers on the tablet for the patient to check."""
    if stored.patient_id is None:
        st.info(staff_texts.CHECK_NEEDS_PATIENT, icon=":material/person_add:")
        return
    patients.visit_code(stored.patient_id, staff, store, clock, zone, purpose=CONFIRM, source_submission_id=stored.id,
                        texts=(staff_texts.CHECK_CODE_HEADING, staff_texts.CHECK_CODE_INTRO,
                               staff_texts.CHECK_CODE_BUTTON))


def show(submission_id: str, staff: Staff, store: Store, clock: Clock, zone: tzinfo,
         clinic_zone: tzinfo) -> None:
    """The whole stored submission and its review; ``zone`` is the reader's, ``clinic_zone`` the clinic's."""
    st.button(staff_texts.BACK_BUTTON, key="staff-back", on_click=back_to_queue, icon=":material/arrow_back:")
    stored = store.get_submission(submission_id)
    now = clock()
    _heading(stored, zone, now)
    with st.container(horizontal=True):
        if stored.assessment.urgent:
            _badge(staff_texts.URGENT_BADGE, fmt.URGENT_BADGE)
        _decision(stored.assessment)
        _badge(staff_texts.STATUS_LABELS[stored.review_status], fmt.STATUS_BADGES[stored.review_status])
        invitations.home_badge(stored.visit_kind)
    st.caption(fmt.literal_markdown(staff_texts.ASSESSED.format(day=fmt.day(stored.assessment.assessed_on),
                                                          version=stored.assessment.rules_version)))
    patients.link_box(stored, staff, store, clock)
    if stored.visit_kind == HOME:
        _check_at_the_clinic(stored, staff, store, clock, zone)
    _own_words(stored)
    _not_asked(stored)
    if stored.assessment.rules_version != RULES_VERSION:
        _rules_changed(stored)
    _downloads(stored, store, clinic_zone)
    _exclusions(stored.assessment)
    _flags(stored.assessment)
    _with_the_record(stored, store)
    patients.course_box(stored, store)
    treatment_consent.box(stored, staff, store, clock, zone)
    _review_box(stored, staff.username, store, clock, zone)
    _answers(stored)
    _consent(stored)
    if staff.is_admin:
        erasure.offer(stored.id, staff.username, store, clock, on_erased=back_to_queue)
