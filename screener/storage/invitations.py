"""Invitations to answer at home: a personal link, the date of birth that opens it, a draft after every step.

A link carries a random token of 256 bits (``secrets.token_urlsafe(32)``), stored only as its SHA-256. It is
valid for ``hours`` (default 72, at most 14 days) and until it is used. Looking a token up does the same work
whatever it finds (hash it, one read by the hash, the same checks), and an unknown, expired or used token gets
the same answer, ``closed``. Nothing of an invitation is given until the patient confirms the date of birth it
was made for; each try is checked in one transaction that also reads and records the brake: wrong dates count
as wrong passwords do at sign-in, 5 per invitation within 15 minutes and then a pause that doubles
(``DEFAULT_THROTTLE``).

The draft is the wizard's answers as JSON text, one per invitation, saved only while the invitation is live.
It is patient data: when the answers are signed it goes (they are in the submission now), erasing the patient,
the submission or the invitation erases it, and ``purge_expired`` erases the drafts, names and dates of birth
of invitations that expired unused; the files are scrubbed as for a submission. Every step is on the audit
trail by id, never by content: ``home:<invitation id>`` names the patient's own device.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Optional

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, text, update

from ..clinical.models import Assessment, Intake
from .erasure import ERASURE_REASONS, scrub
from .errors import NotFound, StorageError, guarded
from .patients import matching_key
from .records import Capture, submission_row
from .schema import audit_events, invitation_drafts, invitations, patients, submissions
from .staff_auth import DEFAULT_THROTTLE, ThrottlePolicy, retry_after

DEFAULT_HOURS, MAX_HOURS = 72, 14 * 24
TOKEN_BYTES = 32
MAX_DRAFT_BYTES = 256 * 1024  # a whole intake is under 8 KB; the draft is read back with this limit too
HOME = "home"  # the visit_kind of a submission answered at home
INVITATION_MADE, INVITATION_SENT, INVITATION_OPENED = "invitation_made", "invitation_sent", "invitation_opened"
BIRTH_REFUSED, BIRTH_PAUSED = "invitation_birth_refused", "invitation_birth_paused"
DRAFT_SAVED, INVITATION_FINISHED = "invitation_draft_saved", "invitation_finished"
INVITATION_ERASED, EXPIRED_PURGED = "invitation_erased", "invitation_expired_purged"
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?")
_NO_INVITATION = "This invitation does not exist (it may have been erased)."
_TOKEN_READ_LIMIT = 200  # a token is 43 characters; whatever arrives is hashed from at most this many


class InvitationRefused(StorageError):
    """An invitation that cannot be made as asked; the message says why."""


class InvitationClosed(StorageError):
    """The invitation was used, expired or erased meanwhile: nothing more can be saved under it."""

    def __init__(self) -> None:
        super().__init__("This link cannot be used any more.")


@dataclass(frozen=True)
class MadeInvitation:
    id: str
    token: str  # for the link only: shown, printed or sent once, never stored
    patient_id: Optional[str]
    language: str
    expires_at: datetime


@dataclass(frozen=True)
class InvitationOpening:
    """What a confirmed date of birth opens: whom the invitation is for, and the draft saved so far."""

    invitation_id: str
    token_hash: str
    patient_id: Optional[str]
    full_name: str
    date_of_birth: date
    language: str
    expires_at: datetime
    prepared_by: str
    draft_json: Optional[str] = None
    draft_language: Optional[str] = None


@dataclass(frozen=True)
class Landing:
    """What a link shows before anything else: ``live`` (ask the date of birth, in ``language``) or ``closed``."""

    outcome: str
    language: Optional[str] = None


@dataclass(frozen=True)
class BirthTry:
    """A typed date of birth: ``opened`` (with the opening), ``refused``, ``paused`` (``wait``) or ``closed``."""

    outcome: str
    opening: Optional[InvitationOpening] = None
    wait: timedelta = timedelta(0)


@dataclass(frozen=True)
class InvitationSummary:
    id: str
    created_at: datetime
    expires_at: datetime
    used_at: Optional[datetime]
    submission_id: Optional[str]
    language: str
    has_draft: bool


def token_hash(token: str) -> str:
    return hashlib.sha256(token[:_TOKEN_READ_LIMIT].encode("utf-8", "replace")).hexdigest()


def device(invitation_id: str) -> str:
    """The patient's own device as the audit trail names it."""
    return f"home:{invitation_id}"


def _usable(row, at: datetime) -> bool:
    return row is not None and row.used_at is None and row.expires_at > at and row.date_of_birth is not None


def _utc(moment: datetime) -> datetime:
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ValueError("a moment must be a timezone-aware datetime")
    return moment.astimezone(timezone.utc)


class Invitations:
    """The invitations of one database (``Store.invitations``)."""

    def __init__(self, engine, writer) -> None:
        self._engine, self._writer = engine, writer

    @staticmethod
    def _audit(conn: Connection, who: str, action: str, at: datetime, detail: str,
               submission_id: Optional[str] = None) -> None:
        conn.execute(insert(audit_events).values(at=at, staff=who, action=action, submission_id=submission_id,
                                                  detail=detail))

    @staticmethod
    def _lock(conn: Connection, invitation_id: str) -> None:
        # SQLite: BEGIN IMMEDIATE already holds the one write lock. PostgreSQL: one lock per invitation, so
        # parallel tries, saves and the signing of one invitation are checked and recorded one after another.
        if conn.dialect.name == "postgresql":
            key = zlib.crc32(invitation_id.encode("ascii", "replace")) - 2 ** 31
            conn.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": 0x1417E, "b": key})

    @staticmethod
    def _row(conn: Connection, invitation_id: str):
        return conn.execute(select(invitations).where(invitations.c.id == invitation_id)).first()

    @staticmethod
    def _by_token(conn: Connection, token: str):
        return conn.execute(select(invitations).where(invitations.c.token_hash == token_hash(token))).first()

    @guarded("The invitation could not be made")
    def make(self, full_name: str, date_of_birth: date, *, by: str, at: datetime, hours: int = DEFAULT_HOURS,
             language: str = "en", patient_id: Optional[str] = None) -> MadeInvitation:
        """A new link for the person named, valid ``hours``; with ``patient_id``, for that patient, whose record
        must have this name and date of birth. InvitationRefused says what cannot be."""
        if not full_name.strip():
            raise InvitationRefused("The name cannot be blank.")
        if not isinstance(hours, int) or not 1 <= hours <= MAX_HOURS:
            raise InvitationRefused(f"A link is valid from 1 to {MAX_HOURS} hours (14 days).")
        if not _LANGUAGE.fullmatch(language):
            raise InvitationRefused("The language must be a language code such as es.")
        at = _utc(at)
        token, invitation_id = secrets.token_urlsafe(TOKEN_BYTES), uuid.uuid4().hex
        with self._writer.begin() as conn:
            if patient_id is not None:
                patient = conn.execute(select(patients).where(patients.c.id == patient_id)).first()
                if patient is None:
                    raise InvitationRefused("This patient does not exist (they may have been erased).")
                if (patient.name_key, patient.date_of_birth) != (matching_key(full_name), date_of_birth):
                    raise InvitationRefused("The name and date of birth are not the patient record's.")
            expires = at + timedelta(hours=hours)
            conn.execute(insert(invitations).values(
                id=invitation_id, token_hash=token_hash(token), patient_id=patient_id, full_name=full_name,
                date_of_birth=date_of_birth, language=language, created_by=by, created_at=at, expires_at=expires))
            whom = f"patient {patient_id}" if patient_id else "a new patient"
            self._audit(conn, by, INVITATION_MADE, at, f"invitation {invitation_id} for {whom}, valid {hours} hours")
        return MadeInvitation(invitation_id, token, patient_id, language, expires)

    @guarded("The link could not be checked")
    def landing(self, token: str, *, at: datetime) -> Landing:
        """What the link shows first; the same work and the same answer for any token that cannot be used."""
        with self._engine.connect() as conn:
            row = self._by_token(conn, token)
        usable = _usable(row, _utc(at))
        return Landing("live", row.language) if usable else Landing("closed")

    def _wait(self, conn: Connection, who: str, at: datetime, policy: ThrottlePolicy) -> timedelta:
        last_success = conn.scalar(select(func.max(audit_events.c.at)).where(
            audit_events.c.action == INVITATION_OPENED, audit_events.c.staff == who))
        failures = conn.scalars(select(audit_events.c.at).where(
            audit_events.c.action == BIRTH_REFUSED, audit_events.c.staff == who, audit_events.c.at > at - policy.window)
            .order_by(audit_events.c.at.desc()).limit(policy.allowed + 32))
        return retry_after(list(failures), at, last_success=last_success, policy=policy)

    @guarded("The date of birth could not be checked")
    def confirm_birth(self, token: str, typed: date, *, at: datetime,
                      policy: ThrottlePolicy = DEFAULT_THROTTLE) -> BirthTry:
        """Check a typed date of birth against the invitation's, reading and recording the brake in the same
        transaction; once right, the opening with the draft saved so far."""
        at = _utc(at)
        with self._writer.begin() as conn:
            found = self._by_token(conn, token)
            if not _usable(found, at):
                return BirthTry("closed")
            self._lock(conn, found.id)
            row, who = self._row(conn, found.id), device(found.id)
            if not _usable(row, at):
                return BirthTry("closed")
            wait = self._wait(conn, who, at, policy)
            if wait:
                self._audit(conn, who, BIRTH_PAUSED, at, f"invitation {row.id}: paused for "
                                                         f"{int(wait.total_seconds()) + 1} s more")
                return BirthTry("paused", wait=wait)
            if typed != row.date_of_birth:
                self._audit(conn, who, BIRTH_REFUSED, at, f"invitation {row.id}")
                return BirthTry("refused", wait=self._wait(conn, who, at, policy))
            self._audit(conn, who, INVITATION_OPENED, at, f"invitation {row.id}")
            draft = conn.execute(select(invitation_drafts).where(invitation_drafts.c.invitation_id == row.id)).first()
            return BirthTry("opened", InvitationOpening(
                row.id, row.token_hash, row.patient_id, row.full_name, row.date_of_birth, row.language, row.expires_at,
                row.created_by, draft.answers_json[:MAX_DRAFT_BYTES] if draft else None,
                draft.language if draft else None))

    def _live_for(self, conn: Connection, opening: InvitationOpening, at: datetime):
        self._lock(conn, opening.invitation_id)
        row = self._row(conn, opening.invitation_id)
        if not _usable(row, at) or row.token_hash != opening.token_hash:
            raise InvitationClosed()
        return row

    @guarded("The answers could not be saved")
    def save_draft(self, opening: InvitationOpening, answers_json: str, language: str, *, at: datetime) -> None:
        """Keep the answers so far under this invitation; InvitationClosed once it was used, expired or erased."""
        if len(answers_json.encode("utf-8")) > MAX_DRAFT_BYTES:
            raise StorageError("The answers could not be saved (they are longer than any intake can be).")
        at = _utc(at)
        with self._writer.begin() as conn:
            self._live_for(conn, opening, at)
            values = {"answers_json": answers_json, "language": language, "saved_at": at}
            kept = invitation_drafts.c.invitation_id == opening.invitation_id
            if not conn.execute(update(invitation_drafts).where(kept).values(values)).rowcount:
                conn.execute(insert(invitation_drafts).values(invitation_id=opening.invitation_id, **values))
            self._audit(conn, device(opening.invitation_id), DRAFT_SAVED, at, f"invitation {opening.invitation_id}")

    @guarded("The answers could not be saved")
    def finish(self, opening: InvitationOpening, intake: Intake, assessment: Assessment, submitted_at: datetime,
               capture: Optional[Capture] = None) -> str:
        """Store the signed answers as a submission answered at home and use the invitation up, in one
        transaction: the draft goes, and so do the name and date of birth it was made for. The submission
        belongs to the invitation's patient when its name and date of birth are theirs; otherwise it is only
        suggested to them, as any other. InvitationClosed if it was used, expired or erased meanwhile."""
        submitted_at = _utc(submitted_at)
        submission_id = uuid.uuid4().hex
        row = {**submission_row(submission_id, intake, assessment, submitted_at, capture), "visit_kind": HOME}
        with self._writer.begin() as conn:
            invitation = self._live_for(conn, opening, submitted_at)
            if invitation.patient_id is not None:
                patient = conn.execute(select(patients).where(patients.c.id == invitation.patient_id)).first()
                if patient is not None and (patient.name_key, patient.date_of_birth) == (
                        matching_key(intake.patient.full_name), intake.patient.date_of_birth):
                    row.update(patient_id=patient.id, linked_by=f"{invitation.created_by} (invitation)",
                               linked_at=submitted_at)
            conn.execute(insert(submissions).values(row))
            conn.execute(update(invitations).where(invitations.c.id == invitation.id).values(
                used_at=submitted_at, submission_id=submission_id, full_name=None, date_of_birth=None))
            conn.execute(delete(invitation_drafts).where(invitation_drafts.c.invitation_id == invitation.id))
            self._audit(conn, device(invitation.id), INVITATION_FINISHED, submitted_at, f"invitation {invitation.id}",
                        submission_id)
        return submission_id

    @guarded("The invitations could not be read")
    def for_patient(self, patient_id: str) -> list[InvitationSummary]:
        """This patient's invitations, newest first."""
        query = (select(invitations, invitation_drafts.c.invitation_id.label("drafted"))
                 .outerjoin(invitation_drafts, invitation_drafts.c.invitation_id == invitations.c.id)
                 .where(invitations.c.patient_id == patient_id)
                 .order_by(invitations.c.created_at.desc(), invitations.c.id))
        with self._engine.connect() as conn:
            return [InvitationSummary(row.id, row.created_at, row.expires_at, row.used_at, row.submission_id,
                                      row.language, row.drafted is not None) for row in conn.execute(query)]

    @guarded("The invitation could not be erased")
    def erase(self, invitation_id: str, *, staff: str, reason: str, at: datetime) -> None:
        """Erase the invitation and its draft (the submission it gave, if any, stays: erase that on its own)."""
        if reason not in ERASURE_REASONS:
            raise ValueError(f"reason must be one of {sorted(ERASURE_REASONS)}")
        at = _utc(at)
        with self._writer.begin() as conn:
            self._lock(conn, invitation_id)
            conn.execute(delete(invitation_drafts).where(invitation_drafts.c.invitation_id == invitation_id))
            if not conn.execute(delete(invitations).where(invitations.c.id == invitation_id)).rowcount:
                raise NotFound(_NO_INVITATION)
            self._audit(conn, staff, INVITATION_ERASED, at, f"invitation {invitation_id}: {reason}")
        scrub(self._engine, ("invitations", "invitation_drafts"))

    @staticmethod
    def _expired(at: datetime):
        drafted = select(invitation_drafts.c.invitation_id)
        return and_(invitations.c.used_at.is_(None), invitations.c.expires_at <= at,
                    or_(invitations.c.date_of_birth.is_not(None), invitations.c.id.in_(drafted)))

    @guarded("The expired invitations could not be counted")
    def count_expired(self, *, at: datetime) -> int:
        """How many invitations expired unused and still hold a draft, a name or a date of birth."""
        with self._engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(invitations).where(self._expired(_utc(at))))

    @guarded("The expired invitations could not be purged")
    def purge_expired(self, *, staff: str, at: datetime) -> int:
        """Erase the drafts, names and dates of birth of invitations that expired unused; how many."""
        at = _utc(at)
        with self._writer.begin() as conn:
            ids = list(conn.scalars(select(invitations.c.id).where(self._expired(at))))
            for invitation_id in ids:
                conn.execute(delete(invitation_drafts).where(invitation_drafts.c.invitation_id == invitation_id))
                conn.execute(update(invitations).where(invitations.c.id == invitation_id).values(
                    full_name=None, date_of_birth=None))
                self._audit(conn, staff, EXPIRED_PURGED, at, f"invitation {invitation_id}")
        if ids:
            scrub(self._engine, ("invitations", "invitation_drafts"))
        return len(ids)
