"""What the store hands out: queue summaries, whole submissions and audit events."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

from ..clinical.models import Assessment, Intake
from ..clinical.stored import stored_assessment, stored_intake
from .schema import audit_events, submissions


class Capture(BaseModel):
    """How the answers of a submission were captured, beside the intake of the contract.

    ``language`` is the code of the language the patient read; ``wording_version`` the
    version of the patient-facing words; ``consent_statement`` the consent in the words
    the patient signed; ``entered`` maps a dotted answer path to how the patient gave it
    when that differs from the stored value (``"patient.height_cm": "5 ft 6 in"``).
    Submissions stored before this was recorded read as English with nothing else known.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str = "en"
    wording_version: str = ""
    consent_statement: str = ""
    entered: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class SubmissionSummary:
    """One line of the review queue; built without reading the stored answers."""

    id: str
    submitted_at: datetime
    patient_name: str
    date_of_birth: date
    decision: str
    rules_version: str
    review_status: str
    # Same-day triage (SCREENING.md section 3): listed first in the queue while its review is pending.
    urgent: bool
    # "tablet", "returning" (from a visit code), "home" (from an invitation) or "home_checked" (answers given
    # at home, checked on the tablet with a visit code)
    visit_kind: str


@dataclass(frozen=True)
class Submission(SubmissionSummary):
    """A stored submission: the answers and the assessment exactly as they were saved."""

    intake: Intake
    assessment: Assessment
    reviewed_by: Optional[str]
    reviewed_at: Optional[datetime]
    review_note: Optional[str]
    review_version: int
    capture: Capture
    patient_id: Optional[str] = None  # set once a clinician links it (or its visit code did)
    previous_submission_id: Optional[str] = None  # a returning visit: the submission it started from


@dataclass(frozen=True)
class StoredSubmission(SubmissionSummary):
    """A submission as stored, its answers and assessment still JSON text: read without
    validating, so a record that no longer validates can be reported rather than lost."""

    intake_json: str
    assessment_json: str


@dataclass(frozen=True)
class AuditEvent:
    """One line of the append-only audit trail."""

    id: int
    at: datetime
    staff: str
    action: str
    submission_id: Optional[str]
    detail: str


SUMMARY_COLUMNS = tuple(submissions.c[name] for name in (
    "id", "submitted_at", "patient_name", "date_of_birth", "decision", "rules_version", "review_status", "urgent",
    "visit_kind"))


def name_key(text: str) -> str:
    """A name folded for searching: case-insensitive in every script, composed accents alike."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def submission_row(submission_id: str, intake: Intake, assessment: Assessment, submitted_at: datetime,
                   capture: Optional[Capture] = None) -> dict[str, Any]:
    """The columns of a new submission; review columns take their database defaults."""
    return {
        "id": submission_id,
        "submitted_at": submitted_at,
        "patient_name": intake.patient.full_name,
        "name_key": name_key(intake.patient.full_name),
        "date_of_birth": intake.patient.date_of_birth,
        "decision": assessment.decision,
        "urgent": assessment.urgent,
        "rules_version": assessment.rules_version,
        "intake_json": intake.model_dump_json(),
        "assessment_json": assessment.model_dump_json(),
        "capture_json": (capture or Capture()).model_dump_json(),
    }


def summary_from(row) -> SubmissionSummary:
    return SubmissionSummary(**{column.name: row._mapping[column.name] for column in SUMMARY_COLUMNS})


def submission_from(row) -> Submission:
    """The stored submission; answers are validated against the day they were assessed."""
    values = row._mapping
    assessment = stored_assessment(values["assessment_json"])
    intake = stored_intake(values["intake_json"], assessment.assessed_on)
    return Submission(
        **{column.name: values[column.name] for column in SUMMARY_COLUMNS},
        intake=intake,
        assessment=assessment,
        reviewed_by=values["reviewed_by"],
        reviewed_at=values["reviewed_at"],
        review_note=values["review_note"],
        review_version=values["review_version"],
        capture=Capture.model_validate_json(values["capture_json"]) if values["capture_json"] else Capture(),
        patient_id=values["patient_id"],
        previous_submission_id=values["previous_submission_id"],
    )


def stored_from(row) -> StoredSubmission:
    values = row._mapping
    return StoredSubmission(**{column.name: values[column.name] for column in SUMMARY_COLUMNS},
                            intake_json=values["intake_json"], assessment_json=values["assessment_json"])


def event_from(row) -> AuditEvent:
    return AuditEvent(**{column.name: row._mapping[column.name] for column in audit_events.c})
