"""Median render time of the clinician PDF: a typical two-page summary and the intake that fires every rule.

Run from the project root: ``.venv/bin/python benchmarks/bench_pdf.py [--runs N]``.
Targets (issue 3): typical under 40 ms, every rule under 150 ms. Prints figures only. The
wall-clock median is the figure the targets mean; the CPU-time median beside it shows
how much of it other work on a busy machine added.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from factories import AS_OF, everything_answers, healthy_answers, intake_of, with_answer  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from screener import assess  # noqa: E402
from screener.documents.summary import render_pdf  # noqa: E402  (fonts register once, at import)

TARGETS_MS = {"typical": 40, "every rule": 150}


def _typical():
    # Two flags, like most real intakes (the breastfeeding-with-migraine example).
    answers = with_answer(healthy_answers(), "reproductive.breastfeeding", True)
    return intake_of(with_answer(answers, "neurology.migraine", "with_aura"))


def _timings_ms(intake, runs: int) -> tuple[list[float], list[float], int]:
    assessment = assess(intake, AS_OF)
    pdf = render_pdf(intake, assessment)  # warm-up: first use of each font and style
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        render_pdf(intake, assessment)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu, len(PdfReader(BytesIO(pdf)).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    for name, intake in (("typical", _typical()), ("every rule", intake_of(everything_answers()))):
        wall, cpu, pages = _timings_ms(intake, runs)
        median = statistics.median(wall)
        verdict = "ok" if median < TARGETS_MS[name] else "OVER TARGET"
        print(f"{name:>10} ({pages} pages): median {median:6.1f} ms wall, {statistics.median(cpu):6.1f} ms CPU, "
              f"best {min(wall):6.1f} ms; target < {TARGETS_MS[name]} ms: {verdict} ({runs} runs)")


if __name__ == "__main__":
    main()
