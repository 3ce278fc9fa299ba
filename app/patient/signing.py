"""Signing: complete answers become one intake, assessed once and stored before the thank-you."""

from __future__ import annotations

import base64
import binascii

from datetime import datetime
from typing import Any, Optional

from app.patient.answers import Answers, Problems, build_intake, consent_problems, entered, first_incomplete
from screener import assess
from screener.language.i18n import Words
from screener.clinical import consent
from screener.storage import InvitationOpening, SignedConsent, Store, VisitOpening
from screener.language.wording import capture_for

CONSENT, TREATMENT_CONSENT = "consent", "treatment-consent"
PNG_PREFIX = "data:image/png;base64,"
MAX_PNG_BYTES = 400_000  # a finger signature is tens of KB; anything larger is not one


class Incomplete(Exception):
    """Signing is not possible yet: ``problems`` of the ``section`` (a step's, or the consent) say why."""

    def __init__(self, section: str, problems: Problems):
        super().__init__(section)
        self.section = section
        self.problems = problems


def submit(answers: Answers, consent_answers: dict[str, Any], store: Store, signed_at: datetime, language: str = "en",
           visit: Optional[VisitOpening | InvitationOpening] = None, treatment: Optional[dict[str, Any]] = None) -> str:
    """Validate, assess on the day of signing and store with what the patient was shown (the language,
    the wording version, the consent statement in their words); the new record's id.

    ``treatment`` is what the tablet kept of the consent to treatment (None when none was asked today): it is
    checked and stored with the submission, in the same transaction. ``visit`` is the visit code a returning
    visit was opened with: the assessment then reads the clinic's record of the patient's earlier sessions,
    and the submission names the one it started from. Or it is the invitation a patient answered at home
    under: the submission is then stored as answered at home and the invitation used up
    (``Store.invitations.finish``); the consent to treatment is signed at the clinic, never at home.

    Raises :class:`Incomplete` when an answer is missing or invalid (its problems in ``language``),
    and StorageError when the record cannot be stored. The intake is the same in any language.
    """
    say = Words(language)
    incomplete = first_incomplete(answers, signed_at.date(), say)
    if incomplete is not None:
        step, problems = incomplete
        raise Incomplete(step.section, problems)
    problems = consent_problems(consent_answers, signed_at, say)
    if treatment is not None:
        before_signing = treatment_consent_problems(treatment, language)
        signature = before_signing.pop("tc-signature", None)
        if before_signing:  # the parts read and the decision are on the screen before the signature
            raise Incomplete(TREATMENT_CONSENT, before_signing)
        if signature:
            problems["tc-signature"] = signature
    if problems:
        raise Incomplete(CONSENT, problems)
    intake = build_intake(answers, consent_answers, signed_at)
    capture = capture_for(language, entered(answers))
    # The record is this patient's only when the code's patient signs (another person gets no one's record).
    history = (store.treatments.history(visit.patient_id)
               if visit is not None and visit.patient_id and store.patients.get(visit.patient_id).matches(
                   intake.patient.full_name, intake.patient.date_of_birth) else ())
    assessment = assess(intake, as_of=signed_at.date(), history=history)
    if isinstance(visit, InvitationOpening):  # answered at home: the invitation is used up with the same write
        if treatment is not None:
            raise ValueError("the consent to treatment is signed at the clinic, not at home")
        return store.invitations.finish(visit, intake, assessment, signed_at, capture)
    signed = consent_to_treatment(treatment, intake, signed_at, language) if treatment is not None else None
    return store.save_submission(intake, assessment, submitted_at=signed_at, capture=capture, visit=visit,
                                 consent=signed)


MAX_PNG_SIDE = 4000  # pixels: a tablet's pad at three times its density is well inside


def png_of(value: object) -> Optional[bytes]:
    """The PNG bytes of a pad's value, or None when it is not a drawn signature of a sensible size."""
    if not isinstance(value, str) or not value.startswith(PNG_PREFIX) or len(value) > MAX_PNG_BYTES * 4 // 3 + 64:
        return None
    try:
        data = base64.b64decode(value[len(PNG_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        return None
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or len(data) > MAX_PNG_BYTES or data[12:16] != b"IHDR":
        return None
    # Its size as the header says: a pad is a few hundred pixels; a huge one would fill memory when drawn.
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return data if 0 < width <= MAX_PNG_SIDE and 0 < height <= MAX_PNG_SIDE else None


def consent_to_treatment(kept: dict[str, Any], intake, signed_at: datetime, language: str) -> SignedConsent:
    """The consent to treatment as the store keeps it: the words exactly as shown, in the patient's language;
    ``kept`` is what the tablet held (parts read, questions, decision, the drawn signature)."""
    return SignedConsent(
        language=language, wording_version=consent.CONSENT_WORDING_VERSION,
        words=consent.consent_words(intake, signed_at.date(), Words(language, "consent")),
        read=tuple(group.key for group in consent.GROUPS if group.key in kept["read"]),
        questions=(kept["questions"] or "").strip(), decision=kept["decision"], typed_name=intake.consent.signature,
        signature_png=png_of(kept.get("signature")), signed_at=signed_at)


def treatment_consent_problems(kept: dict[str, Any], language: str) -> Problems:
    """What keeps the consent to treatment from being signed: the decision, the parts read, the drawn signature."""
    say, problems = Words(language, "consent"), {}
    if kept.get("decision") not in consent.CHOICES:
        problems["tc-decision"] = say(consent.DECISION_NEEDED)
    elif kept["decision"] != "declined" and set(kept.get("read") or ()) != {group.key for group in consent.GROUPS}:
        problems["tc-read"] = say(consent.READ_NEEDED)
    if png_of(kept.get("signature")) is None:
        problems["tc-signature"] = say(consent.SIGNATURE_NEEDED)
    return problems
