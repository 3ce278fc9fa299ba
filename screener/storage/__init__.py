"""Where submissions, reviews and the audit trail are kept: embedded SQLite by default,
PostgreSQL when ``SCREENER_DATABASE_URL`` says so. Every failure is a ``StorageError``."""

from .accounts import SignIn, StaffAccount, StaffDirectory
from .database import data_privacy_warning
from .erasure import ERASED_ACTION, ERASURE_REASONS
from .errors import NotFound, ReviewConflict, StorageError
from .records import AuditEvent, Capture, Submission, SubmissionSummary
from .store import CDS_SCREENED_ACTION, REVIEWED_ACTION, URGENT_LISTED_ACTION, Store

__all__ = ["AuditEvent", "CDS_SCREENED_ACTION", "Capture", "ERASED_ACTION", "ERASURE_REASONS", "NotFound", "REVIEWED_ACTION", "ReviewConflict",
           "SignIn", "StaffAccount", "StaffDirectory", "Store", "StorageError", "Submission", "SubmissionSummary",
           "URGENT_LISTED_ACTION",
           "data_privacy_warning"]
