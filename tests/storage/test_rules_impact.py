"""The impact of a rule change on stored patients (``python -m screener reassess``), on SQLite
and on a real PostgreSQL server.

- A submission stored with an assessment the current rules would not give (an older rules
  version) is reported with its stored and its new decision, and the flags added and removed.
- A submission the current rules screen the same is not reported.
- A submission whose stored intake no longer validates is reported as such, and the run goes on.
- Nothing stored changes: every row is byte-identical afterwards.
- Every submission is read, in batches, in (submitted_at, id) order, ties included.
- The report file is readable by its owner only; the summary line names no patient.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from factories import AS_OF, healthy_answers, intake_of, with_answer
from pg_server import pg_cluster  # noqa: F401  (session fixture)
from test_storage import backend, db_url  # noqa: F401  (a fresh database on SQLite, then on PostgreSQL)

from screener import assess
from screener.clinical.impact import ImpactSummary, impact_report_csv, impact_rows, impact_summary
from screener.clinical.models import Flag
from screener.storage import Store
from screener.storage.schema import submissions

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 21, 8, 0, tzinfo=timezone.utc)
OLD_VERSION = "2020.01.01-1"


def _intake(name: str, **answers):
    data = with_answer(healthy_answers(), "patient.full_name", name)
    for path, value in answers.items():
        data = with_answer(data, path.replace("__", "."), value)
    return intake_of(data)


def _store_clinic(store: Store) -> dict[str, str]:
    """Four submissions: one screened as today, two stored under older rules that decided
    otherwise, and one whose stored answers no longer validate."""
    ids = {}
    same = _intake("Same Today", lifestyle__smoker=True)
    ids["same"] = store.save_submission(same, assess(same, AS_OF), T0)

    smoker = _intake("Older Eligible", lifestyle__smoker=True)
    then = assess(smoker, AS_OF).model_copy(update={"rules_version": OLD_VERSION, "decision": "eligible", "flags": []})
    ids["added"] = store.save_submission(smoker, then, T0 + timedelta(minutes=1))

    plain = _intake("Older Review")
    retired = Flag(rule_id="RETIRED-RULE", severity="relative", title="Retired", reason="Once.", action="None.",
                   source="old", evidence=("lifestyle.smoker",))
    then = assess(plain, AS_OF).model_copy(update={"rules_version": OLD_VERSION, "decision": "clinician_review",
                                                   "flags": [retired]})
    ids["removed"] = store.save_submission(plain, then, T0 + timedelta(minutes=2))

    broken = _intake("No Longer Valid")
    invalid = broken.model_copy(update={"skin": broken.skin.model_copy(update={"fitzpatrick_type": 9})})
    ids["invalid"] = store.save_submission(invalid, assess(broken, AS_OF), T0 + timedelta(minutes=3))
    return ids


def _all_rows(url: str) -> list[tuple]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.select(submissions).order_by(submissions.c.id))]
    finally:
        engine.dispose()


def test_reassess_reports_exactly_the_submissions_the_current_rules_screen_differently(db_url):
    with Store(db_url) as store:
        ids = _store_clinic(store)
        before = _all_rows(db_url)
        summary = ImpactSummary()
        rows = {row.submission_id: row for row in impact_rows(store.iter_submissions(batch=3), summary)}
    assert set(rows) == {ids["added"], ids["removed"], ids["invalid"]}

    added = rows[ids["added"]]
    assert (added.patient_name, added.stored_decision, added.stored_rules_version, added.new_decision) == (
        "Older Eligible", "eligible", OLD_VERSION, "eligible_with_precautions")
    assert (added.flags_added, added.flags_removed) == (("SMOKER",), ())

    removed = rows[ids["removed"]]
    assert (removed.stored_decision, removed.new_decision) == ("clinician_review", "eligible")
    assert (removed.flags_added, removed.flags_removed) == ((), ("RETIRED-RULE",))

    invalid = rows[ids["invalid"]]
    assert invalid.new_decision is None and invalid.patient_name == "No Longer Valid"
    assert invalid.problem.startswith("The stored intake is no longer valid: skin.fitzpatrick_type: Must be at most 6")

    assert (summary.read, summary.changed, summary.invalid) == (4, 2, 1)
    assert dict(summary.moves) == {("eligible", "eligible_with_precautions"): 1, ("clinician_review", "eligible"): 1}
    assert _all_rows(db_url) == before


def test_every_submission_is_read_once_in_batches_whatever_ties_in_time(db_url):
    with Store(db_url) as store:
        saved = [store.save_submission(_intake(f"Patient {n}"), assess(_intake(f"Patient {n}"), AS_OF),
                                       T0 + timedelta(minutes=n // 3)) for n in range(7)]
        read = [stored.id for stored in store.iter_submissions(batch=2)]
        later = [stored.id for stored in store.iter_submissions(since=T0 + timedelta(minutes=1), batch=2)]
        counted = store.count_submitted_since(T0 + timedelta(minutes=1))
    assert sorted(read) == sorted(saved) and len(read) == 7
    assert sorted(later) == sorted(saved[3:]) and counted == 4


def test_the_staff_area_gets_a_count_and_the_same_report_as_csv(tmp_path):
    with Store(Store.default_url(tmp_path / "data")) as store:
        ids = _store_clinic(store)
        summary = impact_summary(store)
        report = impact_report_csv(store)
    assert summary.differing == 3
    rows = list(csv.DictReader(io.StringIO(report.decode("utf-8"))))
    assert [row["submission_id"] for row in rows] == [ids["added"], ids["removed"], ids["invalid"]]
    assert rows[0]["flags_added"] == "SMOKER" and rows[0]["submitted_at"] == "2026-11-21T08:01:00+00:00"


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_quoted_in_the_csv(tmp_path):
    with Store(Store.default_url(tmp_path / "data")) as store:
        intake = _intake('=HYPERLINK("http://x","y")', lifestyle__smoker=True)
        store.save_submission(intake, assess(intake, AS_OF).model_copy(update={"rules_version": OLD_VERSION,
                                                                               "flags": []}), T0)
        [row] = list(csv.DictReader(io.StringIO(impact_report_csv(store).decode("utf-8"))))
    assert row["patient_name"] == '\'=HYPERLINK("http://x","y")'


def _reassess_cli(data_dir: Path, *options: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SCREENER_")}
    environment["SCREENER_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "screener", "reassess", *options], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, env=environment, timeout=120)


def test_the_cli_writes_a_private_report_and_a_summary_without_patient_data(tmp_path):
    with Store(Store.default_url(tmp_path / "data")) as store:
        ids = _store_clinic(store)
    out = tmp_path / "impact.csv"
    run = _reassess_cli(tmp_path / "data", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [row["submission_id"] for row in rows] == [ids["added"], ids["removed"], ids["invalid"]]
    assert rows[2]["new_decision"] == "" and rows[2]["problem"]
    assert run.stderr == ("Read 4: 2 would now be screened differently (clinician_review -> eligible: 1; "
                          "eligible -> eligible_with_precautions: 1); 1 cannot be assessed.\n")
    assert run.stdout == "" and not list(tmp_path.glob(".impact.csv.*"))


def test_the_cli_gives_json_on_standard_output_from_a_date_on(tmp_path):
    with Store(Store.default_url(tmp_path / "data")) as store:
        ids = _store_clinic(store)
    run = _reassess_cli(tmp_path / "data", "--format", "json", "--since", "2026-11-21")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert [row["submission_id"] for row in report["submissions"]] == [ids["added"], ids["removed"], ids["invalid"]]
    assert report["summary"]["read"] == 4 and report["submissions"][0]["flags_added"] == ["SMOKER"]
    later = json.loads(_reassess_cli(tmp_path / "data", "--format", "json", "--since", "2026-11-23").stdout)
    assert later["submissions"] == [] and later["summary"]["read"] == 0


@pytest.mark.parametrize(("options", "message"), [
    (("--since", "21/11/2026"), "--since: Enter a date as YYYY-MM-DD"),
    (("--format", "xlsx"), "--format"),
])
def test_the_cli_refuses_bad_options_as_bad_input(tmp_path, options, message):
    Store(Store.default_url(tmp_path / "data")).dispose()
    run = _reassess_cli(tmp_path / "data", *options)
    assert run.returncode == 2 and message in run.stderr and "Traceback" not in run.stderr


def test_the_cli_without_a_database_says_so_and_creates_none(tmp_path):
    run = _reassess_cli(tmp_path / "nothing")
    assert run.returncode == 2 and run.stderr.startswith("SCREENER_DATA_DIR: No database in")
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "nothing").exists()
