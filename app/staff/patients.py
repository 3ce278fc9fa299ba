"""Patients across visits in the staff area: search, a patient's page (contact details, every visit and
session in order, preparing the tablet with a visit code, recording a treatment), and erasing a patient.

Every opening and change is on the audit trail; names are drawn with ``st.text``, never as Markdown.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Optional

import streamlit as st
from pydantic import ValidationError

from app.staff import formatting as fmt
from app.staff import invitations
from app.staff import staff_texts
from app.staff.review_queue import SCREEN
from app.staff.session import Clock, Staff, flash
from screener.clinical.errors import problems_from
from screener.clinical.models import age_in_years
from screener.clinical.questionnaire import DECISION_LABELS, changed_answers
from screener.clinical.treatment import AGENT_WORDS, TreatmentRecord
from screener.documents.course import Course, session_words
from screener.storage import ERASURE_REASONS, NotFound, StorageError, Store, Submission, TreatmentRefused
from screener.storage.patients import PATIENT_VIEWED, PATIENTS_SEARCHED
from screener.storage.visits import RETURNING

PATIENTS, PATIENT = "patients", "patient"
PATIENT_ID = "staff_patient_id"
SEARCH_KEY = "staff-patient-search"
CODE_SHOWN = "staff_visit_code"
TREATMENT_PROBLEMS = "staff_treatment_problems"
ERASE_REASON_KEY, ERASE_CONFIRM_KEY = "staff-patient-erase-reason", "staff-patient-erase-confirm"


def course_for(store: Store, submission: Submission) -> Course:
    """What the summary and the view show of this submission's course: the changes from the visit it
    started from, and the sessions recorded before its screening."""
    changes: list = []
    if submission.previous_submission_id:
        try:
            changes = changed_answers(store.get_submission(submission.previous_submission_id).intake, submission.intake,
                                      fmt.day)
        except NotFound:  # the earlier visit was erased since
            changes = []
    sessions = [item.record for item in store.treatments.for_patient(submission.patient_id)
                if item.record.session_date < submission.assessment.assessed_on] if submission.patient_id else []
    return Course(changes=changes, sessions=sessions, returning=submission.previous_submission_id is not None)


def open_patient(patient_id: str, staff: str, store: Store, clock: Clock) -> None:
    """Show one patient's page, once its opening is on the audit trail (a button's callback)."""
    try:
        store.record_event(staff=staff, action=PATIENT_VIEWED, at=clock(), detail=f"patient {patient_id}")
    except StorageError as exc:
        flash("error", str(exc))
        return
    for key in (CODE_SHOWN, TREATMENT_PROBLEMS, invitations.LINK_SHOWN):
        st.session_state.pop(key, None)
    st.session_state[SCREEN] = PATIENT
    st.session_state[PATIENT_ID] = patient_id


def _open_submission(submission_id: str, staff: str, store: Store, clock: Clock) -> None:
    from app.staff.review_queue import open_submission

    open_submission(submission_id, staff, store, clock)


def search(staff: Staff, store: Store, clock: Clock) -> None:
    """Patients by name (case and accents folded) or date of birth (YYYY-MM-DD)."""
    st.header(staff_texts.PATIENTS_TITLE, anchor=False)
    typed = st.text_input(staff_texts.PATIENT_SEARCH, key=SEARCH_KEY, autocomplete="off")
    found = store.patients.search(typed or "")
    if st.session_state.get("staff_patients_listed") != typed:
        store.record_event(staff=staff.username, action=PATIENTS_SEARCHED, at=clock(),
                           detail="a name searched (not recorded)" if (typed or "").strip() else "all patients")
        st.session_state["staff_patients_listed"] = typed
    if not found:
        st.info(staff_texts.PATIENTS_NONE)
        return
    for patient in found:
        with st.container(border=True, key=f"staff-patient-row-{patient.id}", horizontal=True,
                          vertical_alignment="center"):
            with st.container(gap=None):
                st.text(patient.full_name)
                st.text(staff_texts.BORN_AGE.format(born=fmt.day(patient.date_of_birth),
                                              age=age_in_years(patient.date_of_birth, clock().date())))
            st.button(staff_texts.OPEN_BUTTON, key=f"staff-open-patient-{patient.id}", on_click=open_patient,
                      args=(patient.id, staff.username, store, clock))


def _save_contact(patient_id: str, staff: str, store: Store, clock: Clock) -> None:
    state = st.session_state
    try:
        store.patients.set_contact(patient_id, phone=state.get("staff-patient-phone"),
                                   email=state.get("staff-patient-email"), by=staff, at=clock())
        flash("success", staff_texts.CONTACT_SAVED)
    except StorageError as exc:
        flash("error", str(exc))


def _prepare_code(patient_id: str, staff: str, store: Store, clock: Clock, purpose: str,
                  source_submission_id: Optional[str]) -> None:
    try:
        prepared = store.visits.prepare(patient_id, by=staff, at=clock(), purpose=purpose,
                                        source_submission_id=source_submission_id)
    except StorageError as exc:
        flash("error", str(exc))
        return
    st.session_state[CODE_SHOWN] = (purpose, source_submission_id, prepared)


def visit_code(patient_id: str, staff: Staff, store: Store, clock: Clock, zone: tzinfo, *, purpose: str = RETURNING,
               source_submission_id: Optional[str] = None,
               texts: tuple[str, str, str] = (staff_texts.VISIT_CODE_HEADING, staff_texts.VISIT_CODE_INTRO,
                                              staff_texts.VISIT_CODE_BUTTON)) -> None:
    """A visit code for the tablet: a returning visit from the latest submission (the patient's page), or
    checking the answers of one submission given at home (``purpose`` ``CONFIRM``, on that submission)."""
    import segno

    heading, intro, button = texts
    shown = st.session_state.get(CODE_SHOWN)
    st.subheader(heading, anchor=False)
    st.caption(intro)
    if shown is not None and shown[:2] == (purpose, source_submission_id) and shown[2].patient_id == patient_id \
            and shown[2].expires_at > clock():
        prepared = shown[2]
        with st.container(border=True, key="staff-visit-code", horizontal=True, vertical_alignment="center"):
            st.markdown(f"## {prepared.code}")
            st.image(segno.make(prepared.code, error="m").svg_data_uri(scale=5), width=120,
                     caption=staff_texts.VISIT_CODE_QR)
        st.caption(staff_texts.VISIT_CODE_VALID.format(until=prepared.expires_at.astimezone(zone).strftime("%H:%M")))
    st.button(button, key="staff-prepare-code", on_click=_prepare_code,
              args=(patient_id, staff.username, store, clock, purpose, source_submission_id), icon=":material/tablet:")


def _treatment_values(state) -> dict:
    return {"session_date": state.get("staff-treatment-date"), "agent": state.get("staff-treatment-agent"),
            "concentration_percent": state.get("staff-treatment-concentration"),
            "form": state.get("staff-treatment-form"), "gas": state.get("staff-treatment-gas"),
            "volume_ml": state.get("staff-treatment-volume"), "areas": state.get("staff-treatment-areas") or [],
            "lot": (state.get("staff-treatment-lot") or "").strip(), "lot_expires": state.get("staff-treatment-expires"),
            "reactions": state.get("staff-treatment-reactions") or [],
            "notes": state.get("staff-treatment-notes") or None,
            "override_reason": state.get("staff-treatment-override") or None}


def _record_treatment(staff: str, store: Store, clock: Clock) -> None:
    state = st.session_state
    values = _treatment_values(state)
    if values["form"] != "foam":
        values["gas"] = None
    try:
        record = TreatmentRecord.model_validate(values)
        store.treatments.record(state.get("staff-treatment-submission"), record, by=staff, at=clock(),
                                today=clock().date())
    except ValidationError as exc:
        state[TREATMENT_PROBLEMS] = [str(problem) for problem in problems_from(exc)]
        return
    except TreatmentRefused as exc:
        state[TREATMENT_PROBLEMS] = [str(problem) for problem in exc.problems]
        return
    except (StorageError, NotFound) as exc:
        state[TREATMENT_PROBLEMS] = [str(exc)]
        return
    state.pop(TREATMENT_PROBLEMS, None)
    flash("success", staff_texts.TREATMENT_SAVED)


def _treatment_form(visits: list, staff: Staff, store: Store, clock: Clock) -> None:
    st.subheader(staff_texts.TREATMENT_HEADING, anchor=False)
    if not visits:
        st.info(staff_texts.TREATMENT_NEEDS_VISIT)
        return
    newest_first = list(reversed(visits))
    with st.form("staff-treatment", border=True):
        st.selectbox(staff_texts.TREATMENT_SCREENING, [visit.id for visit in newest_first], key="staff-treatment-submission",
                     format_func={visit.id: f"{fmt.day(visit.submitted_at.date())} · "
                                            f"{DECISION_LABELS[visit.decision]}" for visit in newest_first}.get)
        left, right = st.columns(2)
        left.date_input(staff_texts.TREATMENT_DATE, value=clock().date(), key="staff-treatment-date", format="YYYY-MM-DD")
        right.selectbox(staff_texts.TREATMENT_AGENT, list(AGENT_WORDS), format_func=AGENT_WORDS.get,
                        key="staff-treatment-agent")
        left.number_input(staff_texts.TREATMENT_CONCENTRATION, min_value=0.0, value=None, step=0.05, format="%g",
                          key="staff-treatment-concentration")
        right.number_input(staff_texts.TREATMENT_VOLUME, min_value=0.0, value=None, step=0.5, format="%g",
                           key="staff-treatment-volume")
        left.radio(staff_texts.TREATMENT_FORM, ["liquid", "foam"], format_func=str.capitalize, horizontal=True,
                   key="staff-treatment-form")
        right.selectbox(staff_texts.TREATMENT_GAS, list(staff_texts.GASES), format_func=staff_texts.GASES.get, index=None,
                        key="staff-treatment-gas")
        st.multiselect(staff_texts.TREATMENT_AREAS, list(staff_texts.TREATED_AREAS), format_func=staff_texts.TREATED_AREAS.get,
                       key="staff-treatment-areas")
        left.text_input(staff_texts.TREATMENT_LOT, max_chars=40, key="staff-treatment-lot", autocomplete="off")
        right.date_input(staff_texts.TREATMENT_EXPIRES, value=None, key="staff-treatment-expires", format="YYYY-MM-DD")
        st.multiselect(staff_texts.TREATMENT_REACTIONS, list(staff_texts.REACTIONS), format_func=staff_texts.REACTIONS.get,
                       key="staff-treatment-reactions")
        st.text_area(staff_texts.TREATMENT_NOTES, max_chars=2000, key="staff-treatment-notes")
        st.text_area(staff_texts.TREATMENT_OVERRIDE, max_chars=1000, key="staff-treatment-override")
        st.form_submit_button(staff_texts.TREATMENT_SAVE, on_click=_record_treatment, args=(staff.username, store, clock),
                              type="primary")
    for problem in st.session_state.get(TREATMENT_PROBLEMS, []):
        st.error(fmt.literal_markdown(problem), icon=":material/error:")


def sessions_table(records) -> None:
    """The sessions given, oldest first: date, agent, %, form, volume, lot, reactions (as the PDF lists them)."""
    st.dataframe([dict(zip(staff_texts.SESSION_COLUMNS, session_words(record))) for record in records],
                 hide_index=True, width="stretch")


def _erase_patient(patient_id: str, staff: str, store: Store, clock: Clock) -> None:
    state = st.session_state
    try:
        erased = store.patients.erase(patient_id, staff=staff, reason=state[ERASE_REASON_KEY], at=clock())
    except StorageError as exc:
        flash("error", str(exc))
        return
    for key in (SCREEN, PATIENT_ID, CODE_SHOWN, invitations.LINK_SHOWN, ERASE_REASON_KEY, ERASE_CONFIRM_KEY):
        state.pop(key, None)
    flash("success", staff_texts.PATIENT_ERASED.format(count=erased))


def page(patient_id: str, staff: Staff, store: Store, clock: Clock, zone: tzinfo) -> None:
    """One patient: details, every visit and session in order, the visit code, a treatment, erasure."""
    st.button(staff_texts.PATIENTS_BACK, key="staff-patients-back", icon=":material/arrow_back:",
              on_click=lambda: st.session_state.update({SCREEN: PATIENTS}))
    patient = store.patients.get(patient_id)
    st.header(staff_texts.PATIENT_TITLE, anchor=False)
    st.text(patient.full_name)
    st.text(staff_texts.BORN_AGE.format(born=fmt.day(patient.date_of_birth),
                                  age=age_in_years(patient.date_of_birth, clock().date())))
    with st.expander(staff_texts.CONTACT_HEADING, expanded=not (patient.phone or patient.email)):
        with st.form("staff-patient-contact", border=False):
            st.text_input(staff_texts.CONTACT_PHONE, value=patient.phone or "", key="staff-patient-phone", max_chars=32)
            st.text_input(staff_texts.CONTACT_EMAIL, value=patient.email or "", key="staff-patient-email", max_chars=254)
            st.form_submit_button(staff_texts.CONTACT_SAVE, on_click=_save_contact,
                                  args=(patient_id, staff.username, store, clock))
    visits = store.patients.visits(patient_id)
    st.subheader(staff_texts.VISITS_HEADING, anchor=False)
    if not visits:
        st.info(staff_texts.VISITS_NONE)
    for visit in visits:
        with st.container(border=True, key=f"staff-visit-{visit.id}", horizontal=True, vertical_alignment="center"):
            st.text(f"{fmt.moment(visit.submitted_at, zone, clock())} · {DECISION_LABELS[visit.decision]} · "
                    f"{staff_texts.STATUS_LABELS[visit.review_status]}")
            st.button(staff_texts.OPEN_BUTTON, key=f"staff-open-visit-{visit.id}", on_click=_open_submission,
                      args=(visit.id, staff.username, store, clock))
    treatments = store.treatments.for_patient(patient_id)
    st.subheader(staff_texts.SESSIONS_HEADING.format(count=len(treatments)), anchor=False)
    if treatments:
        sessions_table([item.record for item in treatments])
    visit_code(patient_id, staff, store, clock, zone)
    invitations.invite_box(patient, staff, store, clock, zone)
    _treatment_form(visits, staff, store, clock)
    if staff.is_admin:
        with st.expander(staff_texts.ERASE_PATIENT_HEADING, icon=":material/delete_forever:"):
            st.write(staff_texts.ERASE_PATIENT_INTRO)
            st.radio(staff_texts.ERASE_REASON, ["patient_request", "entered_in_error"], key=ERASE_REASON_KEY,
                     format_func=ERASURE_REASONS.get)
            confirmed = st.checkbox(staff_texts.ERASE_CONFIRM, key=ERASE_CONFIRM_KEY)
            st.button(staff_texts.ERASE_PATIENT_BUTTON, key="staff-erase-patient", type="primary", disabled=not confirmed,
                      on_click=_erase_patient, args=(patient_id, staff.username, store, clock),
                      icon=":material/delete_forever:")


def link_box(stored: Submission, staff: Staff, store: Store, clock: Clock) -> None:
    """On a submission: its patient, or the patients it matches to confirm, or a new patient record."""
    if stored.patient_id is not None:
        with st.container(horizontal=True, vertical_alignment="center", key="staff-submission-patient"):
            st.caption(staff_texts.LINKED_TO)
            st.button(staff_texts.OPEN_PATIENT_BUTTON, key="staff-open-linked-patient", on_click=open_patient,
                      args=(stored.patient_id, staff.username, store, clock), icon=":material/person:")
        return
    with st.container(border=True, key="staff-link-patient"):
        st.markdown(f"**{staff_texts.NOT_LINKED}**")
        for patient in store.patients.suggested_for(stored.id):
            st.caption(staff_texts.SUGGESTED.format(born=fmt.day(patient.date_of_birth)))
            st.button(staff_texts.LINK_BUTTON, key=f"staff-link-{patient.id}", on_click=_link,
                      args=(stored.id, patient.id, staff.username, store, clock))
        st.button(staff_texts.NEW_PATIENT_BUTTON, key="staff-new-patient", on_click=_new_patient,
                  args=(stored.id, staff.username, store, clock))


def _link(submission_id: str, patient_id: str, staff: str, store: Store, clock: Clock) -> None:
    try:
        store.patients.link(submission_id, patient_id, by=staff, at=clock())
        flash("success", staff_texts.LINKED)
    except StorageError as exc:
        flash("error", str(exc))


def _new_patient(submission_id: str, staff: str, store: Store, clock: Clock) -> None:
    try:
        store.patients.add_from_submission(submission_id, by=staff, at=clock())
        flash("success", staff_texts.LINKED)
    except StorageError as exc:
        flash("error", str(exc))


def course_box(stored: Submission, store: Store) -> Optional[Course]:
    """On a submission: what changed since the last visit, answer by answer, and the previous sessions."""
    course = course_for(store, stored)
    if course.returning:
        st.subheader(staff_texts.CHANGED_HEADING, anchor=False)
        if not course.changes:
            st.write(staff_texts.NOTHING_CHANGED)
        for title, question, before, now in course.changes:
            asked, then, today = st.columns([3, 2, 2])
            asked.markdown(f"{fmt.literal_markdown(question)} ({fmt.literal_markdown(title)})")
            then.text(before)
            today.text(now)
    if course.sessions:
        st.subheader(staff_texts.PREVIOUS_SESSIONS.format(count=len(course.sessions)), anchor=False)
        sessions_table(course.sessions)
    return course
