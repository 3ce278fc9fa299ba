"""A draft as the server keeps it: the wizard's answers as JSON text, and back. No Streamlit here.

The answers are what ``app.patient.answers`` holds: per section, numbers, texts, lists, yes/no and the parts of
a date; a ``date`` itself (from an earlier intake) is written as ``{"$date": "YYYY-MM-DD"}``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Optional

from app.patient.answers import Answers, date_part_name
from screener.clinical.questionnaire import STEP_BY_SECTION
from screener.storage.invitations import MAX_DRAFT_BYTES

_DATE = "$date"


def _written(value: Any) -> Any:
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    raise TypeError(f"an answer of type {type(value).__name__} cannot be kept in a draft")


def _read(value: dict) -> Any:
    if set(value) == {_DATE}:
        return date.fromisoformat(value[_DATE])
    return value


def to_json(answers: Answers) -> str:
    return json.dumps(answers, ensure_ascii=False, sort_keys=True, default=_written)


def from_json(text: Optional[str]) -> Optional[Answers]:
    """The answers of a draft; None when there is none, or it is not one (the patient then starts again)."""
    if not text or len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
        return None
    try:
        answers = json.loads(text, object_hook=_read)
    except ValueError:
        return None
    if not isinstance(answers, dict) or not all(
            section in STEP_BY_SECTION and isinstance(raw, dict) for section, raw in answers.items()):
        return None
    return answers


def prefilled(full_name: str, date_of_birth: date) -> Answers:
    """A new draft: the name and date of birth the clinic made the invitation for, to be checked and corrected."""
    birth = STEP_BY_SECTION["patient"].question("date_of_birth")
    return {"patient": {"full_name": full_name,
                        **{date_part_name(birth, part): getattr(date_of_birth, part) for part in ("day", "month",
                                                                                                  "year")}}}
