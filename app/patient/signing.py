"""Signing: complete answers become one intake, assessed once and stored before the thank-you."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.patient.answers import Answers, Problems, build_intake, consent_problems, entered, first_incomplete
from screener import assess
from screener.language.i18n import Words
from screener.storage import Store
from screener.language.wording import capture_for

CONSENT = "consent"


class Incomplete(Exception):
    """Signing is not possible yet: ``problems`` of the ``section`` (a step's, or the consent) say why."""

    def __init__(self, section: str, problems: Problems):
        super().__init__(section)
        self.section = section
        self.problems = problems


def submit(answers: Answers, consent: dict[str, Any], store: Store, signed_at: datetime, language: str = "en") -> str:
    """Validate, assess on the day of signing and store with what the patient was shown (the language,
    the wording version, the consent statement in their words); the new record's id.

    Raises :class:`Incomplete` when an answer is missing or invalid (its problems in ``language``),
    and StorageError when the record cannot be stored. The intake is the same in any language.
    """
    say = Words(language)
    incomplete = first_incomplete(answers, signed_at.date(), say)
    if incomplete is not None:
        step, problems = incomplete
        raise Incomplete(step.section, problems)
    problems = consent_problems(consent, signed_at, say)
    if problems:
        raise Incomplete(CONSENT, problems)
    intake = build_intake(answers, consent, signed_at)
    capture = capture_for(language, entered(answers))
    return store.save_submission(intake, assess(intake, as_of=signed_at.date()), submitted_at=signed_at, capture=capture)
