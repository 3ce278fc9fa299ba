"""Impact of a rule change: ``python -m screener reassess`` over many stored submissions on SQLite.

Fills a fresh SQLite database with synthetic submissions stored under an older rules
version (one in ten with an assessment the current rules would not give), then runs the
command as a subprocess, as a clinic would, and prints its wall time and its peak memory.

Targets (issue 15): 100,000 submissions in under 60 seconds, peak memory under 300 MB.

    .venv/bin/python benchmarks/bench_reassess.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from bench_engine import sample_texts  # noqa: E402

from factories import AS_OF  # noqa: E402
from screener import Intake, assess  # noqa: E402
from screener.storage import Store  # noqa: E402
from screener.storage.database import WRITE, make_engine  # noqa: E402
from screener.storage.records import submission_row  # noqa: E402
from screener.storage.schema import submissions  # noqa: E402

OLDER_RULES = "2026.11.21-3"
CHUNK = 5_000


def stored_variants() -> tuple[list[dict], list[dict]]:
    """Stored rows of each kind of intake under older rules: decided as today, and decided otherwise."""
    same, otherwise = [], []
    for text in sorted(set(sample_texts())):
        intake = Intake.model_validate_json(text, context={"as_of": AS_OF})
        stored = assess(intake, AS_OF).model_copy(update={"rules_version": OLDER_RULES})
        same.append(submission_row("", intake, stored, datetime.now(timezone.utc)))
        other = stored.model_copy(update={"decision": "eligible_with_precautions", "flags": stored.flags[:-1]})
        otherwise.append(submission_row("", intake, other, datetime.now(timezone.utc)))
    return same, otherwise


def fill(url: str, rows: int) -> None:
    Store(url).dispose()  # creates the schema
    same, otherwise = stored_variants()
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    engine = make_engine(url)
    with engine.execution_options(**WRITE).begin() as conn:
        for first in range(0, rows, CHUNK):
            batch = []
            for number in range(first, min(first + CHUNK, rows)):
                kind = otherwise if number % 10 == 0 else same
                batch.append({**kind[number % len(kind)], "id": uuid.uuid4().hex,
                              "submitted_at": start + timedelta(seconds=number * 37)})
            conn.execute(submissions.insert(), batch)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        started = time.perf_counter()
        fill(Store.default_url(data_dir), args.rows)
        print(f"stored submissions:                {args.rows:,} ({time.perf_counter() - started:.0f} s to fill)")
        environment = {key: value for key, value in os.environ.items() if not key.startswith("SCREENER_")}
        environment["SCREENER_DATA_DIR"] = str(data_dir)
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "screener", "reassess", "--out", str(Path(folder) / "impact.csv")],
                             cwd=ROOT, env=environment, capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"reassess, wall time:               {seconds:.1f} s ({args.rows / seconds:,.0f} a second)  target < 60 s")
        print(f"reassess, peak memory (max RSS):   {peak_mb:.0f} MB  target < 300 MB")
        print(f"reassess, summary:                 {run.stderr.strip()}")


if __name__ == "__main__":
    main()
