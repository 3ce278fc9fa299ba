"""Screening core speed: JSON text to assessment JSON, on one core.

Targets (issue 2): at least 20,000 assessments per second; no more than twice the time of
bare ``Intake.model_validate_json``; ``import screener`` + ``assess`` loads neither Streamlit
nor reportlab; ``python -m screener assess`` answers in under 0.5 s from a cold start.

    .venv/bin/python benchmarks/bench_engine.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from factories import AS_OF, everything_answers, healthy_answers, with_answer  # noqa: E402

from screener import Intake, assess  # noqa: E402


def sample_texts() -> list[str]:
    """A clinic's day: the valid public examples and intakes with the usual few flags."""
    examples = [path for path in (ROOT / "tests" / "examples").glob("*.json")
                if not path.name.endswith(".expected.json") and not path.name.startswith("invalid")]
    variants = [json.loads(path.read_text()) for path in sorted(examples)] + [
        with_answer(healthy_answers(), "reproductive.hormonal_medication", True),
        with_answer(with_answer(healthy_answers(), "patient.height_cm", 170), "patient.weight_kg", 90),
        with_answer(with_answer(healthy_answers(), "neurology.migraine", "with_aura"), "allergies.asthma", True),
        with_answer(with_answer(healthy_answers(), "veins.prior_treatments", ["sclerotherapy"]),
                    "veins.last_sclerotherapy_date", "2026-10-30"),
    ]
    return [json.dumps(answers, ensure_ascii=False) for answers in variants] * 200


def per_second(function, texts: list[str], rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for text in texts:
            function(text)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def validate(text: str) -> Intake:
    return Intake.model_validate_json(text, context={"as_of": AS_OF})


def end_to_end(text: str) -> str:
    return assess(validate(text), AS_OF).model_dump_json()


def cold_start_seconds(runs: int = 10) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(healthy_answers(), file)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "screener", "assess", file.name, "--as-of", "2026-11-21"],
                       check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    os.unlink(file.name)
    return statistics.median(times)


def heavy_modules_loaded() -> list[str]:
    code = ("import json, sys; sys.path.insert(0, 'tests'); import screener; from factories import *; "
            "screener.assess(intake_of(everything_answers()), AS_OF); "
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'streamlit', 'reportlab'})))")
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output)


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    texts = sample_texts()
    for text in texts[:7]:
        end_to_end(text)
    bare = per_second(validate, texts)
    full = per_second(end_to_end, texts)
    print(f"intakes per round:                {len(texts)}")
    print(f"bare Intake.model_validate_json:  {bare:,.0f} per second ({1e6 / bare:.1f} µs each)")
    print(f"JSON text -> assessment JSON:     {full:,.0f} per second ({1e6 / full:.1f} µs each)  target >= 20,000")
    print(f"end to end / bare validation:     {bare / full:.2f}x  target <= 2.00x")
    worst = [json.dumps(everything_answers(), ensure_ascii=False)] * 300
    print(f"worst case, 44 flags (end to end): {per_second(end_to_end, worst):,.0f} per second; "
          f"bare validation {per_second(validate, worst):,.0f} per second")
    print(f"heavy modules after assess:       {heavy_modules_loaded() or 'none'}  target: none")
    print(f"cold start of the CLI (median):   {cold_start_seconds() * 1000:.0f} ms  target < 500 ms")


if __name__ == "__main__":
    main()
