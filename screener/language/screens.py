"""The wizard's own words around the questions: welcome, buttons, headings, messages, units, dates.

The questions themselves, their choices and the consent statement are the intake's form, in
screener/clinical/questionnaire.py. Both are English message ids of the ``patient`` catalog.
"""

from __future__ import annotations

WELCOME_TITLE = "Before your vein treatment"
WELCOME_TEXT = (
    "Microsclerotherapy treats spider veins with very fine injections. Before it, we ask "
    "some questions about your health so the clinician can check the treatment is safe for you. "
    "It takes about five minutes. Answer each question as well as you can; if you are not sure, "
    "choose the answer that says so, and the clinician will go through it with you."
)
PRIVACY_TEXT = (
    "Your answers are private. They are stored by this clinic for your care and seen only by "
    "clinic staff. Nothing is kept on this tablet after you finish."
)
THANK_YOU_TITLE = "Thank you"
THANK_YOU_TEXT = (
    "Your answers have been saved. Please hand the tablet back to the reception desk. "
    "A clinician will go through your answers with you before any treatment. "
    "The clinic will also give you an information sheet to take home."
)


# The wizard's own screen texts: buttons, headings and messages around the questions.
PROGRESS_TEXT = "Step {number} of {total}: {title}"
START_BUTTON = "Start"
NEXT_BUTTON = "Next"
BACK_BUTTON = "Back"
CHANGE_STEP_BUTTON = "Change {step}"
REVIEW_TITLE = "Check your answers"
REVIEW_INTRO = "Please read your answers. If something is wrong, tap the Change button of that part."
REVIEW_SECTION_INCOMPLETE = "Some answers in this part are missing. Tap its Change button to complete them."
CONTINUE_TO_CONSENT_BUTTON = "My answers are correct"
CONSENT_TITLE = "Your signature"
SUBMIT_BUTTON = "Sign and send"
NEXT_PATIENT_BUTTON = "Start again for the next person"
STEP_HAS_PROBLEMS = "Some answers need your attention. They are marked in red above."
DETAILS_NEEDED = "Please write your answer here, or choose No above."
SAVE_FAILED = "Your answers could not be saved. Please ask a member of staff."

# A date is chosen as a day, a month by its name and a year: nothing to mistype, nothing reordered.
DATE_PART_LABELS = {"day": "Day", "month": "Month", "year": "Year"}
DATE_INCOMPLETE = "Please choose the day, the month and the year."
DATE_DOES_NOT_EXIST = "{month} {year} has no day {day}. Please choose the day again."

# Height and weight in the unit a patient knows: the choice, each part's short name, and the
# message for a value outside the range, in that unit (the range itself is the model's).
UNIT_QUESTION = "Measured in"
UNIT_NAMES = {
    "cm": "Centimetres",
    "ft_in": "Feet and inches",
    "kg": "Kilograms",
    "st_lb": "Stones and pounds",
    "lb": "Pounds",
}
PART_NAMES = {"cm": "cm", "feet": "ft", "inches": "in", "kg": "kg", "stones": "st", "pounds": "lb"}
AMOUNTS = {
    "cm": "{cm} cm",
    "ft_in": "{feet} ft {inches} in",
    "kg": "{kg} kg",
    "st_lb": "{stones} st {pounds} lb",
    "lb": "{pounds} lb",
}
OUT_OF_RANGE = {
    "cm": "Please enter your height in centimetres, between {low} and {high}.",
    "ft_in": "Please enter your height in feet and inches, between {low} and {high}.",
    "kg": "Please enter your weight in kilograms, between {low} and {high}.",
    "st_lb": "Please enter your weight in stones and pounds, between {low} and {high}.",
    "lb": "Please enter your weight in pounds, between {low} and {high}.",
}

# The text-size control on every patient screen; it lasts until the tablet is reset.
TEXT_SIZE_LABEL = "Text size"
TEXT_SIZES = {"standard": "Standard", "large": "Large", "largest": "Largest"}
# The language control beside it (each language is offered by its own name, never translated).
LANGUAGE_LABEL = "Language"

# A returning visit: the code a member of staff gives, then each step's answers from last time.
VISIT_CODE_BUTTON = "I have a visit code"
VISIT_CODE_TITLE = "Your visit code"
VISIT_CODE_INTRO = "A member of staff gives you a code of 6 numbers for your visit. Please type it here."
VISIT_CODE_LABEL = "Visit code (6 numbers)"
VISIT_CODE_CONTINUE = "Continue"
VISIT_CODE_REFUSED = "This code cannot be used. Please check it, or ask a member of staff for a new one."
VISIT_CODE_PAUSED = "Too many codes were tried on this tablet. Please ask a member of staff."
VISIT_CODE_FAILED = "The code could not be checked just now. Please ask a member of staff."
LAST_TIME_HEADING = "Your answers last time"
CHANGED_QUESTION = "Has anything changed since your last visit?"
CHANGED_YES = "Yes, something has changed"
CHANGED_NO = "No, nothing has changed"
CHANGED_NEEDED = "Please choose Yes or No."
ASKED_AGAIN = "These questions are about today, so we ask them at every visit:"

# Answering at home (issue 23): a personal link from the clinic, the date of birth that opens it, the answers
# saved after every step; then, at the clinic, a visit code opens them on the tablet to be checked.
HOME_CLOSED = "This link cannot be used. Please contact {clinic}."
HOME_BIRTH_TITLE = "Before you start"
HOME_BIRTH_INTRO = ("{clinic} asks you to answer some questions before your visit. To keep your answers private, "
                    "please confirm your date of birth first.")
HOME_BIRTH_LABEL = "Your date of birth"
HOME_BIRTH_CONTINUE = "Continue"
HOME_BIRTH_REFUSED = "This date of birth does not match. Please check the day, the month and the year."
HOME_BIRTH_PAUSED = "Too many dates of birth were tried. Please try again later, or contact {clinic}."
HOME_BIRTH_FAILED = "Your date of birth could not be checked just now. Please try again in a moment."
HOME_PRIVACY_TEXT = (
    "Your answers are private and seen only by clinic staff. They are saved for {clinic} after every step, so "
    "you can stop and open this link again later, on this phone or another device, until it expires."
)
HOME_CONTINUE_BUTTON = "Continue where you stopped"
HOME_SAVE_FAILED = "Your answers could not be saved just now. Please check your connection and tap the button again."
HOME_THANK_YOU_TEXT = (
    "Your answers have been sent to {clinic}. At the clinic, you will check them on a tablet before any "
    "treatment. You can close this page now."
)
HOME_CHECK_TITLE = "Please check your answers"
HOME_CHECK_TEXT = ("You answered these questions at home. Please check each part. If something has changed, "
                   "choose Yes and correct it.")
HOME_ANSWERS_HEADING = "Your answers from home"
CHANGED_SINCE_HOME_QUESTION = "Has anything changed since you answered at home?"
INVITATION_SUBJECT = "Questions before your visit to {clinic}"
INVITATION_TEXT = (
    "Hello,\n\n{clinic} asks you to answer some questions before your visit. Please open this personal link "
    "on your phone or computer:\n\n{link}\n\nYou will be asked for your date of birth. The link works until "
    "{until}. Please do not share it.\n\nIf you did not expect this message, you can ignore it."
)
