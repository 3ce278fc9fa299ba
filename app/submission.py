"""Signing: complete answers become one intake, assessed once and stored before the thank-you."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.answers import Answers, Problems, build_intake, consent_problems, entered, first_incomplete
from screener import assess
from screener.storage import Capture, Store

CONSENT = "consent"


class Incomplete(Exception):
    """Signing is not possible yet: ``problems`` of the ``section`` (a step's, or the consent) say why."""

    def __init__(self, section: str, problems: Problems):
        super().__init__(section)
        self.section = section
        self.problems = problems


def submit(answers: Answers, consent: dict[str, Any], store: Store, signed_at: datetime, language: str = "en") -> str:
    """Validate, assess on the day of signing and store; the new record's id.

    Raises :class:`Incomplete` when an answer is missing or invalid, and StorageError
    when the record cannot be stored.
    """
    incomplete = first_incomplete(answers, signed_at.date())
    if incomplete is not None:
        step, problems = incomplete
        raise Incomplete(step.section, problems)
    problems = consent_problems(consent, signed_at)
    if problems:
        raise Incomplete(CONSENT, problems)
    intake = build_intake(answers, consent, signed_at)
    capture = Capture(language=language, entered=entered(answers))
    return store.save_submission(intake, assess(intake, as_of=signed_at.date()), submitted_at=signed_at, capture=capture)
