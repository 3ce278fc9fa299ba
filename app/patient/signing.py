"""Signing: complete answers become one intake, assessed once and stored before the thank-you."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from app.patient.answers import Answers, Problems, build_intake, consent_problems, entered, first_incomplete
from screener import assess
from screener.language.i18n import Words
from screener.storage import InvitationOpening, Store, VisitOpening
from screener.language.wording import capture_for

CONSENT = "consent"


class Incomplete(Exception):
    """Signing is not possible yet: ``problems`` of the ``section`` (a step's, or the consent) say why."""

    def __init__(self, section: str, problems: Problems):
        super().__init__(section)
        self.section = section
        self.problems = problems


def submit(answers: Answers, consent: dict[str, Any], store: Store, signed_at: datetime, language: str = "en",
           visit: Optional[VisitOpening | InvitationOpening] = None) -> str:
    """Validate, assess on the day of signing and store with what the patient was shown (the language,
    the wording version, the consent statement in their words); the new record's id.

    ``visit`` is the visit code a returning visit was opened with: the assessment then reads the clinic's
    record of the patient's earlier sessions, and the submission names the one it started from. Or it is the
    invitation a patient answered at home under: the submission is then stored as answered at home and the
    invitation used up (``Store.invitations.finish``).

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
    # The record is this patient's only when the code's patient signs (another person gets no one's record).
    history = (store.treatments.history(visit.patient_id)
               if visit is not None and visit.patient_id and store.patients.get(visit.patient_id).matches(
                   intake.patient.full_name, intake.patient.date_of_birth) else ())
    assessment = assess(intake, as_of=signed_at.date(), history=history)
    if isinstance(visit, InvitationOpening):  # answered at home: the invitation is used up with the same write
        return store.invitations.finish(visit, intake, assessment, signed_at, capture)
    return store.save_submission(intake, assessment, submitted_at=signed_at, capture=capture, visit=visit)
