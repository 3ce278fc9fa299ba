"""Patient intake and eligibility screening for microsclerotherapy of spider veins.

``Intake`` validates answers, ``assess`` applies the rule set, ``render_pdf`` writes the
clinician summary. Importing this package loads neither Streamlit nor reportlab.
"""

from .engine import assess
from .errors import InvalidIntake, Problem, ScreenerError
from .intake import parse_intake
from .models import Assessment, Flag, Intake
from .rules import RULES_VERSION

__all__ = [
    "Assessment",
    "Flag",
    "Intake",
    "InvalidIntake",
    "Problem",
    "RULES_VERSION",
    "ScreenerError",
    "assess",
    "parse_intake",
    "render_pdf",
]


def render_pdf(intake: Intake, assessment: Assessment) -> bytes:
    """The clinician summary PDF; reportlab is loaded on first use only."""
    from .pdf import render_pdf as render

    return render(intake, assessment)
