"""Median times of the FHIR export and import: the Questionnaire, the Bundle of the intake that
fires every rule, and reading its QuestionnaireResponse back.

Run from the project root: ``.venv/bin/python benchmarks/bench_fhir.py [--runs N]``.
Prints figures only (wall-clock and CPU-time medians, in milliseconds, and sizes).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from factories import AS_OF, everything_answers, intake_of  # noqa: E402
from screener import assess  # noqa: E402
from screener.fhir import bundle_json, questionnaire, read_response  # noqa: E402


def _medians(work, runs: int) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    runs = parser.parse_args().runs
    intake = intake_of(everything_answers())
    assessment = assess(intake, AS_OF)
    made = bundle_json(intake, assessment)
    cases = {
        "questionnaire": questionnaire,
        "bundle, every rule": lambda: bundle_json(intake, assessment),
        "read the response back": lambda: read_response(made, AS_OF),
    }
    for name, work in cases.items():
        wall, cpu = _medians(work, runs)
        print(f"{name:24} {wall:7.2f} ms wall  {cpu:7.2f} ms CPU  (median of {runs})")
    print(f"bundle of every rule: {len(made):,} bytes, {len(assessment.flags)} DetectedIssues")


if __name__ == "__main__":
    main()
