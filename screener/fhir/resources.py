"""A submission as a FHIR R4 Bundle of type ``collection``: the patient, the answers, the
consent, and the assessment as a RiskAssessment with one DetectedIssue per flag.

References between entries are ``urn:uuid:`` full URLs, so they resolve inside the
bundle. With a ``key`` (a stored submission's id) the ids are derived from it and the same
submission always gives the same bundle; without one they are random.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import tzinfo
from typing import Optional

from ..clinical.models import Assessment, Flag, Intake
from ..clinical.questionnaire import CONSENT_STATEMENT, DECISION_LABELS, STEPS
from .form import BASE, FIELD_SYSTEM, EXTENSION
from .response import aware, questionnaire_reference, response_items

RULES_SYSTEM = f"{BASE}/CodeSystem/rule"
DECISION_SYSTEM = f"{BASE}/CodeSystem/decision"
RULES_VERSION_SYSTEM = f"{BASE}/CodeSystem/rules-version"
BIRTH_SEX = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex"
CITATION = f"{EXTENSION}/cqf-citation"
# US Core's birth sex: F and M of v3 AdministrativeGender, and v3 NullFlavor's OTH (other)
# and ASKU (asked but declined). Patient.gender (administrative) is left out: sex at birth
# does not give it.
BIRTH_SEX_CODES = {"female": "F", "male": "M", "intersex": "OTH", "prefer_not_to_say": "ASKU"}
SEVERITIES = {"absolute": "high", "relative": "moderate", "precaution": "low"}
_NAMESPACE = uuid.UUID("6f1c3d52-1b1e-4c55-9a43-4f0a9c2e8d17")


def bundle(intake: Intake, assessment: Assessment, *, zone: Optional[tzinfo] = None, key: Optional[str] = None,
           consent_statement: str = CONSENT_STATEMENT, language: str = "en") -> dict:
    """The submission as a Bundle (JSON-ready). ``zone`` is the clinic's, for a signing time
    given without an offset; ``consent_statement`` the words signed, in ``language``."""
    def url(kind: str) -> str:
        made = uuid.uuid5(_NAMESPACE, f"{key}/{kind}") if key is not None else uuid.uuid4()
        return f"urn:uuid:{made}"

    patient, response, consent, risk = url("Patient"), url("QuestionnaireResponse"), url("Consent"), url("RiskAssessment")
    issues = [url(f"DetectedIssue/{flag.rule_id}") for flag in assessment.flags]
    signed_at = aware(intake.consent.signed_at, zone).isoformat()
    texts = {f"{step.section}.{question.name}": question.text for step in STEPS for question in step.questions}
    resources = [
        (patient, _patient(intake)),
        (response, {"resourceType": "QuestionnaireResponse", "questionnaire": questionnaire_reference(),
                    "status": "completed", "subject": {"reference": patient}, "authored": signed_at,
                    "author": {"reference": patient}, "source": {"reference": patient},
                    "item": response_items(intake, zone)}),
        (consent, _consent(intake, patient, signed_at, consent_statement, language)),
        (risk, _risk_assessment(assessment, patient, [response, *issues])),
        *[(issue, _detected_issue(flag, assessment, patient, response, texts))
          for issue, flag in zip(issues, assessment.flags)],
    ]
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"fullUrl": full_url, "resource": resource} for full_url, resource in resources]}


def bundle_json(intake: Intake, assessment: Assessment, **options) -> bytes:
    """:func:`bundle` as UTF-8 JSON bytes, for a download beside the PDF."""
    return json.dumps(bundle(intake, assessment, **options), ensure_ascii=False, indent=2).encode("utf-8")


def submission_bundle_json(submission, *, zone: Optional[tzinfo] = None) -> bytes:
    """The Bundle of a stored submission (``screener.storage.Submission``) as JSON bytes: its
    intake and assessment as saved, the consent in the words and language the patient
    signed, and ids derived from the submission's, so each download is the same."""
    capture = submission.capture
    return bundle_json(submission.intake, submission.assessment, zone=zone, key=submission.id,
                       consent_statement=capture.consent_statement or CONSENT_STATEMENT, language=capture.language)


def _patient(intake: Intake) -> dict:
    return {
        "resourceType": "Patient",
        "extension": [{"url": BIRTH_SEX, "valueCode": BIRTH_SEX_CODES[intake.patient.sex_at_birth]}],
        "name": [{"text": intake.patient.full_name}],
        "birthDate": intake.patient.date_of_birth.isoformat(),
    }


def _consent(intake: Intake, patient: str, signed_at: str, statement: str, language: str) -> dict:
    return {
        "resourceType": "Consent",
        "status": "active",
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "treatment"}]},
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
        "patient": {"reference": patient},
        "dateTime": signed_at,
        # The typed signature: who agreed (a guardian may sign for a minor).
        "performer": [{"display": intake.consent.signature}],
        "sourceAttachment": {"contentType": "text/plain; charset=utf-8", "language": language,
                             "data": base64.b64encode(statement.encode("utf-8")).decode("ascii"),
                             "title": "The statement signed"},
        "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}]},
    }


def _risk_assessment(assessment: Assessment, patient: str, basis: list[str]) -> dict:
    excluded = [*assessment.excluded_agents, *assessment.excluded_techniques]
    resource = {
        "resourceType": "RiskAssessment",
        "status": "final",
        "subject": {"reference": patient},
        "occurrenceDateTime": assessment.assessed_on.isoformat(),
        "method": {"coding": [{"system": RULES_VERSION_SYSTEM, "code": assessment.rules_version}],
                   "text": f"Microsclerotherapy screening rules {assessment.rules_version}"},
        "basis": [{"reference": reference} for reference in basis],
        "prediction": [{"outcome": {"coding": [{"system": DECISION_SYSTEM, "code": assessment.decision,
                                                "display": DECISION_LABELS[assessment.decision]}]}}],
    }
    if excluded:
        resource["mitigation"] = "Excluded: " + ", ".join(excluded)
    return resource


def _detected_issue(flag: Flag, assessment: Assessment, patient: str, response: str, texts: dict[str, str]) -> dict:
    """One flag; ``texts`` are the questions by dotted path, to name the evidence in the patient's words."""
    return {
        "resourceType": "DetectedIssue",
        "extension": [{"url": CITATION, "valueString": flag.source}],
        "status": "final",
        "code": {"coding": [{"system": RULES_SYSTEM, "code": flag.rule_id, "display": flag.title}]},
        "severity": SEVERITIES[flag.severity],
        "patient": {"reference": patient},
        "identifiedDateTime": assessment.assessed_on.isoformat(),
        "detail": flag.reason,
        "evidence": [{"code": [{"coding": [{"system": FIELD_SYSTEM, "code": path}], "text": texts.get(path, path)}],
                      "detail": [{"reference": response}]} for path in flag.evidence],
        "mitigation": [{"action": {"text": flag.action}}],
    }
