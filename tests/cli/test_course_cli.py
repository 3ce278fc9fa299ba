"""``treatment add``, ``treatment list`` and ``recall`` as a subprocess, on the app's SQLite database.

- A session is recorded against its screening and listed by patient or submission.
- Every refusal exits 2 with the field and the reason: an agent the screening excludes, foam when
  foam is excluded, an expired lot, a volume out of the label's range, an unknown submission or
  clinician; the same agent goes through with an override reason.
- ``recall --lot`` lists exactly the sessions given from that lot, across visits and patients;
  ``--out`` is private to its owner; a name a spreadsheet would run as a formula is quoted.
"""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import datetime, timedelta, timezone

import pytest
from factories import AS_OF, countersigned_consent, healthy_answers, intake_of, with_answer
from staff_driver import add_account

from cli_driver import run_on
from screener import assess
from screener.storage import Store

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)
SESSION = ["--date", AS_OF.isoformat()]
POLIDOCANOL = ["--agent", "polidocanol", "--concentration", "0.5", "--form", "liquid", "--volume-ml", "3",
               "--areas", "left_calf,right_calf", "--lot", "PX-2291", "--expires", "2027-06-30", "--by", "ada"]


@pytest.fixture
def clinic(tmp_path):
    data = tmp_path / "data"
    with Store(Store.default_url(data)) as store:
        add_account(store, "ada", "clinician")
        yield store, data


def screened(store: Store, name: str = "Rosa Example", at: datetime = T0, **answers) -> str:
    data = with_answer(healthy_answers(), "patient.full_name", name)
    for path, value in answers.items():
        data = with_answer(data, path.replace("__", "."), value)
    intake = intake_of(data)
    submission = store.save_submission(intake, assess(intake, at.date()), at)
    found = store.patients.suggested_for(submission)
    if found:
        store.patients.link(submission, found[0].id, by="ada", at=at)
    else:
        store.patients.add_from_submission(submission, by="ada", at=at)
    countersigned_consent(store, submission)
    return submission


cli = run_on


def with_option(options: list[str], name: str, value: str) -> list[str]:
    changed = list(options)
    changed[changed.index(name) + 1] = value
    return changed


def test_a_session_is_recorded_and_listed_by_patient_and_by_submission(clinic):
    store, data = clinic
    submission = screened(store)
    added = cli(data, "treatment", "add", submission, *POLIDOCANOL, *SESSION)
    assert added.returncode == 0, added.stderr
    treatment_id = added.stdout.strip()
    patient = store.patients.of_submission(submission)
    for target in (patient.id, submission):
        listed = cli(data, "treatment", "list", target).stdout.splitlines()
        assert listed[1].split("\t")[:3] == [treatment_id, AS_OF.isoformat(), "polidocanol"]


@pytest.mark.parametrize(("answers", "options", "expected"), [
    ({"allergies__asthma": True}, with_option(with_option(POLIDOCANOL, "--agent", "sodium_tetradecyl_sulfate"),
                                             "--concentration", "0.2"),
     "agent: Sodium tetradecyl sulfate is excluded by this patient's screening (ASTHMA)"),
    ({"neurology__stroke_or_tia": True}, [*with_option(POLIDOCANOL, "--form", "foam"), "--gas", "co2_o2"],
     "form: Foam is excluded by this patient's screening"),
    ({}, with_option(POLIDOCANOL, "--expires", "2026-11-20"), "lot_expires: Lot PX-2291 expired on 2026-11-20"),
    ({}, with_option(POLIDOCANOL, "--volume-ml", "12"), "volume_ml: At most 10 mL of polidocanol per session"),
])
def test_each_refusal_exits_2_with_its_field(clinic, answers, options, expected):
    store, data = clinic
    submission = screened(store, **answers)
    if store.get_submission(submission).assessment.decision == "clinician_review":
        store.mark_reviewed(submission, staff="ada", note="", expected_version=0, at=T0)
    refused = cli(data, "treatment", "add", submission, *options, *SESSION)
    assert refused.returncode == 2 and expected in refused.stderr, refused.stderr
    assert cli(data, "treatment", "list", submission).stdout.count("\n") == 1, "nothing saved"


def test_an_excluded_agent_goes_through_with_the_clinicians_reason(clinic):
    store, data = clinic
    submission = screened(store, allergies__asthma=True)
    options = with_option(with_option(POLIDOCANOL, "--agent", "sodium_tetradecyl_sulfate"), "--concentration", "0.2")
    added = cli(data, "treatment", "add", submission, *options, *SESSION,
                "--override-reason", "Asthma well controlled; observed 30 minutes after.")
    assert added.returncode == 0, added.stderr


@pytest.mark.parametrize(("submission", "by", "expected"), [("0" * 32, "ada", "There is no submission with this id"),
                                                            (None, "nobody", "--by: There is no enabled staff account")])
def test_an_unknown_submission_or_clinician_exits_2(clinic, submission, by, expected):
    store, data = clinic
    target = submission or screened(store)
    refused = cli(data, "treatment", "add", target, *with_option(POLIDOCANOL, "--by", by), *SESSION)
    assert refused.returncode == 2 and expected in refused.stderr


def test_recall_lists_exactly_the_sessions_of_the_lot_across_visits(clinic, tmp_path):
    store, data = clinic
    first = screened(store, "=HYPERLINK(\"x\") Rosa")
    later = screened(store, "=HYPERLINK(\"x\") Rosa", at=T0 + timedelta(days=10))
    other = screened(store, "Ana Otra")
    cli(data, "treatment", "add", first, *POLIDOCANOL, *SESSION)
    cli(data, "treatment", "add", later, *POLIDOCANOL, "--date", (AS_OF + timedelta(days=10)).isoformat())
    cli(data, "treatment", "add", other, *with_option(POLIDOCANOL, "--lot", "ZZ-1"), *SESSION)
    out = tmp_path / "recall.csv"
    run = cli(data, "recall", "--lot", "px2291", "--out", str(out))
    assert run.returncode == 0 and run.stderr == "Lot px2291: 2 sessions of 1 patient.\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [row["session_date"] for row in rows] == [AS_OF.isoformat(), (AS_OF + timedelta(days=10)).isoformat()]
    assert {row["patient_name"] for row in rows} == {"'=HYPERLINK(\"x\") Rosa"}
    as_json = json.loads(cli(data, "recall", "--lot", "PX-2291", "--format", "json").stdout)
    assert [session["patient_name"] for session in as_json["sessions"]] == ["=HYPERLINK(\"x\") Rosa"] * 2
