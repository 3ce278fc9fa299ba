"""Treatment records, one per session, and the lot recall that reads them.

A treatment is recorded against the submission that screened that session, for the patient that
submission is linked to, in one transaction that reads the screening, its review, the patient's
earlier sessions and checks the record (``screener.clinical.treatment``) before saving it: a refusal
lists every reason and saves nothing. Every record and every recall is on the audit trail.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Connection, insert, select

from ..clinical.errors import Problem, ScreenerError
from ..clinical.impact import spreadsheet_cell
from ..clinical.models import PriorSession
from ..clinical.stored import stored_assessment
from ..clinical.treatment import TreatmentRecord, treatment_problems
from .consents import ConsentBook
from .errors import NotFound, guarded
from .records import Capture
from .schema import audit_events, patients, submissions, treatments

TREATMENT_RECORDED, TREATMENT_REFUSED, LOT_RECALLED = "treatment_recorded", "treatment_refused", "lot_recalled"
TREATMENTS_LISTED = "treatments_listed"
_NO_SUBMISSION = "There is no submission with this id (it may have been erased)."
_NOT_LINKED = "This submission is not linked to a patient yet: link it (or create the patient) first."
_NO_CONSENT = ("This patient has no countersigned consent to the treatment: they sign it on the tablet (or on the "
               "paper form) and a clinician countersigns it first.")
_OLDER_CONSENT = ("This patient's consent was signed on an older version of the consent's words: they sign the "
                  "current one (on the tablet or on paper) and a clinician countersigns it first.")


class TreatmentRefused(ScreenerError):
    """A treatment record that cannot be saved; ``problems`` says why, field by field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(map(str, problems)))


@dataclass(frozen=True)
class StoredTreatment:
    id: str
    patient_id: str
    submission_id: str
    record: TreatmentRecord
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class RecallRow:
    """One patient treated with a recalled lot, at one session."""

    patient_id: str
    patient_name: str
    date_of_birth: date
    session_date: date
    agent: str
    lot: str
    phone: Optional[str]
    email: Optional[str]
    language: str
    treatment_id: str


def lot_key(lot: str) -> str:
    """A lot number as a recall compares it: letters and digits only, case ignored (``px 2291`` is
    ``PX-2291``): a recall that matched one way of writing it only would miss patients."""
    return "".join(character for character in lot if character.isalnum()).upper()


def _treatment_from(row) -> StoredTreatment:
    return StoredTreatment(row.id, row.patient_id, row.submission_id, TreatmentRecord.model_validate_json(row.record_json),
                           row.recorded_by, row.recorded_at)


def _history(conn: Connection, patient_id: str) -> tuple[PriorSession, ...]:
    rows = conn.execute(select(treatments.c.record_json).where(treatments.c.patient_id == patient_id)
                        .order_by(treatments.c.session_date))
    return tuple(TreatmentRecord.model_validate_json(row.record_json).as_session() for row in rows)


class TreatmentLog:
    """The treatments of one database (``Store.treatments``)."""

    def __init__(self, engine, writer) -> None:
        self._engine, self._writer = engine, writer

    @guarded("The treatment could not be saved")
    def record(self, submission_id: str, record: TreatmentRecord, *, by: str, at: datetime,
               today: Optional[date] = None) -> StoredTreatment:
        """Save ``record`` against this session's submission; TreatmentRefused (nothing saved) with every
        reason it cannot be, NotFound for an unknown submission. A refusal is audited too."""
        with self._writer.begin() as conn:
            row = conn.execute(select(submissions.c.assessment_json, submissions.c.review_status,
                                      submissions.c.patient_id).where(submissions.c.id == submission_id)).first()
            if row is None:
                raise NotFound(_NO_SUBMISSION)
            if row.patient_id is None:
                problems = [Problem("submission", _NOT_LINKED)]
            else:
                problems = treatment_problems(record, stored_assessment(row.assessment_json),
                                              reviewed=row.review_status == "reviewed",
                                              history=_history(conn, row.patient_id), today=today)
                standing = ConsentBook.standing_in(conn, row.patient_id)
                if standing != "valid":
                    problems.append(Problem("consent", _OLDER_CONSENT if standing == "older" else _NO_CONSENT))
            if problems:
                refused = TreatmentRefused(problems)
            else:
                refused = None
                treatment_id = uuid.uuid4().hex
                conn.execute(insert(treatments).values(
                    id=treatment_id, patient_id=row.patient_id, submission_id=submission_id,
                    session_date=record.session_date, record_json=record.model_dump_json(),
                    lot_key=lot_key(record.lot), recorded_by=by, recorded_at=at))
                conn.execute(insert(audit_events).values(
                    at=at, staff=by, action=TREATMENT_RECORDED, submission_id=submission_id,
                    detail=f"treatment {treatment_id}: {record.agent}, lot {record.lot}"))
        if refused is not None:
            self._audit_refusal(submission_id, refused, by, at)
            raise refused
        return self.get(treatment_id)

    def _audit_refusal(self, submission_id: str, refused: TreatmentRefused, by: str, at: datetime) -> None:
        fields = ", ".join(dict.fromkeys(problem.path for problem in refused.problems))
        with self._writer.begin() as conn:
            conn.execute(insert(audit_events).values(at=at, staff=by, action=TREATMENT_REFUSED,
                                                      submission_id=submission_id, detail=f"refused: {fields}"))

    @guarded("The treatment could not be read")
    def get(self, treatment_id: str) -> StoredTreatment:
        with self._engine.connect() as conn:
            row = conn.execute(select(treatments).where(treatments.c.id == treatment_id)).first()
        if row is None:
            raise NotFound("There is no treatment with this id.")
        return _treatment_from(row)

    @guarded("The treatments could not be read")
    def for_patient(self, patient_id: str) -> list[StoredTreatment]:
        """Every session of this patient, oldest first."""
        with self._engine.connect() as conn:
            return [_treatment_from(row) for row in conn.execute(
                select(treatments).where(treatments.c.patient_id == patient_id)
                .order_by(treatments.c.session_date, treatments.c.recorded_at))]

    @guarded("The treatments could not be read")
    def for_submission(self, submission_id: str) -> list[StoredTreatment]:
        with self._engine.connect() as conn:
            return [_treatment_from(row) for row in conn.execute(
                select(treatments).where(treatments.c.submission_id == submission_id)
                .order_by(treatments.c.session_date, treatments.c.recorded_at))]

    @guarded("The treatments could not be read")
    def history(self, patient_id: Optional[str], before: Optional[date] = None) -> tuple[PriorSession, ...]:
        """What the rules read of this patient's recorded sessions (those before ``before`` if given)."""
        if patient_id is None:
            return ()
        with self._engine.connect() as conn:
            sessions = _history(conn, patient_id)
        return tuple(session for session in sessions if before is None or session.session_date < before)

    @guarded("The lot could not be looked up")
    def recall(self, lot: str, *, by: str, at: datetime) -> list[RecallRow]:
        """Every session given from ``lot``, across all patients and visits, by session date; audited."""
        query = (select(treatments.c.id, treatments.c.patient_id, treatments.c.session_date, treatments.c.record_json,
                        patients.c.full_name, patients.c.date_of_birth, patients.c.phone, patients.c.email,
                        submissions.c.capture_json)
                 .join(patients, patients.c.id == treatments.c.patient_id)
                 .join(submissions, submissions.c.id == treatments.c.submission_id, isouter=True)
                 .where(treatments.c.lot_key == lot_key(lot))
                 .order_by(treatments.c.session_date, patients.c.name_key, treatments.c.id))
        with self._writer.begin() as conn:
            rows = conn.execute(query).all()
            conn.execute(insert(audit_events).values(at=at, staff=by, action=LOT_RECALLED, submission_id=None,
                                                      detail=f"lot {lot_key(lot)}: {len(rows)} sessions listed"))
        found = []
        for row in rows:
            record = json.loads(row.record_json)
            capture = Capture.model_validate_json(row.capture_json) if row.capture_json else Capture()
            found.append(RecallRow(row.patient_id, row.full_name, row.date_of_birth, row.session_date,
                                   record["agent"], record["lot"], row.phone, row.email, capture.language, row.id))
        return found


RECALL_COLUMNS = ("patient_id", "patient_name", "date_of_birth", "session_date", "agent", "lot", "phone", "email",
                  "language", "treatment_id")


def recall_csv(rows: list[RecallRow]) -> bytes:
    """A recall as UTF-8 CSV, each cell a spreadsheet would run as a formula quoted (as ``reassess`` quotes)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(RECALL_COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_cell(getattr(row, column)) for column in RECALL_COLUMNS])
    return out.getvalue().encode("utf-8")
