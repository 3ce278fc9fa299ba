"""The tables as the code uses them, and the ordered migrations that build them.

A migration is a small function of one connection, applied once, in order, inside one
transaction; the ``schema_version`` table records each. Migrations are frozen: a change
to the tables is a new function at the end of ``MIGRATIONS``, never an edit.
"""

from __future__ import annotations

import json
import zlib
from datetime import datetime, timezone
from typing import Callable, Sequence

from sqlalchemy import (
    BigInteger, Boolean, Column, Connection, Date, DateTime, Engine, Index, Integer, LargeBinary, MetaData, String,
    Table, Text,
    TypeDecorator, bindparam, func, inspect, insert, select, text,
)
from sqlalchemy.schema import CreateColumn

from .database import WRITE
from .errors import StorageError


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite keeps naive UTC text, which sorts)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


AuditId = BigInteger().with_variant(Integer, "sqlite")  # SQLite numbers rows only for INTEGER PRIMARY KEY

metadata = MetaData()

submissions = Table(
    "submissions", metadata,
    Column("id", String(32), primary_key=True),
    Column("submitted_at", UTCDateTime(), nullable=False),
    Column("patient_name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("decision", String(32), nullable=False),
    Column("rules_version", String(64), nullable=False),
    Column("intake_json", Text, nullable=False),
    Column("assessment_json", Text, nullable=False),
    Column("review_status", String(16), nullable=False, server_default="pending"),
    Column("reviewed_by", Text),
    Column("reviewed_at", UTCDateTime()),
    Column("review_note", Text),
    Column("review_version", Integer, nullable=False, server_default=text("0")),
    Column("capture_json", Text),
    Column("urgent", Boolean, nullable=False, server_default=text("false")),
    Column("patient_id", String(32)),
    Column("linked_by", Text),
    Column("linked_at", UTCDateTime()),
    Column("previous_submission_id", String(32)),
    Column("visit_kind", String(16), nullable=False, server_default="tablet"),
)

patients = Table(
    "patients", metadata,
    Column("id", String(32), primary_key=True),
    Column("full_name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("phone", Text),
    Column("email", Text),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", Text, nullable=False),
)

treatments = Table(
    "treatments", metadata,
    Column("id", String(32), primary_key=True),
    Column("patient_id", String(32), nullable=False),
    Column("submission_id", String(32), nullable=False),
    Column("session_date", Date, nullable=False),
    Column("record_json", Text, nullable=False),
    Column("lot_key", Text, nullable=False),
    Column("recorded_by", Text, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
)

consents = Table(
    "consents", metadata,
    Column("id", String(32), primary_key=True),
    Column("submission_id", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("language", String(16), nullable=False),
    Column("wording_version", String(32), nullable=False),
    Column("words_json", Text, nullable=False),
    Column("read_json", Text, nullable=False),
    Column("questions", Text, nullable=False),
    Column("decision", String(16), nullable=False),
    Column("typed_name", Text, nullable=False),
    Column("signature_png", LargeBinary),
    Column("signed_at", UTCDateTime(), nullable=False),
    Column("scan", LargeBinary),
    Column("scan_type", String(64)),
    Column("countersigned_by", Text),
    Column("countersigned_at", UTCDateTime()),
    Column("clinician_answer", Text),
    Column("pdf", LargeBinary),
    Column("pdf_sha256", String(64)),
)

visit_codes = Table(
    "visit_codes", metadata,
    Column("id", String(32), primary_key=True),
    Column("code_hash", String(64), nullable=False),
    Column("patient_id", String(32), nullable=False),
    Column("source_submission_id", String(32)),
    Column("purpose", String(16), nullable=False),
    Column("created_by", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
)

# Invitations to answer at home (issue 23): a link's token only as its SHA-256; the name and date of
# birth it was made for until it is used up or expires; the draft of the answers given so far.
invitations = Table(
    "invitations", metadata,
    Column("id", String(32), primary_key=True),
    Column("token_hash", String(64), nullable=False),
    Column("patient_id", String(32)),
    Column("full_name", Text),
    Column("date_of_birth", Date),
    Column("language", String(16), nullable=False),
    Column("created_by", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
    Column("submission_id", String(32)),
)

invitation_drafts = Table(
    "invitation_drafts", metadata,
    Column("invitation_id", String(32), primary_key=True),
    Column("answers_json", Text, nullable=False),
    Column("language", String(16), nullable=False),
    Column("saved_at", UTCDateTime(), nullable=False),
)

audit_events = Table(
    "audit_events", metadata,
    Column("id", AuditId, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("staff", Text, nullable=False),
    Column("action", String(64), nullable=False),
    Column("submission_id", String(32)),
    Column("detail", Text, nullable=False),
)

staff_accounts = Table(
    "staff_accounts", metadata,
    Column("username", String(32), primary_key=True),
    Column("display_name", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, server_default=text("false")),
    Column("totp_secret", Text),
    Column("totp_last_step", BigInteger),
    Column("credentials_version", Integer, nullable=False, server_default=text("0")),
    Column("created_at", UTCDateTime(), nullable=False),
)

schema_versions = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", UTCDateTime(), nullable=False),
)


def _v1_submissions(conn: Connection) -> None:
    """Submissions as the patient wizard stores them, indexed for the newest-first queue."""
    frozen = MetaData()
    table = Table(
        "submissions", frozen,
        Column("id", String(32), primary_key=True),
        Column("submitted_at", UTCDateTime(), nullable=False),
        Column("patient_name", Text, nullable=False),
        Column("name_key", Text, nullable=False),
        Column("date_of_birth", Date, nullable=False),
        Column("decision", String(32), nullable=False),
        Column("rules_version", String(64), nullable=False),
        Column("intake_json", Text, nullable=False),
        Column("assessment_json", Text, nullable=False),
    )
    Index("ix_submissions_submitted_at", table.c.submitted_at, table.c.id)
    Index("ix_submissions_decision", table.c.decision, table.c.submitted_at)
    frozen.create_all(conn)


_APPEND_ONLY_SQLITE = [
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
]
_APPEND_ONLY_POSTGRES = [
    "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$",
    "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
]


def _v2_reviews_and_audit(conn: Connection) -> None:
    """Review columns with an optimistic-concurrency version, and the append-only audit trail."""
    frozen = MetaData()
    review_columns = Table(
        "submissions", frozen,
        Column("review_status", String(16), nullable=False, server_default="pending"),
        Column("reviewed_by", Text),
        Column("reviewed_at", UTCDateTime()),
        Column("review_note", Text),
        Column("review_version", Integer, nullable=False, server_default=text("0")),
    )
    for column in review_columns.c:
        conn.execute(text(f"ALTER TABLE submissions ADD COLUMN {CreateColumn(column).compile(dialect=conn.dialect)}"))
    conn.execute(text("CREATE INDEX ix_submissions_status ON submissions (review_status, submitted_at)"))
    table = Table(
        "audit_events", frozen,
        Column("id", AuditId, primary_key=True, autoincrement=True),
        Column("at", UTCDateTime(), nullable=False),
        Column("staff", Text, nullable=False),
        Column("action", String(64), nullable=False),
        Column("submission_id", String(32)),
        Column("detail", Text, nullable=False),
    )
    Index("ix_audit_events_at", table.c.at, table.c.id)
    table.create(conn)  # with its index
    for statement in _APPEND_ONLY_SQLITE if conn.dialect.name == "sqlite" else _APPEND_ONLY_POSTGRES:
        conn.execute(text(statement))


def _v3_capture(conn: Connection) -> None:
    """How a submission's answers were captured (language, wording, units as entered); NULL before."""
    conn.execute(text("ALTER TABLE submissions ADD COLUMN capture_json TEXT"))


def _v4_staff_accounts(conn: Connection) -> None:
    """Personal staff accounts, and indexes for counting one username's sign-in failures."""
    frozen = MetaData()
    Table(
        "staff_accounts", frozen,
        Column("username", String(32), primary_key=True),
        Column("display_name", Text, nullable=False),
        Column("role", String(16), nullable=False),
        Column("password_hash", Text, nullable=False),
        Column("disabled", Boolean, nullable=False, server_default=text("false")),
        Column("totp_secret", Text),
        Column("totp_last_step", BigInteger),
        Column("credentials_version", Integer, nullable=False, server_default=text("0")),
        Column("created_at", UTCDateTime(), nullable=False),
    ).create(conn)
    conn.execute(text("CREATE INDEX ix_audit_events_staff_action ON audit_events (staff, action, at)"))
    conn.execute(text("CREATE INDEX ix_audit_events_action ON audit_events (action, at)"))


# The same-day rules of SCREENING.md version 2, frozen here as this migration applied them to the
# submissions stored before (the rules themselves declare them in screener/clinical/rules.py).
_V5_SAME_DAY_RULES = ("ACUTE-VTE", "SUPERFICIAL-THROMBOPHLEBITIS", "VENOUS-ULCER", "BLEEDING-VEIN")


def _v5_urgent(conn: Connection) -> None:
    """Whether a submission needs a clinician the same day, for the top of the queue; a submission
    stored before is urgent exactly when one of its stored flags is a same-day rule's."""
    conn.execute(text("ALTER TABLE submissions ADD COLUMN urgent BOOLEAN NOT NULL DEFAULT false"))
    stored = conn.execute(text("SELECT id, assessment_json FROM submissions")).all()
    urgent = [row.id for row in stored
              if {flag.get("rule_id") for flag in json.loads(row.assessment_json).get("flags", [])}
              & set(_V5_SAME_DAY_RULES)]
    for start in range(0, len(urgent), 500):
        batch = urgent[start:start + 500]
        conn.execute(text("UPDATE submissions SET urgent = true WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True)), {"ids": batch})
    conn.execute(text("CREATE INDEX ix_submissions_urgent ON submissions (urgent, review_status, submitted_at)"))


def _v6_course_of_treatment(conn: Connection) -> None:
    """Patients across visits: a submission belongs to a patient once a clinician links it, returning
    visits name the submission they started from, treatment records per session, visit codes."""
    frozen = MetaData()
    for column in (Column("patient_id", String(32)), Column("linked_by", Text), Column("linked_at", UTCDateTime()),
                   Column("previous_submission_id", String(32)),
                   Column("visit_kind", String(16), nullable=False, server_default="tablet")):
        conn.execute(text(f"ALTER TABLE submissions ADD COLUMN {CreateColumn(column).compile(dialect=conn.dialect)}"))
    conn.execute(text("CREATE INDEX ix_submissions_patient ON submissions (patient_id, submitted_at)"))
    people = Table(
        "patients", frozen,
        Column("id", String(32), primary_key=True),
        Column("full_name", Text, nullable=False),
        Column("name_key", Text, nullable=False),
        Column("date_of_birth", Date, nullable=False),
        Column("phone", Text),
        Column("email", Text),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("created_by", Text, nullable=False),
    )
    Index("ix_patients_name_birth", people.c.name_key, people.c.date_of_birth)
    sessions = Table(
        "treatments", frozen,
        Column("id", String(32), primary_key=True),
        Column("patient_id", String(32), nullable=False),
        Column("submission_id", String(32), nullable=False),
        Column("session_date", Date, nullable=False),
        Column("record_json", Text, nullable=False),
        Column("lot_key", Text, nullable=False),
        Column("recorded_by", Text, nullable=False),
        Column("recorded_at", UTCDateTime(), nullable=False),
    )
    Index("ix_treatments_patient", sessions.c.patient_id, sessions.c.session_date)
    Index("ix_treatments_lot", sessions.c.lot_key)
    codes = Table(
        "visit_codes", frozen,
        Column("id", String(32), primary_key=True),
        Column("code_hash", String(64), nullable=False),
        Column("patient_id", String(32), nullable=False),
        Column("source_submission_id", String(32)),
        Column("purpose", String(16), nullable=False),
        Column("created_by", Text, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("expires_at", UTCDateTime(), nullable=False),
        Column("used_at", UTCDateTime()),
    )
    Index("ix_visit_codes_hash", codes.c.code_hash, codes.c.expires_at)
    frozen.create_all(conn)


def _v7_consents(conn: Connection) -> None:
    """Consents to the treatment: signed with a submission, countersigned once, their PDF kept unchanged."""
    frozen = MetaData()
    table = Table(
        "consents", frozen,
        Column("id", String(32), primary_key=True),
        Column("submission_id", String(32), nullable=False),
        Column("kind", String(16), nullable=False),
        Column("language", String(16), nullable=False),
        Column("wording_version", String(32), nullable=False),
        Column("words_json", Text, nullable=False),
        Column("read_json", Text, nullable=False),
        Column("questions", Text, nullable=False),
        Column("decision", String(16), nullable=False),
        Column("typed_name", Text, nullable=False),
        Column("signature_png", LargeBinary),
        Column("signed_at", UTCDateTime(), nullable=False),
        Column("scan", LargeBinary),
        Column("scan_type", String(64)),
        Column("countersigned_by", Text),
        Column("countersigned_at", UTCDateTime()),
        Column("clinician_answer", Text),
        Column("pdf", LargeBinary),
        Column("pdf_sha256", String(64)),
    )
    Index("ix_consents_submission", table.c.submission_id, table.c.signed_at)
    frozen.create_all(conn)


def _v8_invitations(conn: Connection) -> None:
    """Invitations to answer at home: the link's token as its hash (looked up by it), who it is for until
    it is used or expires, and the draft of the answers so far, one per invitation."""
    frozen = MetaData()
    links = Table(
        "invitations", frozen,
        Column("id", String(32), primary_key=True),
        Column("token_hash", String(64), nullable=False),
        Column("patient_id", String(32)),
        Column("full_name", Text),
        Column("date_of_birth", Date),
        Column("language", String(16), nullable=False),
        Column("created_by", Text, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("expires_at", UTCDateTime(), nullable=False),
        Column("used_at", UTCDateTime()),
        Column("submission_id", String(32)),
    )
    Index("ix_invitations_token_hash", links.c.token_hash, unique=True)
    Index("ix_invitations_patient", links.c.patient_id)
    Index("ix_invitations_expires", links.c.expires_at)
    Table(
        "invitation_drafts", frozen,
        Column("invitation_id", String(32), primary_key=True),
        Column("answers_json", Text, nullable=False),
        Column("language", String(16), nullable=False),
        Column("saved_at", UTCDateTime(), nullable=False),
    )
    frozen.create_all(conn)


Migration = Callable[[Connection], None]
MIGRATIONS: Sequence[Migration] = (_v1_submissions, _v2_reviews_and_audit, _v3_capture, _v4_staff_accounts,
                                   _v5_urgent, _v6_course_of_treatment, _v7_consents, _v8_invitations)

_LOCK_KEY = zlib.crc32(b"screener schema migration")
_TOO_NEW = ("The database could not be opened (it was upgraded by a newer version of the screener; "
            "update this app before using it).")


def current_version(conn: Connection) -> int:
    """The highest migration applied, 0 for an empty database."""
    if not inspect(conn).has_table(schema_versions.name):
        return 0
    return conn.scalar(select(func.coalesce(func.max(schema_versions.c.version), 0)))


def migrate(engine: Engine, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the migrations the database lacks, once, even when several instances start together."""
    target = len(migrations)
    with engine.connect() as conn:
        found = current_version(conn)
    if found == target:
        return found
    with engine.execution_options(**WRITE).begin() as conn:
        if conn.dialect.name == "postgresql":  # SQLite's BEGIN IMMEDIATE already serialises this
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        schema_versions.create(conn, checkfirst=True)
        found = current_version(conn)
        if found > target:
            raise StorageError(_TOO_NEW)
        for version in range(found + 1, target + 1):
            migrations[version - 1](conn)
            conn.execute(insert(schema_versions).values(version=version, applied_at=datetime.now(timezone.utc)))
    return target
