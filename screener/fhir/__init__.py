"""HL7 FHIR R4 for the clinic's record system: the intake as a Questionnaire, a submission as a
Bundle (Patient, QuestionnaireResponse, Consent, RiskAssessment, DetectedIssue), and answers
collected by any SDC form filler read back as an intake.

Resources are plain JSON-ready dicts; nothing here needs a FHIR library at run time (the
tests validate every resource with ``fhir.resources``).
"""

from .form import BASE, QUESTIONNAIRE_URL, questionnaire, version
from .resources import bundle, bundle_json, submission_bundle_json
from .response import read_response

__all__ = ["BASE", "QUESTIONNAIRE_URL", "bundle", "bundle_json", "questionnaire", "read_response", "submission_bundle_json",
           "version"]
