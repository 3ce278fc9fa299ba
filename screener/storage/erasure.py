"""Erasing submissions (a patient's request, an entry made in error, a retention policy) so that
nothing of them survives in the database files.

The row goes (with its review, which lives in it, and the treatments recorded against it and the
visit codes made from it, and the invitation that gave it), and the audit trail gains an
``submission_erased`` event holding the id, who, when and the reason, never patient data;
earlier events about the submission hold ids only and stay. Then the backend is made to
forget the deleted bytes: SQLite runs with ``secure_delete`` (deleted content is zeroed,
see ``database.py``) and its write-ahead log is checkpointed and truncated; PostgreSQL
rewrites the table with ``VACUUM FULL`` (old tuple versions may still sit in its
write-ahead log segments until the server recycles them: see the README).
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Sequence

from sqlalchemy import Engine, delete, func, insert, select, text

from .schema import audit_events, consents, invitations, submissions, treatments, visit_codes

ERASED_ACTION = "submission_erased"
# The closed list of reasons: free text could carry a patient's name onto the permanent trail.
ERASURE_REASONS = {
    "patient_request": "The patient asked for erasure (GDPR Art. 17)",
    "entered_in_error": "Entered in error",
    "retention": "Past the retention period",
}
_CHECKPOINT_TRIES = 50


def erase(engine: Engine, writer: Engine, submission_ids: Sequence[str], *, staff: str, reason: str,
          at: datetime) -> int:
    """Delete these submissions and record each erasure; how many existed. Then scrub the files."""
    if reason not in ERASURE_REASONS:
        raise ValueError(f"reason must be one of {sorted(ERASURE_REASONS)}")
    erased = 0
    with writer.begin() as conn:
        for submission_id in submission_ids:
            # The treatments recorded against it and the visit codes made from it go with it.
            conn.execute(delete(treatments).where(treatments.c.submission_id == submission_id))
            conn.execute(delete(visit_codes).where(visit_codes.c.source_submission_id == submission_id))
            conn.execute(delete(consents).where(consents.c.submission_id == submission_id))
            conn.execute(delete(invitations).where(invitations.c.submission_id == submission_id))  # its draft went at signing
            if conn.execute(delete(submissions).where(submissions.c.id == submission_id)).rowcount:
                conn.execute(insert(audit_events).values(at=at, staff=staff, action=ERASED_ACTION,
                                                          submission_id=submission_id, detail=reason))
                erased += 1
    if erased:
        scrub(engine, ("submissions", "treatments", "visit_codes", "consents", "invitations", "invitation_drafts"))
    return erased


def ids_submitted_before(engine: Engine, before: datetime) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(select(submissions.c.id).where(submissions.c.submitted_at < before)
                                 .order_by(submissions.c.submitted_at)))


def count_submitted_before(engine: Engine, before: datetime) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(submissions).where(submissions.c.submitted_at < before))


def scrub(engine: Engine, tables: Sequence[str] = ("submissions",)) -> None:
    """Make the backend drop the bytes of deleted rows of ``tables`` from its files."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in tables:
                conn.execute(text(f"VACUUM FULL {table}"))
        return
    raw = engine.raw_connection()  # autocommit (see database.py): a checkpoint cannot run inside a transaction
    try:
        cursor = raw.cursor()
        for _ in range(_CHECKPOINT_TRIES):  # a reader in the middle of a query makes it report busy
            busy, _log, _moved = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                break
            time.sleep(0.02)
        cursor.close()
    finally:
        raw.close()
