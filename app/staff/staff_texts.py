"""Every text the staff area shows, and the names of the audit trail's actions."""

from __future__ import annotations

from screener.storage import CDS_SCREENED_ACTION, ERASED_ACTION, REVIEWED_ACTION, URGENT_LISTED_ACTION
from screener.storage import accounts as account_actions
from screener.storage import consents as consent_actions
from screener.storage import patients as patient_actions
from screener.storage import treatments as treatment_actions
from screener.storage import visits as visit_actions

TITLE = "Staff area"

NO_ACCOUNTS = (
    "The staff area is closed: this clinic has no staff account yet.\n\n"
    "To create the first administrator, run this in the app's folder on the server and type their "
    "password twice:\n\n"
    "`.venv/bin/python -m screener staff add USERNAME --name \"FULL NAME\" --role admin`\n\n"
    "Then sign in here. The patient questions keep working meanwhile."
)
OLD_PASSWORD_IGNORED = (
    "SCREENER_STAFF_PASSWORD_HASH (or staff_password_hash in .streamlit/secrets.toml) no longer opens the "
    "staff area: everyone now signs in with a personal account. Remove that setting once the first "
    "administrator exists."
)

SIGN_IN_INTRO = "Sign in with your own staff account. Everything you do here is recorded under it."
USERNAME_LABEL = "Username"
PASSWORD_LABEL = "Password"
CODE_LABEL = "One-time code (if your account uses one)"
SIGN_IN_BUTTON = "Sign in"
FIELD_MISSING = "Enter your username and password."
REFUSED = "The username, password or one-time code is not right."
PAUSED = "Too many failed sign-ins. Sign-in is paused; try again in {wait}."
SIGNED_OUT = "You are signed out."
SESSION_ENDED = "You were signed out after {minutes} without activity. Sign in again to continue."
ACCOUNT_CHANGED = "You were signed out because your account was disabled or its password changed."

SIGNED_IN_AS = "Signed in as"
QUEUE_BUTTON = "Review queue"
AUDIT_BUTTON = "Audit trail"
ACCOUNTS_BUTTON = "Accounts"
MY_ACCOUNT_BUTTON = "My account"
SIGN_OUT_BUTTON = "Sign out"

ACCOUNTS_TITLE = "Staff accounts"
ACCOUNT_COLUMNS = ("Username", "Name", "Role", "Status", "One-time codes")
ACTIVE, DISABLED = "Active", "Disabled"
ON, OFF = "On", "Off"
ADD_ACCOUNT = "Add an account"
NEW_USERNAME = "Username"
NEW_NAME = "Full name"
NEW_ROLE = "Role"
NEW_PASSWORD = "Password (at least 12 characters)"
ADD_BUTTON = "Add the account"
ACCOUNT_ADDED = "Added {username}."
CHANGE_ACCOUNT = "Change an account"
WHICH_ACCOUNT = "Account"
DISABLE_BUTTON = "Disable"
ENABLE_BUTTON = "Enable"
ACCOUNT_SWITCHED = "{username} is now {status}."
RESET_PASSWORD = "New password for this account"
RESET_BUTTON = "Reset the password"
PASSWORD_WAS_RESET = "The password of {username} was reset; their open sessions end at their next action."
REMOVE_TOTP_BUTTON = "Turn off one-time codes"
TOTP_WAS_REMOVED = "One-time codes are off for {username}; they can enrol again."
NOT_YOURSELF = "You cannot disable your own account."

MY_ACCOUNT_TITLE = "My account"
CHANGE_PASSWORD = "Change your password"
CURRENT_PASSWORD = "Current password"
NEW_OWN_PASSWORD = "New password (at least 12 characters)"
NEW_OWN_PASSWORD_AGAIN = "New password again"
PASSWORDS_DIFFER = "The two new passwords differ."
CHANGE_PASSWORD_BUTTON = "Change my password"
PASSWORD_CHANGED = "Your password is changed. Sign in again with the new one."
TOTP_HEADING = "One-time codes"
TOTP_ON = "Your account asks for a one-time code from your authenticator app at every sign-in."
TOTP_REQUIRED = "This clinic requires a one-time code at every sign-in. Set it up now to continue."
TOTP_OFFER = "Add a one-time code from an authenticator app to your sign-in."
TOTP_START_BUTTON = "Set up one-time codes"
TOTP_SCAN = ("Scan this code with your authenticator app (it is shown only now), or type the key below into "
             "it. Then enter the code the app shows.")
TOTP_QR_ALT = "QR code for your authenticator app"
TOTP_KEY = "Key"
TOTP_CODE = "Code from your app"
TOTP_CONFIRM_BUTTON = "Turn on one-time codes"
TOTP_ENROLLED = "One-time codes are on. You will be asked for one at every sign-in."

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
QUEUE_HEADINGS = ("Patient", "Submitted", "Decision and review", "")
BORN_AGE = "Born {born} · {age} years"
TOP_FLAG = "{severity}: {title}"
# Same-day triage (SCREENING.md section 3): an urgent submission waiting for review.
URGENT_BADGE = "Urgent: see today"
URGENT_WAITING_ONE = "1 urgent submission waiting: the patient needs a clinician today."
URGENT_WAITING_MANY = "{count} urgent submissions waiting: each patient needs a clinician today."
URGENT_WAITING_DETAIL = ("A current clot, an inflamed vein, an open ulcer or a bleeding vein. "
                         "They are listed first in the queue until reviewed.")
URGENT_SHOW_BUTTON = "Show the queue"
URGENT_COUNT_FAILED = "Urgent submissions could not be counted just now; the next check follows in seconds."
NOT_ASKED_HEADING = "Questions not asked"
NOT_ASKED_NOTE = ("This patient signed before these questions were added to the intake (clinical version 2), so "
                  "they were never asked and no rule read them. Ask them at the consultation:")
NO_FLAG = "No flags"
LISTING_DETAIL = "{decision} · {status} · {search} · page {page}"
ANY_STATUS = "any review status"
NAME_SEARCHED = "a name searched (not recorded)"
NO_NAME_SEARCH = "no name search"
DATA_FOLDER_OPEN = "Patient data is not private on this computer. {warning}"
OPEN_BUTTON = "Open"
NEWER_BUTTON = "Newer"
OLDER_BUTTON = "Older"
TODAY = "Today"

BACK_BUTTON = "Back to the queue"
PATIENT_LINE = "Born {born} · {age} years · Submitted {submitted} · Record {record}"
ANSWERED_IN = "Answered in {language}. Questions below are in English; the patient's own words as typed."
OWN_WORDS_EMPTY = "The patient wrote nothing in their own words."
CONSENT_HEADING = "Consent signed"
DOWNLOADS_HEADING = "Downloads"
FHIR_BUTTON = "Download FHIR bundle"
HANDOUT_BUTTON = "Download patient handout ({language})"
HANDOUT_IN_ENGLISH = ("The patient answered in {language}, and the handout is not written in it yet: the handout "
                      "offered is in English.")
ASSESSED = "Decided when submitted, on {day}, under rules version {version}."
DOWNLOAD_BUTTON = "Download PDF summary"
ERASE_HEADING = "Erase this submission"
ERASE_INTRO = ("Erasing deletes the answers, the assessment and the review for good. The audit trail keeps "
               "that it was erased, by whom, when and why.")
ERASE_REASON = "Reason"
ERASE_CONFIRM = "I understand this cannot be undone"
ERASE_BUTTON = "Erase"
ERASE_DONE = "The submission was erased."
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

IMPACT_HEADING = "After a rule change"
IMPACT_NOT_COUNTED = ("Count the stored submissions that the current rules (version {version}) would screen "
                      "differently from when they were submitted. This reads every submission and may take a while.")
IMPACT_COUNT = ("Under the current rules (version {version}), {changed} of {read} stored submissions would now be "
                "screened differently, and {invalid} can no longer be assessed (counted {when}). The report lists "
                "each of them.")
IMPACT_MOVE = "{stored} → {current}: {count}"
IMPACT_FLAGS_ONLY = "Same decision, different flags: {count}"
IMPACT_COUNT_BUTTON = "Count them"
IMPACT_RECOUNT_BUTTON = "Count again"
IMPACT_DOWNLOAD = "Download the report (CSV)"

AUDIT_TITLE = "Audit trail"
AUDIT_INTRO = ("Every sign-in, view, download, review, account change and erasure, newest first. Times are local; "
               "the trail cannot be changed.")
AUDIT_ACTION_FILTER = "Action"
AUDIT_ALL_ACTIONS = "All actions"
AUDIT_LIMIT = "Show the latest"
AUDIT_EMPTY = "Nothing recorded yet."
AUDIT_COLUMNS = ("Time (local)", "Staff", "Action", "Record", "Detail")

# The audit trail's actions: the stored name, and the words staff read.
SIGN_IN = account_actions.SIGN_IN
SIGN_IN_FAILED = account_actions.SIGN_IN_FAILED
SIGN_IN_PAUSED = account_actions.SIGN_IN_PAUSED
SIGN_OUT = "sign_out"
SESSION_EXPIRED = "session_expired"
SESSION_ENDED_BY_CHANGE = "session_ended"
VIEWED = "submission_viewed"
PDF_DOWNLOADED = "pdf_downloaded"
FHIR_DOWNLOADED = "fhir_downloaded"
HANDOUT_DOWNLOADED = "handout_downloaded"
IMPACT_DOWNLOADED = "impact_report_downloaded"
RECALL_DOWNLOADED = "recall_downloaded"
REVIEWED = REVIEWED_ACTION  # written by Store.mark_reviewed with the review itself
REVIEW_REFUSED = "review_conflict"
AUDIT_VIEWED = "audit_viewed"
QUEUE_VIEWED = "queue_viewed"
ACCOUNTS_VIEWED = "accounts_viewed"
ERASED_EVENT = ERASED_ACTION
ACTIONS = {
    QUEUE_VIEWED: "Listed submissions",
    SIGN_IN: "Signed in",
    SIGN_IN_FAILED: "Sign-in refused",
    SIGN_IN_PAUSED: "Sign-in refused (paused)",
    SIGN_OUT: "Signed out",
    SESSION_EXPIRED: "Signed out (inactive)",
    SESSION_ENDED_BY_CHANGE: "Signed out (account changed)",
    VIEWED: "Opened a submission",
    PDF_DOWNLOADED: "Downloaded the PDF",
    FHIR_DOWNLOADED: "Downloaded the FHIR bundle",
    HANDOUT_DOWNLOADED: "Downloaded the patient handout",
    IMPACT_DOWNLOADED: "Downloaded the rule-change report",
    REVIEWED: "Marked reviewed",
    REVIEW_REFUSED: "Review refused (someone else reviewed first)",
    AUDIT_VIEWED: "Opened the audit trail",
    ACCOUNTS_VIEWED: "Opened the accounts",
    ERASED_EVENT: "Erased a submission",
    URGENT_LISTED_ACTION: "Listed the urgent submissions",
    patient_actions.PATIENT_ADDED: "Added a patient record",
    patient_actions.PATIENT_CHANGED: "Changed a patient's contact details",
    patient_actions.PATIENT_ERASED: "Erased a patient",
    patient_actions.SUBMISSION_LINKED: "Linked a submission to a patient",
    patient_actions.PATIENTS_SEARCHED: "Listed patients",
    patient_actions.PATIENT_VIEWED: "Opened a patient",
    visit_actions.CODE_PREPARED: "Made a visit code",
    visit_actions.CODE_ACCEPTED: "Visit code accepted on a tablet",
    visit_actions.CODE_REFUSED: "Visit code refused on a tablet",
    visit_actions.CODE_PAUSED: "Visit code refused (tablet paused)",
    treatment_actions.TREATMENT_RECORDED: "Recorded a treatment session",
    treatment_actions.TREATMENT_REFUSED: "Treatment session refused",
    treatment_actions.LOT_RECALLED: "Listed the patients of a lot (recall)",
    treatment_actions.TREATMENTS_LISTED: "Listed treatment sessions",
    RECALL_DOWNLOADED: "Downloaded a lot recall list",
    consent_actions.CONSENT_SIGNED: "Consent to the treatment signed on a tablet",
    consent_actions.CONSENT_COUNTERSIGNED: "Countersigned a consent to the treatment",
    consent_actions.PAPER_CONSENT_RECORDED: "Recorded a consent signed on paper",
    consent_actions.CONSENT_VIEWED: "Downloaded a signed consent",
    consent_actions.CONSENT_VERIFIED: "Checked a signed consent against the audit trail",
    CDS_SCREENED_ACTION: "Screened answers for a booking or record system",
    account_actions.ACCOUNT_ADDED: "Added an account",
    account_actions.ACCOUNT_DISABLED: "Disabled an account",
    account_actions.ACCOUNT_ENABLED: "Enabled an account",
    account_actions.PASSWORD_RESET: "Reset a password",
    account_actions.PASSWORD_CHANGED: "Changed own password",
    account_actions.TOTP_ENROLLED: "Turned on one-time codes",
    account_actions.TOTP_REMOVED: "Turned off one-time codes",
}

# Patients across visits, visit codes and treatments.
PATIENTS_BUTTON = "Patients"
PATIENTS_TITLE = "Patients"
PATIENT_SEARCH = "Find a patient by name or date of birth (YYYY-MM-DD)"
PATIENTS_NONE = "No patient matches. A patient record is made from one of their submissions."
PATIENTS_BACK = "Back to patients"
PATIENT_TITLE = "Patient"
CONTACT_HEADING = "Contact details (entered by staff)"
CONTACT_PHONE = "Phone"
CONTACT_EMAIL = "E-mail"
CONTACT_SAVE = "Save contact details"
CONTACT_SAVED = "The contact details are saved."
VISITS_HEADING = "Visits, oldest first"
VISITS_NONE = "No submission is linked to this patient yet."
SESSIONS_HEADING = "Sessions given ({count})"
SESSION_COLUMNS = ("Date", "Agent", "%", "Form", "Volume", "Lot", "Reactions")
VISIT_CODE_HEADING = "Prepare the tablet for a returning visit"
VISIT_CODE_INTRO = ("A 6-digit code, valid 15 minutes and once: the patient taps \"I have a visit code\" on the tablet "
                    "and types it, and the wizard opens with the last visit's answers.")
VISIT_CODE_BUTTON = "Make a visit code"
VISIT_CODE_QR = "The same code as a QR code"
VISIT_CODE_VALID = "Valid until {until}, once."
TREATMENT_HEADING = "Record a treatment session"
TREATMENT_NEEDS_VISIT = "A treatment is recorded against the screening of its session: link a submission first."
TREATMENT_SCREENING = "The screening of this session"
TREATMENT_DATE = "Session date"
TREATMENT_AGENT = "Agent"
TREATMENT_CONCENTRATION = "Concentration (%)"
TREATMENT_VOLUME = "Total volume (mL)"
TREATMENT_FORM = "Form"
TREATMENT_GAS = "Gas (foam only)"
TREATMENT_AREAS = "Areas treated"
TREATMENT_LOT = "Lot number"
TREATMENT_EXPIRES = "Lot expiry date"
TREATMENT_REACTIONS = "Reactions seen"
TREATMENT_NOTES = "Notes"
TREATMENT_OVERRIDE = "Why an agent or foam the screening excludes is used (leave empty otherwise)"
TREATMENT_SAVE = "Save the session"
TREATMENT_SAVED = "The session is recorded."
TREATED_AREAS = {"left_thigh": "Left thigh", "left_knee": "Left knee", "left_calf": "Left calf",
                 "left_ankle_foot": "Left ankle or foot", "right_thigh": "Right thigh", "right_knee": "Right knee",
                 "right_calf": "Right calf", "right_ankle_foot": "Right ankle or foot", "face": "Face",
                 "other": "Other"}
GASES = {"air": "Air", "co2": "CO2", "co2_o2": "CO2/O2"}
REACTIONS = {"allergic": "Allergic reaction", "visual_or_neurological": "Visual or neurological symptoms",
             "stroke_or_heart_event": "Stroke or heart event", "skin_necrosis_or_ulcer": "Skin necrosis or ulcer",
             "marked_pigmentation": "Marked pigmentation"}
ERASE_PATIENT_HEADING = "Erase this patient"
ERASE_PATIENT_INTRO = ("Erases the patient record, every submission of theirs, their treatment sessions, visit codes "
                       "and contact details. The audit trail keeps only ids, who and when.")
ERASE_PATIENT_BUTTON = "Erase the patient and everything of theirs"
PATIENT_ERASED = "The patient is erased, with {count} submissions."
LINKED_TO = "This submission belongs to a patient record."
OPEN_PATIENT_BUTTON = "Open the patient"
NOT_LINKED = "Not linked to a patient record yet"
SUGGESTED = "Same name and date of birth as a patient born {born}:"
LINK_BUTTON = "Link to this patient"
NEW_PATIENT_BUTTON = "Make a new patient record from this submission"
LINKED = "The submission is linked to the patient."
CHANGED_HEADING = "Changed since last visit"
NOTHING_CHANGED = "Nothing: every answer is as at the last visit."
PREVIOUS_SESSIONS = "Previous sessions ({count})"
WITH_RECORD_HEADING = "With the clinic's record of earlier sessions"
WITH_RECORD_NOTE = ("This submission was assessed without the sessions recorded for the patient (it was linked later). "
                    "With them, today's rules give:")
RECALL_BUTTON = "Lot recall"
RECALL_TITLE = "Lot recall"
RECALL_INTRO = ("Every patient treated with a lot, across all their visits: for a manufacturer's recall. Lot numbers "
                "match whatever their case, spaces or dashes.")
RECALL_LOT = "Lot number"
RECALL_FIND = "Find the patients"
RECALL_NONE = "No session was given from this lot."
RECALL_FOUND = "{sessions} sessions of {patients} patients."
RECALL_COLUMNS = ("Patient", "Born", "Session", "Agent", "Lot", "Phone", "E-mail", "Language")
RECALL_DOWNLOAD = "Download the list (CSV)"

# The consent to the treatment (app/staff/treatment_consent.py).
TC_HEADING = "Consent to the treatment"
TC_NONE = "No consent to the treatment was signed with this visit."
TC_STANDING = {"valid": "This patient has a countersigned consent on the current words from another visit.",
               "older": ("This patient's countersigned consent was signed on an older version of the words: ask for "
                         "a new one at this visit (on the tablet or on paper)."),
               None: "This patient has no countersigned consent yet: a treatment cannot be recorded without one."}
TC_DECISIONS = {"agreed": "Agreed to the treatment", "questions": "Has questions before deciding",
                "declined": "Declined the treatment"}
TC_DECISION_LOOKS = {"agreed": ("green", ":material/check:"), "questions": ("orange", ":material/help:"),
                     "declined": ("red", ":material/block:")}
TC_SIGNED_LINE = ("Signed {kind} by {name} on {when} · in {language} · wording version {version}")
TC_KINDS = {"tablet": "on the tablet", "paper": "on the paper form"}
TC_OLDER = ("Signed on an older version of the consent's words ({version}; today's is {current}). It does not "
            "count for a treatment: ask the patient for a new one at the next visit.")
TC_READ = "Parts ticked as read: {read} of {total}."
TC_UNREAD = "Not ticked as read: {parts}."
TC_QUESTIONS = "The patient's questions"
TC_NO_QUESTIONS = "The patient asked no questions."
TC_SIGNATURE = "Drawn signature"
TC_DECLINED = ("The patient declined the treatment. The declined consent is kept as signed; it cannot be "
               "countersigned, and no treatment can be recorded under it.")
TC_ANSWER_LABEL = "How you answered the patient's questions"
TC_ANSWER_HELP = "Needed when the patient asked questions; printed on the countersigned consent."
TC_COUNTERSIGN_BUTTON = "Countersign the consent"
TC_COUNTERSIGNED = "Consent countersigned."
TC_COUNTERSIGNED_LINE = "Countersigned by {name} on {when}. SHA-256 of the stored PDF: {digest}"
TC_ANSWER_SHOWN = "Answer to the patient's questions"
TC_DOWNLOAD = "Download the signed consent (PDF)"
TC_PAPER_HEADING = "Record a consent signed on paper"
TC_PAPER_INTRO = ("For a patient who signed the paper form (`python -m screener consent-form --lang L -o form.pdf` "
                  "prints it). Recording it countersigns it in your name.")
TC_PAPER_LANGUAGE = "Language of the form"
TC_PAPER_DECISION = "The patient's decision on the form"
TC_PAPER_NAME = "Full name as written on the form"
TC_PAPER_QUESTIONS = "Questions written on the form (if any)"
TC_PAPER_SCAN_NOTE = ("To keep a scan of the signed form with the record, record it from the command line instead: "
                      "`python -m screener consent record-paper SUBMISSION_ID --by USERNAME --scan FILE`.")
TC_PAPER_BUTTON = "Record the paper consent and countersign"
TC_PAPER_RECORDED = "Paper consent recorded and countersigned."
TC_PAPER_NAME_NEEDED = "Write the patient's full name as it is on the form."
TC_PAPER_DECISION_NEEDED = "Choose the decision ticked on the form."
TC_QUEUE_MARK = {"questions": "Consent: questions to answer", "declined": "Consent: declined",
                 "agreed": "Consent: to countersign"}
TC_QUEUE_LOOKS = {"questions": ("orange", ":material/help:"), "declined": ("red", ":material/block:"),
                  "agreed": ("blue", ":material/draw:")}

# Answering at home before the visit (invitations).
HOME_BADGE = "Answered at home"
HOME_CHECKED_BADGE = "Home answers checked at the clinic"
INVITATION_HEADING = "Answer at home before the visit"
INVITATION_INTRO = ("A personal link for this patient to answer on their own phone or computer, saved after every step. "
                    "It asks for their date of birth first, works until it expires or they sign, and then the tablet "
                    "only asks them to check their answers.")
INVITATION_NO_URL = ("Links cannot be made until SCREENER_PUBLIC_URL is set to the address the proxy publishes the "
                     "home pages at (docs/home-answering.md).")
INVITATION_URL_SETTING = "Links cannot be made until this setting is fixed: {problem}"
INVITATION_MAIL_SETTING = "E-mail cannot be sent until this setting is fixed: {problem}"
INVITATION_HOURS = "Valid for (hours, 1 to {most})"
INVITATION_LANGUAGE = "Language the pages and the e-mail start in"
INVITATION_BUTTON = "Make a link to answer at home"
INVITATION_COPY = ("The link, shown only now: copy it into a message, print this page, or send it by e-mail. Anyone "
                   "with it also needs the patient's date of birth.")
INVITATION_QR = "The same link as a QR code, to print or show"
INVITATION_VALID = "Valid until {until}, or until the answers are signed."
INVITATION_NO_MAIL = "E-mail is not set up (SCREENER_SMTP_URL): copy or print the link."
INVITATION_NO_ADDRESS = "Enter an e-mail address under contact details to send the link by e-mail."
INVITATION_SEND = "Send the link to {address}"
INVITATION_SENT_TO = "The link is sent to {address}. The e-mail holds the link and the clinic's name only."
INVITATION_ROW = "Link made {made}, valid until {until}: {status}"
INVITATION_OPEN = "not opened or nothing saved yet"
INVITATION_DRAFTED = "answers saved, not signed yet"
INVITATION_USED = "signed"
INVITATION_EXPIRED = "expired"
CHECK_CODE_HEADING = "Prepare the tablet to check these answers"
CHECK_CODE_INTRO = ("A 6-digit code, valid 15 minutes and once: the patient taps \"I have a visit code\" on the tablet, "
                    "types it, and walks through these answers under \"Please check your answers\", changing what "
                    "has changed, and signs again.")
CHECK_CODE_BUTTON = "Make a code to check these answers"
CHECK_NEEDS_PATIENT = "Link this submission to a patient record first (above) to make the code for the tablet."
