"""The validation messages a patient can meet, in the patient's language, at the edge.

The intake model's messages are English and stay so: the CLI and the contract use them.
Each problem also carries its code (pydantic's error type, or the kind models.py gives its
own) and its parameters; each code the wizard can meet is listed here with its catalog
message, whose placeholders the parameters fill, numbers in the patient's conventions. A
problem of any other code (one the wizard cannot cause) becomes ``CHECK_THIS_ANSWER``: never
English to a patient who reads another language.
"""

from __future__ import annotations

from typing import Any

from ..clinical.errors import Problem
from .formats import number
from .i18n import Words

# By code: the catalog message (its English is the model's own message for the same problem).
VALIDATION_MESSAGES = {
    "missing": "This answer is required.",
    "too_short": "Choose at least one.",
    "float_type": "Enter a number.",
    "greater_than_equal": "Must be at least {minimum}.",
    "less_than_equal": "Must be at most {maximum}.",
    "text_blank": "This cannot be left blank.",
    "text_too_long": "Use at most {limit} characters (this has {length}).",
    "text_control_characters": "This contains invisible control characters; please retype it.",
    "list_repeated": "Each choice can be given only once.",
    "date_invalid": "This date does not exist on the calendar.",
    "date_in_future": "This date is in the future; check the year.",
    "age_too_high": "This gives an age over {years} years; check the year of birth.",
    "must_confirm": "Please confirm that your answers are true and complete.",
    "height_without_weight": "Give your weight as well as your height, or leave out both.",
    "weight_without_height": "Give your height as well as your weight, or leave out both.",
}
CHECK_THIS_ANSWER = "Please check this answer."


def _in_words(value: Any, language: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value, language)
    return str(value)


def patient_message(problem: Problem, say: Words) -> str:
    """A validation problem in ``say``'s language, worded from its code and parameters."""
    template = VALIDATION_MESSAGES.get(problem.code)
    if template is None:
        return say(CHECK_THIS_ANSWER)
    # pydantic names a bound by its constraint (ge, le); the catalog's words by what it is.
    names = {"ge": "minimum", "le": "maximum"}
    values = {names.get(name, name): _in_words(value, say.language) for name, value in problem.params.items()}
    return say(template, **values)
