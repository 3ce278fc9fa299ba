"""Median render time of the patient handout, per language: no notes and every note (each sheet 1 or 2 pages).

Run from the project root: ``.venv/bin/python benchmarks/bench_handout.py [--runs N]``.
Prints figures only; no target was set (a sheet is rendered once, when staff ask for it).
The first render in a process also loads the fonts and the catalog; it is printed apart.
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

from factories import AS_OF, everything_answers, healthy_answers, intake_of  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from screener import assess, render_handout  # noqa: E402
from screener.language.i18n import LANGUAGE_NAMES  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    for language in LANGUAGE_NAMES:
        for name, answers in (("no notes", healthy_answers()), ("every note", everything_answers())):
            intake = intake_of(answers)
            assessment = assess(intake, AS_OF)
            start = time.perf_counter()
            pdf = render_handout(intake, assessment, language)
            first = (time.perf_counter() - start) * 1000
            wall = []
            for _ in range(runs):
                start = time.perf_counter()
                render_handout(intake, assessment, language)
                wall.append((time.perf_counter() - start) * 1000)
            pages = len(PdfReader(BytesIO(pdf)).pages)
            print(f"{language:>7} {name:>10} ({pages} page{'s' if pages > 1 else ''}, {len(pdf) // 1024} KiB): "
                  f"median {statistics.median(wall):6.1f} ms, best {min(wall):6.1f} ms, first {first:7.1f} ms "
                  f"({runs} runs)")


if __name__ == "__main__":
    main()
