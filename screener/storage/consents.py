"""Consents to the treatment: signed on the tablet (or on paper), countersigned by a clinician, kept unchanged.

A consent is stored with the submission it was signed with, in the same transaction, holding the words
exactly as shown (in the patient's language), the wording version, which parts were ticked as read, the
patient's questions, their decision, the typed name and the drawn signature (a PNG). A clinician
countersigns it: the PDF is rendered once then, stored, and its SHA-256 goes on the audit trail; it is
never rendered again or changed, and ``verify`` recomputes the hash against the trail's. A consent counts
(``standing``) once countersigned, unless the patient declined; one signed on older words asks for a
new one.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Optional

from sqlalchemy import Connection, insert, select, update

from ..clinical.consent import CONSENT_WORDING_VERSION, GROUPS, consent_words
from ..language.i18n import Words
from .errors import NotFound, StorageError, guarded
from .schema import audit_events, consents, submissions

CONSENT_SIGNED, CONSENT_COUNTERSIGNED, PAPER_CONSENT_RECORDED = (
    "consent_signed", "consent_countersigned", "paper_consent_recorded")
CONSENT_VIEWED, CONSENT_VERIFIED = "consent_pdf_downloaded", "consent_verified"
DECISIONS = ("agreed", "questions", "declined")
_NO_CONSENT = "There is no consent with this id (it may have been erased)."
MAX_SCAN_BYTES = 10 * 1024 * 1024
SCAN_TYPES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass(frozen=True)
class SignedConsent:
    """What the tablet hands the store at signing, beside the submission."""

    language: str
    wording_version: str
    words: list  # the groups as shown: key, title, paragraphs, fitted
    read: tuple[str, ...]  # the keys of the groups ticked as read
    questions: str
    decision: str
    typed_name: str
    signature_png: Optional[bytes]
    signed_at: datetime


@dataclass(frozen=True)
class StoredConsent:
    id: str
    submission_id: str
    patient_id: Optional[str]
    kind: str  # "tablet" or "paper"
    language: str
    wording_version: str
    words: list
    read: tuple[str, ...]
    questions: str
    decision: str
    typed_name: str
    signature_png: Optional[bytes]
    signed_at: datetime
    scan: Optional[bytes]
    scan_type: Optional[str]
    countersigned_by: Optional[str]
    countersigned_at: Optional[datetime]
    clinician_answer: Optional[str]
    pdf: Optional[bytes]
    pdf_sha256: Optional[str]

    @property
    def valid(self) -> bool:
        """Countersigned, not declined and on the current words: the course may be treated under it."""
        return (self.countersigned_at is not None and self.decision != "declined"
                and self.wording_version == CONSENT_WORDING_VERSION)

    @property
    def on_older_words(self) -> bool:
        """Signed on an older version of the consent's words: a new one is asked for at the next visit."""
        return self.wording_version != CONSENT_WORDING_VERSION


def consent_row(submission_id: str, consent: SignedConsent, kind: str = "tablet") -> dict:
    if consent.decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}")
    return {"id": uuid.uuid4().hex, "submission_id": submission_id, "kind": kind, "language": consent.language,
            "wording_version": consent.wording_version, "words_json": json.dumps(consent.words, ensure_ascii=False),
            "read_json": json.dumps(list(consent.read)), "questions": consent.questions, "decision": consent.decision,
            "typed_name": consent.typed_name, "signature_png": consent.signature_png, "signed_at": consent.signed_at}


def scan_type(data: bytes) -> Optional[str]:
    """A scan's MIME type from its first bytes (never from its name or the browser's word), or None."""
    return next((kind for magic, kind in SCAN_TYPES.items() if data.startswith(magic)), None)


def paper_consent(stored, language: str, decision: str, name: str, questions: str, at: datetime) -> SignedConsent:
    """The paper form's consent as recorded for submission ``stored``: the form's words in its language (no
    fitted paragraphs: the paper form is the same for everyone), nothing ticked on a screen, no drawn
    signature (the scan, when given, holds it)."""
    words = consent_words(stored.intake, stored.assessment.assessed_on, Words(language, "consent"))
    for group in words:
        group["fitted"] = []
    return SignedConsent(language=language, wording_version=CONSENT_WORDING_VERSION, words=words,
                         read=tuple(group.key for group in GROUPS), questions=questions, decision=decision,
                         typed_name=name, signature_png=None, signed_at=at)


def _columns(conn: Connection):
    return select(consents, submissions.c.patient_id).join(submissions, submissions.c.id == consents.c.submission_id)


def _from(row) -> StoredConsent:
    return StoredConsent(row.id, row.submission_id, row.patient_id, row.kind, row.language, row.wording_version,
                         json.loads(row.words_json), tuple(json.loads(row.read_json)), row.questions, row.decision,
                         row.typed_name, row.signature_png, row.signed_at, row.scan, row.scan_type, row.countersigned_by,
                         row.countersigned_at, row.clinician_answer, row.pdf, row.pdf_sha256)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ConsentBook:
    """The consents of one database (``Store.consents``)."""

    def __init__(self, engine, writer) -> None:
        self._engine, self._writer = engine, writer

    @guarded("The consent could not be read")
    def get(self, consent_id: str) -> StoredConsent:
        with self._engine.connect() as conn:
            row = conn.execute(_columns(conn).where(consents.c.id == consent_id)).first()
        if row is None:
            raise NotFound(_NO_CONSENT)
        return _from(row)

    @guarded("The consent could not be read")
    def for_submission(self, submission_id: str) -> Optional[StoredConsent]:
        """The latest consent signed with this submission, or None."""
        with self._engine.connect() as conn:
            row = conn.execute(_columns(conn).where(consents.c.submission_id == submission_id)
                               .order_by(consents.c.signed_at.desc()).limit(1)).first()
        return None if row is None else _from(row)

    @guarded("The consents could not be read")
    def for_patient(self, patient_id: str) -> list[StoredConsent]:
        """Every consent of the patient's submissions, newest first."""
        with self._engine.connect() as conn:
            return [_from(row) for row in conn.execute(_columns(conn).where(submissions.c.patient_id == patient_id)
                                                       .order_by(consents.c.signed_at.desc()))]

    @guarded("The consents could not be read")
    def open_for(self, submission_ids: list[str]) -> dict[str, str]:
        """Of these submissions, those whose consent waits for the clinic, and why: "questions" (asked before
        deciding), "declined", or "agreed" (to countersign). Countersigned ones are not listed."""
        if not submission_ids:
            return {}
        with self._engine.connect() as conn:
            rows = conn.execute(select(consents.c.submission_id, consents.c.decision)
                                .where(consents.c.submission_id.in_(submission_ids),
                                       consents.c.countersigned_at.is_(None)).order_by(consents.c.signed_at))
            return {row.submission_id: row.decision for row in rows}

    @staticmethod
    def standing_in(conn: Connection, patient_id: str) -> Optional[str]:
        """The patient's consent to the treatment, inside a transaction: "valid" when one countersigned and
        not declined holds the current wording, "older" when such a consent holds only older words (the
        patient signs the current ones first), else None."""
        versions = set(conn.scalars(
            select(consents.c.wording_version).join(submissions, submissions.c.id == consents.c.submission_id)
            .where(submissions.c.patient_id == patient_id, consents.c.countersigned_at.is_not(None),
                   consents.c.decision != "declined")))
        if CONSENT_WORDING_VERSION in versions:
            return "valid"
        return "older" if versions else None

    @guarded("The consents could not be read")
    def standing(self, patient_id: str) -> Optional[str]:
        """``standing_in`` on its own connection."""
        with self._engine.connect() as conn:
            return self.standing_in(conn, patient_id)

    @guarded("The consent could not be countersigned")
    def countersign(self, consent_id: str, *, by: str, at: datetime, answer: str,
                    render: Callable[[StoredConsent, str, datetime, str], bytes]) -> StoredConsent:
        """The clinician's countersignature: ``render`` makes the PDF once (the consent, who, when, the answer
        to the patient's questions); it is stored with its SHA-256, which goes on the audit trail. A declined
        consent, or one already countersigned, is refused."""
        consent = self.get(consent_id)
        if consent.countersigned_at is not None:
            raise StorageError("This consent is already countersigned; it is never changed.")
        if consent.decision == "declined":
            raise StorageError("The patient declined the treatment: a declined consent cannot be countersigned.")
        if consent.decision == "questions" and not answer.strip():
            raise StorageError("The patient asked questions: write how they were answered before countersigning.")
        pdf = render(consent, by, at, answer)
        digest = sha256(pdf)
        with self._writer.begin() as conn:
            done = conn.execute(update(consents).where(consents.c.id == consent_id, consents.c.countersigned_at.is_(None))
                                .values(countersigned_by=by, countersigned_at=at, clinician_answer=answer, pdf=pdf,
                                        pdf_sha256=digest)).rowcount
            if not done:
                raise StorageError("This consent is already countersigned; it is never changed.")
            conn.execute(insert(audit_events).values(at=at, staff=by, action=CONSENT_COUNTERSIGNED,
                                                      submission_id=consent.submission_id,
                                                      detail=f"consent {consent_id}: sha256 {digest}"))
        return self.get(consent_id)

    @guarded("The paper consent could not be recorded")
    def record_paper(self, submission_id: str, consent: SignedConsent, *, by: str, at: datetime,
                     render: Callable[[StoredConsent, str, datetime, str], bytes], answer: str = "",
                     scan: Optional[bytes] = None, scan_type: Optional[str] = None) -> StoredConsent:
        """A consent signed on the paper form, recorded by the clinician named and countersigned by them with
        ``answer`` (needed when the patient asked questions, checked before anything is written). A declined
        one is recorded as declined and never countersigned."""
        if consent.decision == "questions" and not answer.strip():
            raise StorageError("The patient asked questions: write how they were answered before countersigning.")
        with self._writer.begin() as conn:
            if conn.scalar(select(submissions.c.id).where(submissions.c.id == submission_id)) is None:
                raise NotFound("There is no submission with this id (it may have been erased).")
            row = consent_row(submission_id, consent, kind="paper")
            conn.execute(insert(consents).values(**row, scan=scan, scan_type=scan_type))
            conn.execute(insert(audit_events).values(at=at, staff=by, action=PAPER_CONSENT_RECORDED,
                                                      submission_id=submission_id,
                                                      detail=f"consent {row['id']}: {consent.decision}"))
        if consent.decision == "declined":
            return self.get(row["id"])
        return self.countersign(row["id"], by=by, at=at, answer=answer, render=render)

    @guarded("The consent could not be checked")
    def verify(self, consent_id: str) -> tuple[bool, str]:
        """Whether the stored PDF's SHA-256 is the one the audit trail recorded at countersigning, and why not."""
        consent = self.get(consent_id)
        if consent.pdf is None:
            return False, "This consent is not countersigned yet: it has no PDF to check."
        with self._engine.connect() as conn:
            recorded = conn.scalars(select(audit_events.c.detail).where(
                audit_events.c.action == CONSENT_COUNTERSIGNED, audit_events.c.detail.like(f"consent {consent_id}:%"))).all()
        if len(recorded) != 1:
            return False, "The audit trail does not hold exactly one countersignature of this consent."
        expected = recorded[0].rsplit("sha256 ", 1)[-1]
        actual = sha256(consent.pdf)
        if actual != expected:
            return False, f"The stored PDF has changed: its SHA-256 is {actual}, the audit trail recorded {expected}."
        return True, f"The stored PDF is the one countersigned on {consent.countersigned_at:%Y-%m-%d %H:%M} UTC (SHA-256 {actual})."
