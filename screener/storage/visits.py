"""Visit codes: a clinician prepares the tablet for a returning patient with a 6-digit code.

A code is valid for ``CODE_MINUTES``, once, and is stored only as its SHA-256. Typing one on the
tablet is checked in one transaction that also reads and records the brake: wrong codes count as
wrong passwords do at sign-in, 5 per tablet within 15 minutes and then a pause that doubles
(``DEFAULT_THROTTLE``), and 20 across the clinic pause code entry for every tablet (a guesser
spreading over tablets gets no more tries). A wrong, expired and used code are refused in the
same words: a code reveals nothing before it is accepted.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import Connection, func, insert, select, text, update

from .errors import NotFound, StorageError, guarded
from .schema import audit_events, patients, submissions, visit_codes
from .staff_auth import DEFAULT_THROTTLE, ThrottlePolicy, retry_after

CODE_MINUTES = 15
CODE_DIGITS = 6
RETURNING, CONFIRM = "returning", "confirm"  # a returning visit; checking answers given at home (invitations)
CODE_PREPARED, CODE_ACCEPTED, CODE_REFUSED, CODE_PAUSED = (
    "visit_code_prepared", "visit_code_accepted", "visit_code_refused", "visit_code_paused")
CLINIC_WIDE_THROTTLE = ThrottlePolicy(allowed=20)
_CLINIC = "all tablets"


@dataclass(frozen=True)
class PreparedCode:
    code: str  # shown to the clinician once, never stored
    patient_id: str
    expires_at: datetime


@dataclass(frozen=True)
class VisitOpening:
    """What an accepted code opens: the patient, and the submission whose answers fill the wizard."""

    code_id: str
    patient_id: str
    source_submission_id: Optional[str]
    purpose: str
    prepared_by: str


@dataclass(frozen=True)
class CodeTry:
    """The outcome of typing a code: ``opened`` (with the opening), ``refused`` or ``paused`` (``wait``)."""

    outcome: str
    opening: Optional[VisitOpening] = None
    wait: timedelta = timedelta(0)


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii", "replace")).hexdigest()


def _tablet(name: str) -> str:
    return f"tablet:{name}"[:120]


class VisitCodes:
    """The visit codes of one database (``Store.visits``)."""

    def __init__(self, engine, writer) -> None:
        self._engine, self._writer = engine, writer

    @guarded("The visit code could not be made")
    def prepare(self, patient_id: str, *, by: str, at: datetime, purpose: str = RETURNING,
                source_submission_id: Optional[str] = None) -> PreparedCode:
        """A new code for this patient, valid ``CODE_MINUTES``; the wizard opens with the answers of
        ``source_submission_id``, by default the patient's latest submission."""
        with self._writer.begin() as conn:
            if conn.scalar(select(patients.c.id).where(patients.c.id == patient_id)) is None:
                raise NotFound("This patient does not exist (they may have been erased).")
            if source_submission_id is None:
                source_submission_id = conn.scalar(
                    select(submissions.c.id).where(submissions.c.patient_id == patient_id)
                    .order_by(submissions.c.submitted_at.desc(), submissions.c.id.desc()).limit(1))
            expires = at + timedelta(minutes=CODE_MINUTES)
            for _ in range(20):  # a code no other live code has (there are a million)
                code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
                if not self._live(conn, code, at):
                    break
            else:
                raise StorageError("No free visit code could be made just now; try again.")
            code_id = uuid.uuid4().hex
            conn.execute(insert(visit_codes).values(
                id=code_id, code_hash=code_hash(code), patient_id=patient_id, source_submission_id=source_submission_id,
                purpose=purpose, created_by=by, created_at=at, expires_at=expires))
            conn.execute(insert(audit_events).values(at=at, staff=by, action=CODE_PREPARED, submission_id=source_submission_id,
                                                      detail=f"patient {patient_id}, {purpose}, valid {CODE_MINUTES} minutes"))
        return PreparedCode(code, patient_id, expires)

    @staticmethod
    def _live(conn: Connection, code: str, at: datetime):
        return conn.execute(select(visit_codes).where(
            visit_codes.c.code_hash == code_hash(code), visit_codes.c.used_at.is_(None),
            visit_codes.c.expires_at > at)).first()

    @staticmethod
    def _lock(conn: Connection) -> None:
        # SQLite: BEGIN IMMEDIATE already holds the one write lock. PostgreSQL: one lock for all code entry,
        # so parallel tries from many tablets are checked and recorded one after another.
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": 0x5C1E, "b": 0x0C0DE})

    @staticmethod
    def _failures(conn: Connection, at: datetime, policy: ThrottlePolicy, *conditions) -> list[datetime]:
        return list(conn.scalars(
            select(audit_events.c.at).where(audit_events.c.action == CODE_REFUSED, audit_events.c.at > at - policy.window,
                                            *conditions).order_by(audit_events.c.at.desc()).limit(policy.allowed + 32)))

    def _wait(self, conn: Connection, tablet: str, at: datetime, policy: ThrottlePolicy) -> timedelta:
        last_success = conn.scalar(select(func.max(audit_events.c.at)).where(
            audit_events.c.action == CODE_ACCEPTED, audit_events.c.staff == tablet))
        own = retry_after(self._failures(conn, at, policy, audit_events.c.staff == tablet), at,
                          last_success=last_success, policy=policy)
        clinic = retry_after(self._failures(conn, at, CLINIC_WIDE_THROTTLE), at, policy=CLINIC_WIDE_THROTTLE)
        return max(own, clinic)

    @guarded("The visit code could not be checked")
    def open(self, typed: str, *, tablet: str, at: datetime, policy: ThrottlePolicy = DEFAULT_THROTTLE) -> CodeTry:
        """Check a typed code for the tablet named ``tablet`` (its address); accepted once, then used up."""
        who = _tablet(tablet)
        code = "".join(typed.split())[:CODE_DIGITS + 4]
        with self._writer.begin() as conn:
            self._lock(conn)
            wait = self._wait(conn, who, at, policy)
            if wait:
                conn.execute(insert(audit_events).values(at=at, staff=who, action=CODE_PAUSED, submission_id=None,
                                                          detail=f"paused for {int(wait.total_seconds()) + 1} s more"))
                return CodeTry("paused", wait=wait)
            row = self._live(conn, code, at) if code.isdigit() and len(code) == CODE_DIGITS else None
            if row is None:
                conn.execute(insert(audit_events).values(at=at, staff=who, action=CODE_REFUSED, submission_id=None,
                                                          detail="not a live code"))
                return CodeTry("refused", wait=self._wait(conn, who, at, policy))
            conn.execute(update(visit_codes).where(visit_codes.c.id == row.id).values(used_at=at))
            conn.execute(insert(audit_events).values(at=at, staff=who, action=CODE_ACCEPTED,
                                                      submission_id=row.source_submission_id,
                                                      detail=f"patient {row.patient_id}, {row.purpose}"))
            return CodeTry("opened", VisitOpening(row.id, row.patient_id, row.source_submission_id, row.purpose,
                                                  row.created_by))
