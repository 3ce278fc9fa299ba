"""Submissions stored under version 1 of SCREENING.md, in a database made by the schema before version 2,
on SQLite and on PostgreSQL.

- The database upgrades and loses nothing: every stored intake and assessment is byte-identical.
- A stored version-1 intake reads with the two new questions not asked, never a guessed answer; a
  version-1 assessment is urgent exactly when one of its stored flags is a same-day rule's, and the
  queue lists that submission first.
- ``reassess`` assesses such an intake with the new questions unanswered, counts it in its own count
  and column ("new questions not asked"), and never reports it as invalid.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from factories import AS_OF, healthy_answers, intake_of, with_answer
from pg_server import pg_cluster  # noqa: F401  (session fixture)
from test_storage import backend, db_url  # noqa: F401  (a fresh database on SQLite, then on PostgreSQL)

from screener import assess
from screener.clinical.impact import ImpactSummary, impact_rows
from screener.storage import Store
from screener.storage.database import make_engine
from screener.storage.schema import MIGRATIONS, migrate

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 21, 8, 0, tzinfo=timezone.utc)
VERSION_1 = "2026.12.02-1"
SCHEMA_BEFORE_VERSION_2 = 4
NOT_ASKED = ("veins.bulging", "clotting.reduced_mobility")


def version_1_intake(**changes) -> dict:
    """Intake data as the wizard signed it under version 1: without the two questions version 2 added."""
    answers = healthy_answers()
    for path, value in changes.items():
        answers = with_answer(answers, path, value)
    del answers["veins"]["bulging"], answers["clotting"]["reduced_mobility"]
    return answers


def version_1_assessment(answers: dict, flags: list[dict], decision: str, **more) -> dict:
    """An assessment as version 1 stored it: no ``urgent`` key."""
    complete = copy.deepcopy(answers)
    complete["veins"]["bulging"], complete["clotting"]["reduced_mobility"] = "no", False
    data = assess(intake_of(complete), AS_OF).model_dump(mode="json")
    del data["urgent"]
    return {**data, "rules_version": VERSION_1, "decision": decision, "flags": flags, "excluded_agents": [],
            "excluded_techniques": [], **more}


def flag(rule_id: str, severity: str, evidence: list[str]) -> dict:
    return {"rule_id": rule_id, "severity": severity, "title": rule_id.title(), "reason": "As stored then.",
            "action": "As stored then.", "source": "As stored then.", "evidence": evidence}


def version_1_clinic() -> dict[str, tuple[dict, dict]]:
    """Three submissions of version 1: healthy, an acute clot, a known shunt (a precaution then)."""
    healthy = version_1_intake(**{"patient.full_name": "Vera Version-One"})
    clot = version_1_intake(**{"patient.full_name": "Clot Now", "clotting.vte_history": "current"})
    shunt = version_1_intake(**{"patient.full_name": "Shunt Known", "neurology.right_to_left_shunt": "asymptomatic"})
    return {
        "healthy": (healthy, version_1_assessment(healthy, [], "eligible")),
        "clot": (clot, version_1_assessment(clot, [flag("ACUTE-VTE", "absolute", ["clotting.vte_history"])],
                                            "not_eligible")),
        "shunt": (shunt, version_1_assessment(
            shunt, [flag("ASYMPTOMATIC-SHUNT", "precaution", ["neurology.right_to_left_shunt"])],
            "eligible_with_precautions")),
    }


def store_before_version_2(url: str) -> dict[str, tuple[str, str]]:
    """A database of the schema before version 2 holding the version-1 clinic: id -> (intake, assessment) JSON."""
    engine = make_engine(url)
    assert migrate(engine, MIGRATIONS[:SCHEMA_BEFORE_VERSION_2]) == SCHEMA_BEFORE_VERSION_2
    stored = {}
    with engine.begin() as conn:
        for minutes, (name, (intake, assessment)) in enumerate(version_1_clinic().items()):
            intake_json, assessment_json = json.dumps(intake, ensure_ascii=False), json.dumps(assessment)
            conn.execute(sa.text(
                "INSERT INTO submissions (id, submitted_at, patient_name, name_key, date_of_birth, decision, "
                "rules_version, intake_json, assessment_json, capture_json) VALUES (:id, :at, :name, :key, :birth, "
                ":decision, :version, :intake, :assessment, NULL)"),
                {"id": name, "at": (T0 + timedelta(minutes=minutes)).replace(tzinfo=None), "name": intake["patient"]["full_name"],
                 "key": intake["patient"]["full_name"].casefold(), "birth": intake["patient"]["date_of_birth"],
                 "decision": assessment["decision"], "version": VERSION_1, "intake": intake_json,
                 "assessment": assessment_json})
            stored[name] = (intake_json, assessment_json)
    engine.dispose()
    return stored


def stored_rows(url: str) -> dict[str, tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = {row.id: tuple(row) for row in conn.execute(sa.text("SELECT * FROM submissions"))}
    engine.dispose()
    return rows


def test_the_upgrade_keeps_every_record_as_signed_and_finds_the_urgent_one(db_url):
    before = store_before_version_2(db_url)
    with Store(db_url) as store:
        assert store.schema_version() == len(MIGRATIONS)
        for name, (intake_json, assessment_json) in before.items():
            submission = store.get_submission(name)
            assert submission.intake.not_asked() == NOT_ASKED
            assert submission.intake.veins.bulging is None and submission.intake.clotting.reduced_mobility is None
            assert submission.assessment.rules_version == VERSION_1
        assert store.get_submission("clot").assessment.urgent is True
        assert store.get_submission("shunt").assessment.urgent is False
        assert [summary.id for summary in store.list_submissions()] == ["clot", "shunt", "healthy"]
        assert store.count_urgent_waiting() == 1
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        kept = {row.id: (row.intake_json, row.assessment_json)
                for row in conn.execute(sa.text("SELECT id, intake_json, assessment_json FROM submissions"))}
    engine.dispose()
    assert kept == before, "stored intakes and assessments are byte-identical"


def test_reassess_assesses_version_1_intakes_with_the_new_questions_not_asked(db_url):
    store_before_version_2(db_url)
    with Store(db_url) as store:
        rows_before = stored_rows(db_url)
        summary = ImpactSummary()
        rows = {row.submission_id: row for row in impact_rows(store.iter_submissions(), summary)}
    assert stored_rows(db_url) == rows_before, "reassess changes nothing stored"
    assert (summary.read, summary.not_asked, summary.invalid) == (3, 3, 0)
    assert set(rows) == {"healthy", "clot", "shunt"}, "every version-1 intake is listed, none as invalid"
    assert all(row.new_questions_not_asked == NOT_ASKED and not row.problem for row in rows.values())
    assert not rows["healthy"].differs and rows["healthy"].new_decision == "eligible"
    # Version 2 makes a known shunt a relative contraindication to foam.
    assert rows["shunt"].new_decision == "clinician_review" and rows["shunt"].exclusions_added == ("foam",)
    assert summary.changed == sum(row.differs for row in rows.values())
    assert "3 were not asked the new questions; 0 cannot be assessed." in summary.line()


def test_the_reassess_command_has_a_column_for_the_questions_not_asked(db_url, tmp_path):
    store_before_version_2(db_url)
    environment = {**{k: v for k, v in os.environ.items() if not k.startswith("SCREENER_")},
                   "SCREENER_DATABASE_URL": db_url}
    run = subprocess.run([sys.executable, "-m", "screener", "reassess"], capture_output=True, text=True,
                         encoding="utf-8", cwd=ROOT, env=environment, timeout=120)
    assert run.returncode == 0, run.stderr
    report = list(csv.DictReader(io.StringIO(run.stdout)))
    assert {row["submission_id"]: row["new_questions_not_asked"] for row in report} == {
        name: " ".join(NOT_ASKED) for name in ("healthy", "clot", "shunt")}
    assert all(row["problem"] == "" for row in report)
    assert "were not asked the new questions" in run.stderr and "Vera" not in run.stderr
