"""The one service: its discovery entry, reading a call of the ``appointment-book`` hook, and the answer.

The patient's answers come as ``prefetch.intake``: a QuestionnaireResponse to the screener's
Questionnaire, or a Bundle holding one (what the discovery entry's prefetch template finds), read
exactly as ``python -m screener from-fhir`` reads a file. A call that is not a CDS Hooks call of
this hook is refused (:class:`BadRequest`); answers that cannot be screened are one warning card.
The assessment date is the clinic's today (docs/cds-hooks.md says why not the appointment's).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from ..clinical.engine import assess
from ..clinical.errors import InvalidIntake, Problem, ScreenerError
from ..clinical.intake import decode_text, repeated_keys
from ..fhir.form import QUESTIONNAIRE_URL
from ..fhir.response import MAX_INPUT_BYTES, REPEATED_KEY, read_resource
from .cards import assessed_on, cards, no_answers_card, problems_card

SERVICE_ID = "microsclerotherapy-screen"
HOOK = "appointment-book"
PREFETCH_KEY = "intake"
MAX_BODY_BYTES = MAX_INPUT_BYTES  # as from-fhir: the answers and the call around them
MAX_ID_LENGTH = 256
# The latest completed answers of this patient to the screener's questionnaire (any version: one
# the screener does not read is named in a warning card, which is more use than no card).
PREFETCH_TEMPLATE = (f"QuestionnaireResponse?subject={{{{context.patientId}}}}&questionnaire={QUESTIONNAIRE_URL}"
                     "&status=completed&_sort=-authored&_count=1")

SERVICE = {
    "hook": HOOK,
    "id": SERVICE_ID,
    "title": "Microsclerotherapy eligibility screening",
    "description": ("When a microsclerotherapy appointment is booked: is this patient, with these intake answers, a "
                    "candidate, and what must the clinician know? The decision, same-day triage, and one card per "
                    "flag with its reason, action and source."),
    "prefetch": {PREFETCH_KEY: PREFETCH_TEMPLATE},
    "usageRequirements": ("Needs the patient's completed answers to the screener's Questionnaire "
                          f"({QUESTIONNAIRE_URL}) as prefetch \"{PREFETCH_KEY}\"; the service fetches nothing "
                          "itself. Each call is signed (RS384 or ES384 JWT) by a caller the clinic configured."),
}


class BadRequest(ScreenerError):
    """A call this service cannot answer: ``status`` (400, or 412 without the prefetched answers) and ``problems``."""

    def __init__(self, status: int, problems: list[str]):
        self.status, self.problems = status, problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class HookCall:
    hook_instance: str
    patient_id: str
    user_id: str
    intake: Any  # the prefetched resource; None when the caller has no answers for this patient
    problems: list[Problem] = field(default_factory=list)  # found while reading it (keys given twice)


def discovery() -> dict:
    """The answer to ``GET /cds-services``."""
    return {"services": [SERVICE]}


def read_call(body: bytes) -> HookCall:
    """The call in a request body (at most :data:`MAX_BODY_BYTES`, checked by the caller); BadRequest if it is not one."""
    text = _text(body)
    call, any_repeated = _json_object(text)
    prefix = f"prefetch.{PREFETCH_KEY}."
    repeated = repeated_keys(text) if any_repeated else []
    problems = [f"{path}: {REPEATED_KEY}" for path in repeated if not path.startswith(prefix)]
    hook = call.get("hook")
    if hook != HOOK:
        problems.append(f"hook: this service answers the {HOOK} hook, not {json.dumps(hook)}.")
    context = call.get("context")
    if not isinstance(context, dict):
        problems.append("context: required, a JSON object with userId and patientId.")
        context = {}
    hook_instance, patient_id, user_id = (
        _identifier(value, where, problems) for value, where in (
            (call.get("hookInstance"), "hookInstance"), (context.get("patientId"), "context.patientId"),
            (context.get("userId"), "context.userId")))
    prefetch = call.get("prefetch")
    if problems:
        raise BadRequest(400, problems)
    if not isinstance(prefetch, dict) or PREFETCH_KEY not in prefetch:
        raise BadRequest(412, [f"prefetch.{PREFETCH_KEY}: missing. This service fetches nothing itself: send the "
                               "patient's completed QuestionnaireResponse as its discovery entry's prefetch asks, or "
                               "null when there is none."])
    in_intake = [Problem(path.removeprefix(prefix), REPEATED_KEY) for path in repeated if path.startswith(prefix)]
    return HookCall(hook_instance, patient_id, user_id, prefetch[PREFETCH_KEY], in_intake)


def answer(call: HookCall, today: date) -> tuple[list[dict], str]:
    """The cards for a call, assessed on ``today``, and the outcome for the audit trail (no answers in it)."""
    if call.intake is None:
        return [no_answers_card()], "no answers on record"
    other_patient = _other_patient(call.intake, call.patient_id)
    problems = [other_patient] if other_patient else call.problems  # another patient's answers are not read
    if not problems:
        try:
            intake = read_resource(call.intake, today)
        except InvalidIntake as invalid:
            problems = invalid.problems
    if problems:
        return [problems_card(problems)], f"answers not screened ({len(problems)} problems)"
    assessment = assess(intake, today)
    words = assessed_on(today, intake.consent.signed_at.isoformat(timespec="minutes"))
    urgent = ", urgent" if assessment.urgent else ""
    return cards(assessment, words), f"decision {assessment.decision}{urgent}"


def _text(body: bytes) -> str:
    try:
        return decode_text(body)
    except InvalidIntake:
        raise BadRequest(400, ["The request body is not UTF-8 text."]) from None


def _json_object(text: str) -> tuple[dict, bool]:
    """The call, and whether any object in it gives a key twice (where, only then worth finding)."""
    repeats = []

    def remembering_repeats(pairs: list[tuple[str, Any]]) -> dict:
        parsed = dict(pairs)
        if len(parsed) != len(pairs):
            repeats.append(parsed)
        return parsed

    try:
        call = json.loads(text, object_pairs_hook=remembering_repeats, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise BadRequest(400, [f"The request body is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}."]) from None
    except (RecursionError, ValueError):
        raise BadRequest(400, ["The request body is not JSON this service reads (nested too deeply, or NaN)."]) from None
    if not isinstance(call, dict):
        raise BadRequest(400, ["The request body must be a JSON object: a CDS Hooks call."])
    return call, bool(repeats)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _identifier(value: Any, where: str, problems: list[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: required, a non-empty string.")
        return ""
    if len(value) > MAX_ID_LENGTH or any(ord(character) < 32 for character in value):
        problems.append(f"{where}: at most {MAX_ID_LENGTH} characters, on one line.")
    return value


def _other_patient(resource: Any, patient_id: str) -> Optional[Problem]:
    """A problem when the answers name another patient as their subject than the one being booked."""
    responses = [resource]
    if isinstance(resource, dict) and resource.get("resourceType") == "Bundle":
        responses = [entry.get("resource") for entry in resource.get("entry") or [] if isinstance(entry, dict)]
    for response in responses:
        if not isinstance(response, dict) or response.get("resourceType") != "QuestionnaireResponse":
            continue
        subject = response.get("subject")
        named = _patient_id(subject.get("reference")) if isinstance(subject, dict) else None
        if named is not None and named != patient_id:
            return Problem("subject", f"These answers are of Patient/{named}, and the booking is for Patient/"
                                      f"{patient_id}: the wrong patient's answers were sent.")
    return None


def _patient_id(reference: Any) -> Optional[str]:
    """The id in a literal reference to a Patient (``Patient/123``, absolute or versioned); None for any other."""
    if not isinstance(reference, str):
        return None
    parts = reference.split("/")
    if "_history" in parts:
        parts = parts[:parts.index("_history")]
    return parts[-1] if len(parts) >= 2 and parts[-2] == "Patient" and parts[-1] else None
