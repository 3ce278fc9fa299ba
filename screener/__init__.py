"""Patient intake and eligibility screening for microsclerotherapy of spider veins.

``Intake`` validates answers, ``assess`` applies the rule set, ``render_pdf`` writes the
clinician summary and ``render_handout`` the patient's take-home sheet. Importing this
package loads neither Streamlit nor reportlab.
"""

from .clinical.engine import assess
from .clinical.errors import InvalidIntake, Problem, ScreenerError
from .clinical.intake import parse_intake
from .clinical.models import Assessment, Flag, Intake, PriorSession
from .clinical.rules import RULES_VERSION
from .config import DEFAULT_EMERGENCY_NUMBER

__all__ = [
    "Assessment",
    "Flag",
    "Intake",
    "PriorSession",
    "InvalidIntake",
    "Problem",
    "RULES_VERSION",
    "ScreenerError",
    "assess",
    "parse_intake",
    "render_handout",
    "render_pdf",
]


def render_pdf(intake: Intake, assessment: Assessment, capture=None, course=None) -> bytes:
    """The clinician summary PDF (with ``capture``, a stored submission's ``Capture``: its language,
    consent in two languages and units as entered; with ``course``, a ``screener.documents.course.Course``:
    what changed since the last visit and the previous sessions); reportlab is loaded on first use only."""
    from .documents.summary import render_pdf as render

    return render(intake, assessment, capture, course)


def render_handout(intake: Intake, assessment: Assessment, language: str = "en", *, clinic_phone: str = "",
                   emergency_number: str = DEFAULT_EMERGENCY_NUMBER) -> bytes:
    """The patient's take-home sheet PDF in ``language``, printing the two numbers the clinic sets
    (``screener.config``: clinic_phone "" leaves a line to write it on); reportlab is loaded on first use only."""
    from .documents.handout import render_handout as render

    return render(intake, assessment, language, clinic_phone=clinic_phone, emergency_number=emergency_number)
