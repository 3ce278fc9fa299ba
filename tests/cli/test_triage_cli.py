"""``python -m screener urgent`` as a subprocess: the urgent submissions waiting for review, ids and times only.

- Oldest first, one line each: id, time submitted (UTC), decision, review status; no name.
- Standard error is one line with the count and no patient data; the listing is audited.
- ``--all`` also lists those reviewed; a missing database exits 2 with a sentence.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from factories import healthy_answers, with_answer
from staff_driver import SUBMITTED, save, store  # noqa: F401  (fixture)

from screener.storage import URGENT_LISTED_ACTION

from cli_driver import ROOT

NAME = "Patient Urgent-Name"


def urgent_cli(data_dir, *options: str) -> subprocess.CompletedProcess:
    environment = {**{k: v for k, v in os.environ.items() if not k.startswith("SCREENER_")},
                   "SCREENER_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "screener", "urgent", *options], capture_output=True, text=True,
                          cwd=ROOT, env=environment, timeout=60)


def test_urgent_lists_the_waiting_ones_oldest_first_with_ids_and_times_only(store, tmp_path):
    later = save(store, NAME, answers=with_answer(healthy_answers(), "symptoms.bleeding_vein", True),
                 at=SUBMITTED + timedelta(minutes=5))
    first = save(store, NAME, answers=with_answer(healthy_answers(), "clotting.vte_history", "current"))
    save(store, "Patient Not Urgent")
    run = urgent_cli(tmp_path / "data")
    assert run.returncode == 0
    lines = run.stdout.splitlines()
    assert lines == ["submission_id\tsubmitted_at\tdecision\treview_status",
                     f"{first}\t2026-11-21T09:30:00+00:00\tnot_eligible\tpending",
                     f"{later}\t2026-11-21T09:35:00+00:00\tclinician_review\tpending"]
    assert run.stderr == "2 urgent submissions waiting for review.\n"
    assert "Urgent-Name" not in run.stdout + run.stderr
    assert store.audit_events()[0].action == URGENT_LISTED_ACTION


def test_urgent_all_also_lists_the_reviewed(store, tmp_path):
    sid = save(store, NAME, answers=with_answer(healthy_answers(), "symptoms.skin_changes", ["open_ulcer"]))
    store.mark_reviewed(sid, staff="ada", note="", expected_version=0, at=SUBMITTED)
    assert urgent_cli(tmp_path / "data").stdout.count("\n") == 1
    listed = urgent_cli(tmp_path / "data", "--all")
    assert listed.stdout.splitlines()[1].endswith("\tclinician_review\treviewed")
    assert listed.stderr == "1 urgent submission.\n"


def test_urgent_without_a_database_exits_2_and_creates_none(tmp_path):
    run = urgent_cli(tmp_path / "nowhere")
    assert run.returncode == 2 and run.stderr.startswith("SCREENER_DATA_DIR: No database in")
    assert not (tmp_path / "nowhere").exists()
