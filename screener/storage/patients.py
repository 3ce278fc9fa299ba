"""Patients across visits: the record a course of treatment belongs to, and how submissions join it.

A patient is a name, a date of birth and, if staff enter them, a phone and an e-mail (the tablet
never asks for them). A new submission is *suggested* to the patient whose name and date of birth
match it (names compared with case, accents and spacing folded) and belongs to a patient only once
a clinician links it: never merged silently. Every change is on the audit trail by id, never by name.
Erasing a patient erases their submissions, treatments, visit codes, invitations (with their drafts) and
contact details, and the files are scrubbed as for one submission.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from .erasure import ERASURE_REASONS, scrub
from .errors import NotFound, StorageError, guarded
from .records import SUMMARY_COLUMNS, SubmissionSummary, summary_from
from .schema import audit_events, consents, invitation_drafts, invitations, patients, submissions, treatments, visit_codes

PATIENT_ADDED, PATIENT_CHANGED, PATIENT_ERASED = "patient_added", "patient_changed", "patient_erased"
SUBMISSION_LINKED = "submission_linked"
PATIENTS_SEARCHED, PATIENT_VIEWED = "patients_searched", "patient_viewed"
_NO_PATIENT = "This patient does not exist (they may have been erased)."
_NO_SUBMISSION = "This submission does not exist (it may have been erased)."
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{2,}")
_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{4,30}")


@dataclass(frozen=True)
class Patient:
    id: str
    full_name: str
    date_of_birth: date
    phone: Optional[str]
    email: Optional[str]
    created_at: datetime

    def matches(self, full_name: str, date_of_birth: date) -> bool:
        """Whether a submission's name and date of birth are this patient's (names folded as matching folds them)."""
        return (matching_key(self.full_name), self.date_of_birth) == (matching_key(full_name), date_of_birth)


def matching_key(name: str) -> str:
    """A name as matching compares it: case, accents and spacing folded (``José  Núñez`` is ``jose nunez``)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(character for character in decomposed if not unicodedata.combining(character))
    return " ".join(unicodedata.normalize("NFKC", bare).split())


def contact_problems(phone: Optional[str], email: Optional[str]) -> list[str]:
    problems = []
    phone, email = _blank_to_none(phone), _blank_to_none(email)
    if phone and not _PHONE.fullmatch(phone):
        problems.append("The phone number may hold only digits, spaces and + ( ) . / -, 5 to 31 of them.")
    if email and not _EMAIL.fullmatch(email):
        problems.append("The e-mail address is not one (it needs a name, an @ and a domain).")
    return problems


def _patient_from(row) -> Patient:
    return Patient(row.id, row.full_name, row.date_of_birth, row.phone, row.email, row.created_at)


def _blank_to_none(text: Optional[str]) -> Optional[str]:
    return text.strip() if text and text.strip() else None


class PatientDirectory:
    """The patients of one database (``Store.patients``)."""

    def __init__(self, engine, writer) -> None:
        self._engine, self._writer = engine, writer

    @staticmethod
    def _audit(conn: Connection, staff: str, action: str, at: datetime, submission_id: Optional[str] = None,
               detail: str = "") -> None:
        conn.execute(insert(audit_events).values(at=at, staff=staff, action=action, submission_id=submission_id,
                                                  detail=detail))

    @staticmethod
    def _row(conn: Connection, patient_id: str):
        row = conn.execute(select(patients).where(patients.c.id == patient_id)).first()
        if row is None:
            raise NotFound(_NO_PATIENT)
        return row

    @guarded("The patient could not be saved")
    def add(self, full_name: str, date_of_birth: date, *, by: str, at: datetime, phone: Optional[str] = None,
            email: Optional[str] = None) -> Patient:
        """A new patient record; StorageError naming what is wrong with the contact details."""
        if not full_name.strip():
            raise StorageError("The patient's name cannot be blank.")
        if problems := contact_problems(phone, email):
            raise StorageError(" ".join(problems))
        patient_id = uuid.uuid4().hex
        with self._writer.begin() as conn:
            conn.execute(insert(patients).values(
                id=patient_id, full_name=full_name, name_key=matching_key(full_name), date_of_birth=date_of_birth,
                phone=_blank_to_none(phone), email=_blank_to_none(email), created_at=at, created_by=by))
            self._audit(conn, by, PATIENT_ADDED, at, detail=f"patient {patient_id}")
            return _patient_from(self._row(conn, patient_id))

    @guarded("The patient could not be read")
    def get(self, patient_id: str) -> Patient:
        with self._engine.connect() as conn:
            return _patient_from(self._row(conn, patient_id))

    @guarded("The patients could not be searched")
    def search(self, text: str, *, limit: int = 50) -> list[Patient]:
        """Patients whose name holds ``text`` (folded as matching folds it), or born on a ``YYYY-MM-DD`` it gives."""
        key = matching_key(text)
        query = select(patients).order_by(patients.c.name_key, patients.c.date_of_birth).limit(limit)
        if key:
            escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conditions = [patients.c.name_key.like(f"%{escaped}%", escape="\\")]
            try:
                conditions.append(patients.c.date_of_birth == date.fromisoformat(text.strip()))
            except ValueError:
                pass
            query = query.where(or_(*conditions))
        with self._engine.connect() as conn:
            return [_patient_from(row) for row in conn.execute(query)]

    @guarded("The patient could not be changed")
    def set_contact(self, patient_id: str, *, phone: Optional[str], email: Optional[str], by: str,
                    at: datetime) -> Patient:
        """Staff enter or change the phone and e-mail (blank removes them)."""
        if problems := contact_problems(phone, email):
            raise StorageError(" ".join(problems))
        with self._writer.begin() as conn:
            self._row(conn, patient_id)
            conn.execute(update(patients).where(patients.c.id == patient_id).values(
                phone=_blank_to_none(phone), email=_blank_to_none(email)))
            self._audit(conn, by, PATIENT_CHANGED, at, detail=f"patient {patient_id}: contact details")
            return _patient_from(self._row(conn, patient_id))

    @guarded("The matching patients could not be found")
    def suggested_for(self, submission_id: str) -> list[Patient]:
        """The patients whose name and date of birth match this submission's, for a clinician to confirm."""
        with self._engine.connect() as conn:
            row = conn.execute(select(submissions.c.patient_name, submissions.c.date_of_birth)
                               .where(submissions.c.id == submission_id)).first()
            if row is None:
                raise NotFound(_NO_SUBMISSION)
            return [_patient_from(found) for found in conn.execute(
                select(patients).where(patients.c.name_key == matching_key(row.patient_name),
                                       patients.c.date_of_birth == row.date_of_birth)
                .order_by(patients.c.created_at))]

    @guarded("The submission could not be linked")
    def link(self, submission_id: str, patient_id: str, *, by: str, at: datetime) -> None:
        """A clinician confirms that this submission is this patient's (a relink is recorded as one)."""
        with self._writer.begin() as conn:
            self._row(conn, patient_id)
            if not conn.execute(update(submissions).where(submissions.c.id == submission_id).values(
                    patient_id=patient_id, linked_by=by, linked_at=at)).rowcount:
                raise NotFound(_NO_SUBMISSION)
            self._audit(conn, by, SUBMISSION_LINKED, at, submission_id, f"to patient {patient_id}")

    @guarded("The patient could not be created")
    def add_from_submission(self, submission_id: str, *, by: str, at: datetime) -> Patient:
        """A new patient with this submission's name and date of birth, the submission linked to it."""
        with self._engine.connect() as conn:
            row = conn.execute(select(submissions.c.patient_name, submissions.c.date_of_birth)
                               .where(submissions.c.id == submission_id)).first()
        if row is None:
            raise NotFound(_NO_SUBMISSION)
        patient = self.add(row.patient_name, row.date_of_birth, by=by, at=at)
        self.link(submission_id, patient.id, by=by, at=at)
        return patient

    @guarded("The patient's visits could not be read")
    def visits(self, patient_id: str) -> list[SubmissionSummary]:
        """Every submission of this patient, oldest first."""
        with self._engine.connect() as conn:
            self._row(conn, patient_id)
            return [summary_from(row) for row in conn.execute(
                select(*SUMMARY_COLUMNS).where(submissions.c.patient_id == patient_id)
                .order_by(submissions.c.submitted_at, submissions.c.id))]

    @guarded("The patient of the submission could not be read")
    def of_submission(self, submission_id: str) -> Optional[Patient]:
        """The patient this submission is linked to, or None."""
        with self._engine.connect() as conn:
            patient_id = conn.scalar(select(submissions.c.patient_id).where(submissions.c.id == submission_id))
            return None if patient_id is None else _patient_from(self._row(conn, patient_id))

    @guarded("The patients could not be counted")
    def count(self) -> int:
        with self._engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(patients))

    @guarded("The patient could not be erased")
    def erase(self, patient_id: str, *, staff: str, reason: str, at: datetime) -> int:
        """Erase the patient, every submission of theirs, their treatments, visit codes and invitations; how many
        submissions went. One ``patient_erased`` event (ids only) and one ``submission_erased`` per submission."""
        if reason not in ERASURE_REASONS:
            raise ValueError(f"reason must be one of {sorted(ERASURE_REASONS)}")
        from .erasure import ERASED_ACTION

        with self._writer.begin() as conn:
            self._row(conn, patient_id)
            ids = list(conn.scalars(select(submissions.c.id).where(submissions.c.patient_id == patient_id)))
            conn.execute(delete(treatments).where(treatments.c.patient_id == patient_id))
            conn.execute(delete(visit_codes).where(visit_codes.c.patient_id == patient_id))
            conn.execute(delete(consents).where(consents.c.submission_id.in_(ids)))
            theirs = select(invitations.c.id).where(invitations.c.patient_id == patient_id)
            conn.execute(delete(invitation_drafts).where(invitation_drafts.c.invitation_id.in_(theirs)))
            conn.execute(delete(invitations).where(invitations.c.patient_id == patient_id))
            conn.execute(delete(submissions).where(submissions.c.patient_id == patient_id))
            conn.execute(delete(patients).where(patients.c.id == patient_id))
            for submission_id in ids:
                self._audit(conn, staff, ERASED_ACTION, at, submission_id, reason)
            self._audit(conn, staff, PATIENT_ERASED, at, detail=f"patient {patient_id}: {reason}")
        scrub(self._engine, ("submissions", "patients", "treatments", "visit_codes", "consents", "invitations",
                             "invitation_drafts"))
        return len(ids)
