"""Every word the staff area shows, and the names of the audit trail's actions."""

from __future__ import annotations

from screener.staff_auth import HASH_COMMAND
from screener.storage import REVIEWED_ACTION

TITLE = "Staff area"

NOT_CONFIGURED = (
    "The staff area is closed: no staff password has been set for this clinic.\n\n"
    f"To set one, run `{HASH_COMMAND}` in the app's folder on the server, type the new "
    "password twice, and put the line it prints into `.streamlit/secrets.toml` "
    "(`staff_password_hash = \"scrypt$…\"`), or set the environment variable "
    "`SCREENER_STAFF_PASSWORD_HASH` to the quoted value (`--env` prints it that way). Then restart the app. "
    "The patient questions keep working meanwhile."
)
BAD_CONFIGURATION = "The staff area is closed (the staff password is set in {source}). {problem}"

SIGN_IN_INTRO = "Sign in with the clinic's staff password. Your name is recorded with everything you do here."
NAME_LABEL = "Your name"
PASSWORD_LABEL = "Staff password"
SIGN_IN_BUTTON = "Sign in"
PASSWORD_MISSING = "Enter the staff password."
WRONG_PASSWORD = "That is not the staff password."
PAUSED = "Too many wrong passwords. Sign-in is paused; try again in {wait}."
SIGNED_OUT = "You are signed out."
SESSION_ENDED = "You were signed out after {minutes} without activity. Sign in again to continue."

SIGNED_IN_AS = "Signed in as"
QUEUE_BUTTON = "Review queue"
AUDIT_BUTTON = "Audit trail"
SIGN_OUT_BUTTON = "Sign out"

QUEUE_TITLE = "Review queue"
DECISION_FILTER = "Decision"
STATUS_FILTER = "Review status"
NAME_SEARCH = "Search by name"
ALL_DECISIONS = "All decisions"
ALL_STATUSES = "All"
STATUS_LABELS = {"pending": "Not reviewed", "reviewed": "Reviewed"}
QUEUE_EMPTY = "No submissions yet."
QUEUE_NO_MATCH = "No submission matches these filters."
QUEUE_COUNT = "Showing {first}–{last} of {total}, newest first, in local time."
QUEUE_HEADINGS = ("Patient", "Age", "Submitted", "Decision", "Review", "")
AGE = "{years} years"
OPEN_BUTTON = "Open"
NEWER_BUTTON = "Newer"
OLDER_BUTTON = "Older"
TODAY = "Today"

BACK_BUTTON = "Back to the queue"
PATIENT_LINE = "Born {born} · {age} years · Submitted {submitted} · Record {record}"
ASSESSED = "Decided when submitted, on {day}, under rules version {version}."
DOWNLOAD_BUTTON = "Download PDF summary"
REVIEW_HEADING = "Review"
NOT_REVIEWED = "Not reviewed yet."
REVIEWED_BY = "Reviewed by {name} ({when})."
NOTE_LABEL = "Note (optional)"
NOTE_HEADING = "Note"
REVIEW_BUTTON = "Mark as reviewed"
REVIEW_SAVED = "Marked as reviewed."
REVIEW_CONFLICT = (
    "Someone else reviewed this submission while you had it open, so your review was not saved "
    "and theirs stands. Their review is shown below, and your note, if you wrote one, beside it."
)
UNSAVED_NOTE_HEADING = "Your note (not saved)"
EXCLUSIONS_HEADING = "Excluded"
NOTHING_EXCLUDED = "No sclerosant or technique is excluded."
EXCLUDED_AGENTS = "Agents: {agents}"
EXCLUDED_TECHNIQUES = "Techniques: {techniques}"
FLAGS_HEADING = "Flags ({count})"
STORED_FLAGS_HEADING = "Flags at submission ({count})"
NO_FLAGS = "No flags: nothing in the answers needs attention."
REASON = "Reason"
ACTION = "Action"
SOURCE = "Source"
ANSWERS_HEADING = "Answers"
CITED_MARK = "\u2691"  # black flag, as on the PDF
CITED_NOTE = f"{CITED_MARK} marks a question whose answer a flag above gives as its evidence."

RULES_CHANGED = (
    "The rules have changed since this submission was assessed (then: version {stored}; now: {current}). "
    "The decision above is the one made then and stays on record; here is what the current rules give "
    "for the same answers on the same day."
)
STORED_SIDE = "Stored (at submission)"
CURRENT_SIDE = "Under the current rules"
SAME_RESULT = "The current rules give the same decision and flags."
DECISION_CHANGE = "Decision: {stored} → {current}"
FLAG_ADDED = "New flag: {flag}"
FLAG_REMOVED = "No longer flagged: {flag}"
FLAG_CHANGED = "Changed: {flag} ({fields})"
AGENTS_ADDED = "Now excluded: {items}"
AGENTS_REMOVED = "No longer excluded: {items}"
CURRENT_FLAGS = "New flags under the current rules"
REASSESS_FAILED = "These answers could not be assessed under the current rules: {problem}"

AUDIT_TITLE = "Audit trail"
AUDIT_INTRO = "Every sign-in, view, download and review, newest first. Times are local; the trail cannot be changed."
AUDIT_ACTION_FILTER = "Action"
AUDIT_ALL_ACTIONS = "All actions"
AUDIT_LIMIT = "Show the latest"
AUDIT_EMPTY = "Nothing recorded yet."
AUDIT_COLUMNS = ("Time (local)", "Staff", "Action", "Record", "Detail")

# The audit trail's actions: the stored name, and the words staff read.
SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_IN_PAUSED = "sign_in_paused"
SIGN_OUT = "sign_out"
SESSION_EXPIRED = "session_expired"
VIEWED = "submission_viewed"
PDF_DOWNLOADED = "pdf_downloaded"
REVIEWED = REVIEWED_ACTION  # written by Store.mark_reviewed with the review itself
REVIEW_REFUSED = "review_conflict"
AUDIT_VIEWED = "audit_viewed"
QUEUE_VIEWED = "queue_viewed"
ACTIONS = {
    QUEUE_VIEWED: "Listed submissions",
    SIGN_IN: "Signed in",
    SIGN_IN_FAILED: "Wrong password",
    SIGN_IN_PAUSED: "Sign-in refused (paused)",
    SIGN_OUT: "Signed out",
    SESSION_EXPIRED: "Signed out (inactive)",
    VIEWED: "Opened a submission",
    PDF_DOWNLOADED: "Downloaded the PDF",
    REVIEWED: "Marked reviewed",
    REVIEW_REFUSED: "Review refused (someone else reviewed first)",
    AUDIT_VIEWED: "Opened the audit trail",
}
