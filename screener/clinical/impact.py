"""The impact of a rule change: every stored submission under the current rules, and those
that would now be screened differently.

Each stored intake is assessed under the current rules on its original assessment date
(the stored ``assessed_on``), so only the rules differ, and compared with the stored
assessment (screener.clinical.reassess.compare). Nothing stored is ever changed. Submissions are
read in batches (``Store.iter_submissions``) and reported one by one as they are found,
so memory stays flat however many there are. A stored record that can no longer be
assessed is reported as such, never skipped.

For the staff area: ``impact_summary(store)`` counts, ``impact_report_csv(store)`` is the
report to download. Both read every submission: run them on request, not on every rerun.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any, Iterable, Iterator, Optional, Protocol

from pydantic import ValidationError

from .engine import assess
from .errors import InvalidIntake, problems_from
from .reassess import compare
from .stored import stored_assessment, stored_intake


class StoredSubmission(Protocol):
    """What reassessment reads of a stored submission (``screener.storage.records.StoredSubmission``:
    the clinical core names the storage layer only by the shape it reads)."""

    id: str
    submitted_at: datetime
    patient_name: str
    date_of_birth: date
    decision: str
    rules_version: str
    intake_json: str
    assessment_json: str


class Store(Protocol):
    """Where stored submissions are read from (``screener.storage.Store``)."""

    def iter_submissions(self, since: Optional[datetime] = None) -> Iterable[StoredSubmission]: ...


CSV_COLUMNS = (
    "submission_id", "submitted_at", "patient_name", "date_of_birth", "stored_decision", "stored_rules_version",
    "new_decision", "flags_added", "flags_removed", "flags_changed", "exclusions_added", "exclusions_removed",
    "problem", "new_questions_not_asked",
)
# A spreadsheet runs a cell that starts with one of these as a formula; names are typed by patients.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ImpactRow:
    """One stored submission the current rules would screen differently, or cannot assess."""

    submission_id: str
    submitted_at: datetime
    patient_name: str
    date_of_birth: date
    stored_decision: str
    stored_rules_version: str
    new_decision: Optional[str] = None  # None when it cannot be assessed
    flags_added: tuple[str, ...] = ()
    flags_removed: tuple[str, ...] = ()
    flags_changed: tuple[str, ...] = ()
    exclusions_added: tuple[str, ...] = ()
    exclusions_removed: tuple[str, ...] = ()
    problem: str = ""  # why it cannot be assessed
    # The answers added to the intake since it was signed: assessed as not asked, never guessed.
    new_questions_not_asked: tuple[str, ...] = ()

    @property
    def differs(self) -> bool:
        """Whether the current rules screen it differently (a row may be listed only for questions not asked)."""
        return self.new_decision is not None and (
            self.new_decision != self.stored_decision or any((self.flags_added, self.flags_removed, self.flags_changed,
                                                              self.exclusions_added, self.exclusions_removed)))

    def as_data(self) -> dict[str, Any]:
        """JSON-ready, with lists as lists and times as ISO 8601."""
        return {
            "submission_id": self.submission_id, "submitted_at": self.submitted_at.isoformat(),
            "patient_name": self.patient_name, "date_of_birth": self.date_of_birth.isoformat(),
            "stored_decision": self.stored_decision, "stored_rules_version": self.stored_rules_version,
            "new_decision": self.new_decision, "flags_added": list(self.flags_added),
            "flags_removed": list(self.flags_removed), "flags_changed": list(self.flags_changed),
            "exclusions_added": list(self.exclusions_added), "exclusions_removed": list(self.exclusions_removed),
            "problem": self.problem, "new_questions_not_asked": list(self.new_questions_not_asked),
        }


@dataclass
class ImpactSummary:
    """How many submissions were read, how many would now differ, and how their decisions move."""

    read: int = 0
    changed: int = 0
    invalid: int = 0
    not_asked: int = 0  # signed before questions were added to the intake (SCREENING.md version 2)
    moves: Counter = field(default_factory=Counter)  # (stored decision, new decision) -> count

    @property
    def differing(self) -> int:
        """Submissions a clinician should look at again: changed, or no longer assessable."""
        return self.changed + self.invalid

    def as_data(self) -> dict[str, Any]:
        return {"read": self.read, "changed": self.changed, "cannot_be_assessed": self.invalid,
                "new_questions_not_asked": self.not_asked,
                "decisions_moved": [{"from": before, "to": after, "count": count}
                                    for (before, after), count in sorted(self.moves.items())]}

    def line(self) -> str:
        """One line without patient data, such as ``Read 120: 3 would now be screened differently
        (eligible -> clinician_review: 2; flags only: 1); 1 cannot be assessed.``, and when some were
        signed before questions were added, how many (``40 were not asked the new questions``)."""
        moves = "; ".join(f"{before} -> {after}: {count}" if before != after else f"flags only: {count}"
                          for (before, after), count in sorted(self.moves.items()))
        changed = f"{self.changed} would now be screened differently" + (f" ({moves})" if moves else "")
        not_asked = f"; {self.not_asked} were not asked the new questions" if self.not_asked else ""
        return f"Read {self.read}: {changed}{not_asked}; {self.invalid} cannot be assessed."


def _stored_row(stored: StoredSubmission, **outcome: Any) -> ImpactRow:
    return ImpactRow(stored.id, stored.submitted_at, stored.patient_name, stored.date_of_birth, stored.decision,
                     stored.rules_version, **outcome)


def _problem(exc: ValidationError, what: str) -> str:
    return f"The stored {what} is no longer valid: " + "; ".join(map(str, problems_from(exc)))


def reassess_stored(stored: StoredSubmission) -> Optional[ImpactRow]:
    """The row for one stored submission, or None when the current rules screen it the same."""
    try:
        before = stored_assessment(stored.assessment_json)
    except ValidationError as exc:
        return _stored_row(stored, problem=_problem(exc, "assessment"))
    try:
        intake = stored_intake(stored.intake_json, before.assessed_on)
        now = assess(intake, as_of=before.assessed_on)
    except ValidationError as exc:
        return _stored_row(stored, problem=_problem(exc, "intake"))
    except InvalidIntake as exc:
        return _stored_row(stored, problem=f"The stored intake cannot be assessed on its date: {exc}")
    change = compare(before, now)
    not_asked = intake.not_asked()
    if not change.differs and not not_asked:
        return None
    return _stored_row(
        stored,
        new_questions_not_asked=not_asked,
        new_decision=now.decision,
        flags_added=tuple(flag.rule_id for flag in change.added),
        flags_removed=tuple(flag.rule_id for flag in change.removed),
        flags_changed=tuple(item.current.rule_id for item in change.changed),
        exclusions_added=change.agents_added + change.techniques_added,
        exclusions_removed=change.agents_removed + change.techniques_removed,
    )


def impact_rows(submissions: Iterable[StoredSubmission], summary: ImpactSummary) -> Iterator[ImpactRow]:
    """The row of every submission that would now differ, counting each one read into ``summary``."""
    for stored in submissions:
        summary.read += 1
        row = reassess_stored(stored)
        if row is None:
            continue
        if row.new_decision is None:
            summary.invalid += 1
            yield row
            continue
        if row.new_questions_not_asked:
            summary.not_asked += 1
        if row.differs:
            summary.changed += 1
            summary.moves[(row.stored_decision, row.new_decision)] += 1
        yield row


def spreadsheet_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: lists space-separated, dates ISO, and a leading ``'`` on
    anything a spreadsheet would run as a formula."""
    if isinstance(value, tuple):
        value = " ".join(value)
    text = value.isoformat() if isinstance(value, (date, datetime)) else "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def csv_writer(out: IO[str]):
    """A CSV writer on ``out``, the header written; write each row as ``csv_cells(row)``."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    return writer


def csv_cells(row: ImpactRow) -> list[str]:
    """A row's CSV cells: lists space-separated, and any cell a spreadsheet would run as a
    formula quoted with a leading apostrophe (``'=...``)."""
    return [spreadsheet_cell(getattr(row, column)) for column in CSV_COLUMNS]


def impact_summary(store: Store, since: Optional[datetime] = None) -> ImpactSummary:
    """For the staff queue: how many stored submissions the current rules would screen differently."""
    summary = ImpactSummary()
    for _ in impact_rows(store.iter_submissions(since), summary):
        pass
    return summary


def impact_report_csv(store: Store, since: Optional[datetime] = None) -> bytes:
    """For the staff area's download: the same report as ``python -m screener reassess``, as UTF-8 CSV."""
    out = io.StringIO()
    writer = csv_writer(out)
    for row in impact_rows(store.iter_submissions(since), ImpactSummary()):
        writer.writerow(csv_cells(row))
    return out.getvalue().encode("utf-8")
