"""Where submissions, patients, treatments, reviews and the audit trail are kept: embedded SQLite by
default, PostgreSQL when ``SCREENER_DATABASE_URL`` says so. Every failure is a ``StorageError``."""

from .accounts import SignIn, StaffAccount, StaffDirectory
from .database import data_privacy_warning
from .erasure import ERASED_ACTION, ERASURE_REASONS
from .consents import ConsentBook, SignedConsent, StoredConsent
from .errors import NotFound, ReviewConflict, StorageError
from .invitations import (
    InvitationClosed, InvitationOpening, InvitationRefused, Invitations, InvitationSummary, MadeInvitation,
)
from .patients import Patient, PatientDirectory, matching_key
from .records import AuditEvent, Capture, Submission, SubmissionSummary
from .store import CDS_SCREENED_ACTION, REVIEWED_ACTION, URGENT_LISTED_ACTION, Store
from .treatments import RecallRow, StoredTreatment, TreatmentLog, TreatmentRefused, lot_key
from .visits import CodeTry, PreparedCode, VisitCodes, VisitOpening

__all__ = ["AuditEvent", "CDS_SCREENED_ACTION", "Capture", "CodeTry", "ConsentBook", "ERASED_ACTION", "ERASURE_REASONS",
           "InvitationClosed", "InvitationOpening", "InvitationRefused", "InvitationSummary", "Invitations",
           "MadeInvitation", "NotFound", "Patient", "PatientDirectory", "PreparedCode", "REVIEWED_ACTION",
           "RecallRow", "ReviewConflict", "SignedConsent", "SignIn", "StoredConsent",
           "StaffAccount", "StaffDirectory", "StorageError", "Store", "StoredTreatment", "Submission",
           "SubmissionSummary", "TreatmentLog", "TreatmentRefused", "URGENT_LISTED_ACTION", "VisitCodes",
           "VisitOpening", "data_privacy_warning", "lot_key", "matching_key"]
