"""``Store``: submissions, reviews and the audit trail in one SQLite or PostgreSQL database."""

from __future__ import annotations

import functools
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Optional

from sqlalchemy import Connection, and_, case, func, insert, select, tuple_, update

from ..clinical.models import Assessment, Flag, Intake
from ..clinical.stored import stored_assessment
from .accounts import StaffDirectory
from .consents import CONSENT_SIGNED, ConsentBook, SignedConsent, consent_row
from .patients import PatientDirectory
from .treatments import TreatmentLog
from .visits import CONFIRM, VisitCodes, VisitOpening
from .invitations import Invitations
from .database import WRITE, make_engine
from .erasure import count_submitted_before, erase, ids_submitted_before
from .errors import BUSY, NotFound, ReviewConflict, StorageError, database_errors, guarded, reason_for
from .files import privacy_warning
from .records import (
    SUMMARY_COLUMNS, Capture, AuditEvent, StoredSubmission, Submission, SubmissionSummary, event_from,
    name_key, stored_from, submission_from, submission_row, summary_from,
)
from .schema import audit_events, consents, current_version, migrate, submissions

_REVIEWED = "reviewed"
_PENDING = "pending"
REVIEWED_ACTION = "submission_reviewed"
URGENT_LISTED_ACTION = "urgent_listed"  # python -m screener urgent
CDS_SCREENED_ACTION = "cds_screened"  # python -m screener serve-cds: a booking system asked, cards were sent
_SAVE_RETRY_PAUSES_S = (0.05, 0.2, 0.5, 1.0)
_NOT_FOUND = "This submission does not exist (it may have been opened from an old link)."
_CONFLICT = "Someone else changed this submission since you opened it; reload it and review it again."


def _utc(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return moment.astimezone(timezone.utc)


def _named(staff: str) -> str:
    if not isinstance(staff, str) or not staff.strip():
        raise ValueError("staff must name the person acting")
    return staff


def _event_row(*, staff: str, action: str, at: datetime, submission_id: Optional[str] = None, detail: str = "") -> dict:
    if not action:
        raise ValueError("action cannot be empty")
    return {"at": _utc(at, "at"), "staff": _named(staff), "action": action, "submission_id": submission_id,
            "detail": detail}


def _like_pattern(fragment: str) -> str:
    escaped = name_key(fragment).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_URGENT_WAITING = and_(submissions.c.urgent.is_(True), submissions.c.review_status == _PENDING)
# Sorted first in the queue: urgent and not yet reviewed (a reviewed one takes its place by time).
_URGENT_FIRST = case((_URGENT_WAITING, 0), else_=1)


def _queue_filters(decision: Optional[str], status: Optional[str], name_contains: Optional[str]) -> list:
    conditions = []
    if decision is not None:
        conditions.append(submissions.c.decision == decision)
    if status is not None:
        conditions.append(submissions.c.review_status == status)
    if name_contains is not None and name_contains.strip():
        conditions.append(submissions.c.name_key.like(_like_pattern(name_contains.strip()), escape="\\"))
    return conditions


def _reconnects_after_failure(method):
    """A failed write closes every pooled connection, so the next try opens fresh ones: a
    connection opened while the database was read-only (or its server away) stays so, and
    would fail every retry after the fault is fixed, until a restart lost the patient's answers."""

    @functools.wraps(method)
    def run(self: "Store", *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except database_errors():
            self._engine.dispose()
            raise

    return run


class Store:
    """One database of submissions and audit events; safe to share between threads and processes."""

    @guarded("The database could not be opened")
    def __init__(self, url: str) -> None:
        """Connect to ``url`` and create or upgrade the schema; StorageError if that fails."""
        self._engine = make_engine(url)
        try:
            migrate(self._engine)
        except BaseException:
            self._engine.dispose()
            raise
        self._writer = self._engine.execution_options(**WRITE)

    def privacy_warning(self) -> Optional[str]:
        """``data_privacy_warning`` of this store's database: a sentence when others can read its files."""
        return privacy_warning(self._engine.url)

    @staticmethod
    def default_url(data_dir: Path) -> str:
        """The embedded SQLite database in ``data_dir``, which is created if missing, readable
        by this user only (the database holds patient answers)."""
        try:
            Path(data_dir).mkdir(mode=0o700, parents=True, exist_ok=True)
            created = True
        except OSError:
            created = False
        if not created:
            raise StorageError("The database could not be opened (the data folder cannot be created).")
        return f"sqlite:///{Path(data_dir).resolve() / 'screener.sqlite3'}"

    @guarded("The answers could not be saved")
    @_reconnects_after_failure
    def save_submission(self, intake: Intake, assessment: Assessment, submitted_at: datetime,
                        capture: Optional[Capture] = None, visit: Optional[VisitOpening] = None,
                        visit_kind: Optional[str] = None, consent: Optional[SignedConsent] = None) -> str:
        """Store a new submission once, waiting briefly if the database is busy; its new id.

        ``capture`` says how the answers were captured (default: English, nothing more known).
        ``visit`` is the visit code it was opened with: the submission names the one it started from,
        and belongs to the code's patient when its name and date of birth match theirs (the clinician
        who prepared the code chose the patient); otherwise it is only suggested to them. ``consent`` is the
        consent to the treatment signed with it, stored in the same transaction."""
        submission_id = uuid.uuid4().hex
        row = submission_row(submission_id, intake, assessment, _utc(submitted_at, "submitted_at"), capture)
        if visit is not None:
            row.update(previous_submission_id=visit.source_submission_id,
                       visit_kind=visit_kind or ("home_checked" if visit.purpose == CONFIRM else "returning"))
            patient = self.patients.get(visit.patient_id)
            if patient.matches(intake.patient.full_name, intake.patient.date_of_birth):
                row.update(patient_id=patient.id, linked_by=f"{visit.prepared_by} (visit code)",
                           linked_at=row["submitted_at"])
        elif visit_kind is not None:
            row["visit_kind"] = visit_kind
        pauses, retrying = iter(_SAVE_RETRY_PAUSES_S), False
        while True:
            try:
                with self._writer.begin() as conn:
                    if not (retrying and self._exists(conn, submission_id)):  # an earlier try may have committed
                        conn.execute(insert(submissions).values(row))
                        if consent is not None:
                            signed = consent_row(submission_id, consent)
                            conn.execute(insert(consents).values(signed))
                            conn.execute(insert(audit_events).values(
                                at=row["submitted_at"], staff="patient", action=CONSENT_SIGNED,
                                submission_id=submission_id, detail=f"consent {signed['id']}: {consent.decision}"))
                return submission_id
            except database_errors() as error:
                pause = next(pauses, None)
                if pause is None or reason_for(error) != BUSY:
                    raise
            time.sleep(pause)
            retrying = True

    @guarded("The submission could not be loaded")
    def get_submission(self, submission_id: str) -> Submission:
        """The whole stored submission; NotFound if there is none with this id."""
        with self._engine.connect() as conn:
            row = conn.execute(select(submissions).where(submissions.c.id == submission_id)).first()
        if row is None:
            raise NotFound(_NOT_FOUND)
        return submission_from(row)

    @guarded("The submissions could not be listed")
    def list_submissions(self, *, decision: Optional[str] = None, status: Optional[str] = None,
                         name_contains: Optional[str] = None, limit: int = 200, offset: int = 0) -> list[SubmissionSummary]:
        """One page of the queue: urgent submissions waiting for review first, then newest first; the
        name search ignores case in any script."""
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset cannot be negative")
        query = (select(*SUMMARY_COLUMNS).where(*_queue_filters(decision, status, name_contains))
                 .order_by(_URGENT_FIRST, submissions.c.submitted_at.desc(), submissions.c.id.desc())
                 .limit(limit).offset(offset))
        with self._engine.connect() as conn:
            return [summary_from(row) for row in conn.execute(query)]

    @guarded("The urgent submissions could not be counted")
    def count_urgent_waiting(self) -> int:
        """How many urgent submissions wait for a clinician's review (the staff queue's banner)."""
        with self._engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(submissions).where(_URGENT_WAITING))

    @guarded("The urgent submissions could not be listed")
    def list_urgent(self, *, waiting_only: bool = True) -> list[SubmissionSummary]:
        """The urgent submissions, oldest first (the longest wait first); only those waiting for review
        unless ``waiting_only`` is False."""
        condition = _URGENT_WAITING if waiting_only else submissions.c.urgent.is_(True)
        query = (select(*SUMMARY_COLUMNS).where(condition)
                 .order_by(submissions.c.submitted_at, submissions.c.id))
        with self._engine.connect() as conn:
            return [summary_from(row) for row in conn.execute(query)]

    @guarded("The submissions could not be listed")
    def most_severe_flags(self, submission_ids: list[str]) -> dict[str, Optional[Flag]]:
        """For each id, the first of its stored flags (flags are stored most severe first), or None."""
        query = (select(submissions.c.id, submissions.c.assessment_json)
                 .where(submissions.c.id.in_(submission_ids)))
        with self._engine.connect() as conn:
            stored = {row.id: stored_assessment(row.assessment_json) for row in conn.execute(query)}
        return {submission_id: (assessment.flags[0] if assessment.flags else None)
                for submission_id, assessment in stored.items()}

    @guarded("The submissions could not be counted")
    def count_submissions(self, *, decision: Optional[str] = None, status: Optional[str] = None,
                          name_contains: Optional[str] = None) -> int:
        """How many submissions the same filters as ``list_submissions`` match."""
        query = select(func.count()).select_from(submissions).where(*_queue_filters(decision, status, name_contains))
        with self._engine.connect() as conn:
            return conn.scalar(query)

    def iter_submissions(self, since: Optional[datetime] = None, batch: int = 500) -> Iterator[StoredSubmission]:
        """Every submission (submitted at ``since`` or later), oldest first, as stored.

        Reads ``batch`` rows at a time, each batch in its own short transaction, continuing
        after the last (submitted_at, id) seen: memory stays flat however many there are,
        and no transaction is held open while the caller works on a batch.
        """
        if batch < 1:
            raise ValueError("batch must be at least 1")
        order = (submissions.c.submitted_at, submissions.c.id)
        conditions = [] if since is None else [submissions.c.submitted_at >= _utc(since, "since")]
        while True:
            rows = self._submission_batch(conditions, batch)
            yield from rows
            if len(rows) < batch:
                return
            last = rows[-1]
            conditions = [tuple_(*order) > tuple_(last.submitted_at, last.id)]

    @guarded("The submissions could not be read")
    def _submission_batch(self, conditions: list, batch: int) -> list[StoredSubmission]:
        columns = (*SUMMARY_COLUMNS, submissions.c.intake_json, submissions.c.assessment_json)
        query = (select(*columns).where(*conditions)
                 .order_by(submissions.c.submitted_at, submissions.c.id).limit(batch))
        with self._engine.connect() as conn:
            return [stored_from(row) for row in conn.execute(query)]

    @guarded("The submissions could not be counted")
    def count_submitted_since(self, since: Optional[datetime] = None) -> int:
        """How many submissions ``iter_submissions(since)`` would give now."""
        conditions = [] if since is None else [submissions.c.submitted_at >= _utc(since, "since")]
        with self._engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(submissions).where(*conditions))

    @guarded("The review could not be saved")
    @_reconnects_after_failure
    def mark_reviewed(self, submission_id: str, *, staff: str, note: str, expected_version: int,
                      at: datetime) -> Submission:
        """Record a review if nobody changed the submission since ``expected_version``; the updated record.

        The review and its audit event (``REVIEWED_ACTION``) are written in one transaction, so
        there is never one without the other. ReviewConflict if someone else reviewed it
        (nothing is overwritten); NotFound if there is no such id.
        """
        change = (
            update(submissions)
            .where(submissions.c.id == submission_id, submissions.c.review_version == expected_version)
            .values(review_status=_REVIEWED, reviewed_by=_named(staff), reviewed_at=_utc(at, "at"), review_note=note,
                    review_version=submissions.c.review_version + 1)
        )
        with self._writer.begin() as conn:
            if conn.execute(change).rowcount != 1:
                raise ReviewConflict(_CONFLICT) if self._exists(conn, submission_id) else NotFound(_NOT_FOUND)
            row = conn.execute(select(submissions).where(submissions.c.id == submission_id)).one()
            conn.execute(insert(audit_events).values(
                at=_utc(at, "at"), staff=_named(staff), action=REVIEWED_ACTION, submission_id=submission_id,
                detail=f"review version {row.review_version}"))
        return submission_from(row)

    @guarded("The audit record could not be saved")
    @_reconnects_after_failure
    def record_event(self, *, staff: str, action: str, at: datetime, submission_id: Optional[str] = None,
                     detail: str = "") -> None:
        """Append to the audit trail; ``detail`` must hold ids only, never patient answers."""
        event = _event_row(staff=staff, action=action, at=at, submission_id=submission_id, detail=detail)
        with self._writer.begin() as conn:
            conn.execute(insert(audit_events).values(event))

    @guarded("The audit records could not be saved")
    @_reconnects_after_failure
    def record_events(self, events: Iterable[dict]) -> None:
        """Append several events, each given as ``record_event``'s keywords, in one transaction: one
        disk flush covers them all (a service that audits every call flushes once a batch, not once
        a call). All of them are saved, or none."""
        rows = [_event_row(**event) for event in events]
        if rows:
            with self._writer.begin() as conn:
                conn.execute(insert(audit_events), rows)

    @guarded("The audit trail could not be read")
    def audit_events(self, *, limit: int = 500, action: Optional[str] = None, staff: Optional[str] = None,
                     since: Optional[datetime] = None) -> list[AuditEvent]:
        """Audit events, newest first, optionally of one action, one person or from a moment on."""
        conditions = []
        if action is not None:
            conditions.append(audit_events.c.action == action)
        if staff is not None:
            conditions.append(audit_events.c.staff == staff)
        if since is not None:
            conditions.append(audit_events.c.at >= _utc(since, "since"))
        query = (select(audit_events).where(*conditions)
                 .order_by(audit_events.c.at.desc(), audit_events.c.id.desc()).limit(max(limit, 0)))
        with self._engine.connect() as conn:
            return [event_from(row) for row in conn.execute(query)]

    @property
    def accounts(self) -> StaffDirectory:
        """The staff accounts, and signing in with them."""
        return StaffDirectory(self._engine, self._writer)

    @property
    def patients(self) -> PatientDirectory:
        """Patients across visits, and the submissions linked to them."""
        return PatientDirectory(self._engine, self._writer)

    @property
    def treatments(self) -> TreatmentLog:
        """Treatment records, one per session, and lot recall."""
        return TreatmentLog(self._engine, self._writer)

    @property
    def consents(self) -> ConsentBook:
        """Consents to the treatment, their countersignature and its check."""
        return ConsentBook(self._engine, self._writer)

    @property
    def visits(self) -> VisitCodes:
        """Visit codes that open the tablet for a returning patient."""
        return VisitCodes(self._engine, self._writer)

    @property
    def invitations(self) -> Invitations:
        """Invitations to answer at home, their drafts, and finishing them."""
        return Invitations(self._engine, self._writer)

    @guarded("The submission could not be erased")
    def erase_submission(self, submission_id: str, *, staff: str, reason: str, at: datetime) -> None:
        """Erase one submission and its review, leaving an ``submission_erased`` audit event
        (``reason`` is a key of ``ERASURE_REASONS``); NotFound if there is none."""
        if not erase(self._engine, self._writer, [submission_id], staff=_named(staff), reason=reason,
                     at=_utc(at, "at")):
            raise NotFound(_NOT_FOUND)

    @guarded("The submissions could not be counted")
    def count_submitted_before(self, before: datetime) -> int:
        """How many submissions were made before ``before`` (what a retention purge would erase)."""
        return count_submitted_before(self._engine, _utc(before, "before"))

    @guarded("The submissions could not be erased")
    def purge_submitted_before(self, before: datetime, *, staff: str, at: datetime) -> int:
        """Erase every submission made before ``before`` (reason ``retention``); how many."""
        ids = ids_submitted_before(self._engine, _utc(before, "before"))
        return erase(self._engine, self._writer, ids, staff=_named(staff), reason="retention", at=_utc(at, "at"))

    @guarded("The database version could not be read")
    def schema_version(self) -> int:
        """The number of migrations applied to this database."""
        with self._engine.connect() as conn:
            return current_version(conn)

    def dispose(self) -> None:
        """Close every pooled connection; the store can still be used and reconnects."""
        self._engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *_exc) -> None:
        self.dispose()

    @staticmethod
    def _exists(conn: Connection, submission_id: str) -> bool:
        return conn.scalar(select(submissions.c.id).where(submissions.c.id == submission_id)) is not None
