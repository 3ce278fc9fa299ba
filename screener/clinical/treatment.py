"""A treatment session as a clinician records it, and what refuses it: the clinical checks, pure.

A record names the agent, its concentration and form (liquid, or foam with its gas), the total
volume, the areas treated, the lot and its expiry, the reactions seen and notes. It is refused,
with every reason at once, when this session's screening forbids it or the product does:

- the screening decided ``not_eligible`` (an absolute contraindication): no treatment;
- it decided ``clinician_review`` and no clinician has reviewed it yet;
- the session is before the screening, or more than ``FRESH_SCREENING_DAYS`` after it (the course
  is screened again at each visit: pregnancy, medicines and clots change);
- the agent is one the screening excludes, or one the clinic recorded an allergic reaction to,
  unless the clinician records why (``override_reason``);
- foam when the screening excludes foam (same);
- the lot expired before the session;
- the concentration or the volume is outside the agent's range in ``LABEL_LIMITS`` (each with its
  source; where no label exists the limit is the clinic's and says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Literal, Optional, Sequence

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .errors import Problem
from .models import (
    Assessment, Name, PriorReaction, PriorSession, TreatmentAgent, TreatmentForm, _free_text, choices_of,
)

Gas = Literal["air", "co2", "co2_o2"]
TreatedArea = Literal[
    "left_thigh", "left_knee", "left_calf", "left_ankle_foot",
    "right_thigh", "right_knee", "right_calf", "right_ankle_foot",
    "face", "other",
]
FRESH_SCREENING_DAYS = 14


@dataclass(frozen=True)
class Limits:
    """The concentrations (%) and the most volume per session (mL) an agent is given in, and whence."""

    lowest_percent: float
    highest_percent: float
    most_ml_per_session: float
    source: str


# What the labels say (US prescribing information) and, where an agent has no label, the clinic's
# own conservative limit, said as such. Concentrations cover microsclerotherapy's use.
LABEL_LIMITS: dict[str, Limits] = {
    "polidocanol": Limits(0.25, 1.0, 10.0,
                          "Asclera: 0.5 % for spider veins, 1 % for reticular veins, at most 10 mL per session; "
                          "EGS 2014: 0.25-0.5 % for telangiectasias"),
    "sodium_tetradecyl_sulfate": Limits(0.1, 3.0, 10.0,
                                        "Sotradecol: 1 % and 3 %, at most 10 mL per session; "
                                        "EGS 2014: 0.1-0.3 % for telangiectasias"),
    "hypertonic_saline": Limits(11.7, 23.4, 10.0,
                                "no US label for sclerotherapy; 11.7-23.4 % as used in practice; the 10 mL "
                                "ceiling is this clinic's, the labelled agents' session maximum"),
    "glycerin": Limits(50.0, 72.0, 10.0,
                       "no US label; 50-72 % (chromated glycerin) as used in Europe; the 10 mL ceiling is "
                       "this clinic's, the labelled agents' session maximum"),
}
AGENT_WORDS = {"polidocanol": "Polidocanol", "sodium_tetradecyl_sulfate": "Sodium tetradecyl sulfate",
               "hypertonic_saline": "Hypertonic saline", "glycerin": "Glycerin"}
Lot = Annotated[str, Field(strict=True, min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ./_-]*$")]


class TreatmentRecord(BaseModel):
    """One session's treatment as entered; its own fields are checked here, the rest by ``treatment_problems``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    session_date: date
    agent: TreatmentAgent
    concentration_percent: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
    form: TreatmentForm
    gas: Optional[Gas] = None
    volume_ml: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)]
    areas: Annotated[choices_of(TreatedArea), Field(min_length=1)]
    lot: Lot
    lot_expires: date
    reactions: choices_of(PriorReaction) = []
    notes: _free_text(1000)
    # Why the clinician uses an agent or foam that the screening excludes; without it, such a record is refused.
    override_reason: _free_text(500)
    recorded_by: Optional[Name] = None

    @model_validator(mode="after")
    def _gas_with_foam_only(self) -> "TreatmentRecord":
        if self.form == "foam" and self.gas is None:
            raise ValueError("Foam is made with a gas: give air, co2 or co2_o2.")
        if self.form == "liquid" and self.gas is not None:
            raise ValueError("A liquid is given without a gas; leave the gas out.")
        return self

    def as_session(self) -> PriorSession:
        """What the rules read of it at later visits."""
        return PriorSession(session_date=self.session_date, agent=self.agent, form=self.form,
                            reactions=tuple(self.reactions))


def _number(value: float) -> str:
    return f"{value:g}"


def treatment_problems(record: TreatmentRecord, screening: Assessment, *, reviewed: bool,
                       history: Sequence[PriorSession] = (), today: Optional[date] = None) -> list[Problem]:
    """Every reason to refuse ``record`` against this session's ``screening`` (and the clinic's record of
    earlier sessions); empty when it may be saved. Problems name the field, in plain words."""
    problems: list[Problem] = []
    overridden = bool((record.override_reason or "").strip())
    agent_words = AGENT_WORDS[record.agent]
    if screening.decision == "not_eligible":
        problems.append(Problem("submission", "This session's screening is not eligible (an absolute "
                                              "contraindication): no treatment can be recorded against it."))
    elif screening.decision == "clinician_review" and not reviewed:
        problems.append(Problem("submission", "This screening needs a clinician's review: mark it reviewed "
                                              "before recording a treatment."))
    if record.session_date < screening.assessed_on:
        problems.append(Problem("session_date", "The session is before its screening; record it against the "
                                                "screening of that day."))
    elif record.session_date > screening.assessed_on + timedelta(days=FRESH_SCREENING_DAYS):
        problems.append(Problem("session_date", f"The screening is more than {FRESH_SCREENING_DAYS} days older "
                                                "than the session; screen the patient again first."))
    if today is not None and record.session_date > today:
        problems.append(Problem("session_date", "The session date is in the future; record a session once given."))
    if record.agent in screening.excluded_agents and not overridden:
        reasons = [flag.rule_id for flag in screening.flags if flag.rule_id in _EXCLUDING_RULES]
        problems.append(Problem("agent", f"{agent_words} is excluded by this patient's screening "
                                         f"({', '.join(reasons) or 'see the flags'}); choose another agent, or "
                                         "record why in the override reason."))
    if not overridden and any(session.agent == record.agent and "allergic" in session.reactions
                              for session in history if session.session_date <= record.session_date):
        problems.append(Problem("agent", f"The clinic recorded an allergic reaction after {agent_words.lower()}; "
                                         "choose another agent, or record why in the override reason."))
    if record.form == "foam" and "foam" in screening.excluded_techniques and not overridden:
        problems.append(Problem("form", "Foam is excluded by this patient's screening; use a liquid, or record "
                                        "why in the override reason."))
    if record.lot_expires < record.session_date:
        problems.append(Problem("lot_expires", f"Lot {record.lot} expired on {record.lot_expires.isoformat()}, "
                                               "before the session: do not use it."))
    limits = LABEL_LIMITS[record.agent]
    if not limits.lowest_percent <= record.concentration_percent <= limits.highest_percent:
        problems.append(Problem("concentration_percent",
                                f"{agent_words} is given at {_number(limits.lowest_percent)} % to "
                                f"{_number(limits.highest_percent)} % ({limits.source}); "
                                f"{_number(record.concentration_percent)} % is outside that."))
    if record.volume_ml > limits.most_ml_per_session:
        problems.append(Problem("volume_ml", f"At most {_number(limits.most_ml_per_session)} mL of "
                                             f"{agent_words.lower()} per session ({limits.source}); "
                                             f"{_number(record.volume_ml)} mL is more."))
    return problems


# The rules whose flags exclude agents, named in a refusal so the clinician sees why.
_EXCLUDING_RULES = ("SCLEROSANT-ALLERGY", "ASTHMA", "NO-AGENT-LEFT")
