"""The one error hierarchy of the screener, and intake problems in plain words.

The library raises these; the CLI and the app turn them into messages at their edge,
so nobody is ever shown a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from pydantic import ValidationError


class ScreenerError(Exception):
    """Base of every error the screener raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an intake: where (dotted path) and what, in plain words.

    A problem found by validation also says what as data: ``code`` is pydantic's error type or
    the kind models.py gives its own, ``params`` its context (``{"ge": 50}``), so a screen words
    it in the reader's language without reading the English.
    """

    path: str
    message: str
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidIntake(ScreenerError):
    """An intake that cannot be assessed; ``problems`` lists every reason at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def _choices(expected: str) -> str:
    return expected.replace("'", "")


_PLAIN = {
    "missing": lambda ctx: "This answer is required.",
    "bool_type": lambda ctx: "Answer true or false.",
    "bool_parsing": lambda ctx: "Answer true or false.",
    "int_type": lambda ctx: "Enter a whole number.",
    "int_from_float": lambda ctx: "Enter a whole number.",
    "float_type": lambda ctx: "Enter a number.",
    "finite_number": lambda ctx: "Enter an ordinary number (not NaN or infinity).",
    "string_type": lambda ctx: "Enter text.",
    "list_type": lambda ctx: "Give a list of choices.",
    "too_short": lambda ctx: "Choose at least one.",
    "too_long": lambda ctx: f"There are only {ctx['max_length']} choices; give each at most once.",
    "literal_error": lambda ctx: f"Choose one of: {_choices(ctx['expected'])}.",
    "greater_than_equal": lambda ctx: f"Must be at least {ctx['ge']}.",
    "less_than_equal": lambda ctx: f"Must be at most {ctx['le']}.",
    "model_type": lambda ctx: "This must be a JSON object of answers.",
    "model_attributes_type": lambda ctx: "This must be a JSON object of answers.",
    "dict_type": lambda ctx: "This must be a JSON object of answers.",
}


def plain_message(error: dict) -> str:
    """The message for one pydantic error, in words a patient or clerk can act on."""
    kind = error["type"]
    if kind == "extra_forbidden":
        return f'"{error["loc"][-1]}" is not a known field; remove it.'
    if kind == "json_invalid":
        detail = error.get("ctx", {}).get("error", error["msg"])
        return f"This is not valid JSON: {detail}."
    if not error["loc"] and kind in ("model_type", "model_attributes_type", "dict_type"):
        return "The intake must be a JSON object."
    translate = _PLAIN.get(kind)
    if translate is None:
        return error["msg"]
    try:
        return translate(error.get("ctx") or {})
    except KeyError:
        return error["msg"]


def problems_from(exc: ValidationError, prefix: tuple = ()) -> list[Problem]:
    """Every error of a pydantic validation, as problems with dotted paths."""
    return [
        Problem(".".join(str(part) for part in (*prefix, *error["loc"])), plain_message(error), error["type"],
                error.get("ctx") or {})
        for error in exc.errors()
    ]
