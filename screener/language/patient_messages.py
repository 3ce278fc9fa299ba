"""The validation messages a patient can meet, in the patient's language, at the edge.

The intake model's messages are English and stay so: the CLI and the contract use them.
Each one the wizard can show is listed here as a catalog message with named
placeholders; :func:`patient_message` recognises the model's English and gives the
catalog's words, with numbers in the patient's conventions. A message not listed here
(one the wizard cannot cause) becomes ``CHECK_THIS_ANSWER``: never English to a patient
who reads another language.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Union

from ..clinical.errors import Problem, plain_message
from .i18n import Words
from . import screens

VALIDATION_MESSAGES = (
    "This answer is required.",
    "Choose at least one.",
    "Enter a number.",
    "Must be at least {minimum}.",
    "Must be at most {maximum}.",
    "This cannot be left blank.",
    "Use at most {limit} characters (this has {length}).",
    "This contains invisible control characters; please retype it.",
    "Each choice can be given only once.",
    "This date does not exist on the calendar.",
    "This date is in the future; check the year.",
    "This gives an age over {years} years; check the year of birth.",
    "Please confirm that your answers are true and complete.",
    "Give your weight as well as your height, or leave out both.",
    "Give your height as well as your weight, or leave out both.",
)
CHECK_THIS_ANSWER = "Please check this answer."
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
                              for index, part in enumerate(parts)))


@lru_cache(maxsize=None)  # shipped words only
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    # DETAILS_NEEDED is the wizard's own message, beside the model's in the same problems.
    return tuple((template, _pattern(template)) for template in (*VALIDATION_MESSAGES, screens.DETAILS_NEEDED))


def _value(text: str, language: str) -> str:
    if not _NUMBER.fullmatch(text):
        return text
    from .formats import number

    return number(float(text) if "." in text else int(text), language)


def patient_message(problem: Union[Problem, dict, str], words: Words) -> str:
    """A model's message (a Problem, a pydantic error or the English text) in ``words``' language."""
    if isinstance(problem, Problem):
        english = problem.message
    elif isinstance(problem, dict):
        english = plain_message(problem)
    else:
        english = problem
    for template, pattern in _patterns():
        found = pattern.fullmatch(english)
        if found:
            return words(template, **{name: _value(value, words.language) for name, value in found.groupdict().items()})
    return words(CHECK_THIS_ANSWER)
