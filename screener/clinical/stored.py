"""Intakes and assessments read back from storage, exactly as they were signed and decided.

A record stored under an earlier version of SCREENING.md is never refused and never completed
by a guess: answers added since read as not asked (``Intake.not_asked``), and an assessment
made before ``urgent`` existed gets it from the flags it stored, by the rules' own declaration.
"""

from __future__ import annotations

import json
from datetime import date

from pydantic import ValidationError

from .models import STORED, Assessment, Intake
from .rules import URGENT_RULE_IDS


def stored_intake(text: str | bytes, as_of: date) -> Intake:
    """A stored intake, validated against its assessment date ``as_of``; pydantic's
    ValidationError when it no longer validates."""
    return Intake.model_validate_json(text, context={"as_of": as_of, STORED: True})


def stored_assessment(text: str | bytes) -> Assessment:
    """A stored assessment; one stored before version 2 is urgent exactly when one of its flags is
    a same-day rule's (SCREENING.md section 3). ValidationError when it no longer validates."""
    try:
        return Assessment.model_validate_json(text)
    except ValidationError as exc:
        if [error["loc"] for error in exc.errors()] != [("urgent",)]:
            raise
    data = json.loads(text)
    rule_ids = {flag.get("rule_id") for flag in data["flags"] if isinstance(flag, dict)}
    return Assessment.model_validate({**data, "urgent": bool(rule_ids & URGENT_RULE_IDS)})
