"""How fast the patient wizard answers: prints figures, asserts nothing.

1. The server's rerun time on each screen, measured with AppTest (target: median under 100 ms).
2. The time from ``streamlit run`` until the first page is interactive in chromium (target: under 3 s),
   beside the same time for a bare Streamlit app (other load on the machine shows in both).

Run from the project root: ``.venv/bin/python benchmarks/bench_wizard.py [--runs N] [--starts N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import PORTRAIT, chromium, running_app  # noqa: E402
from factories import healthy_answers  # noqa: E402
from screener.questionnaire import START_BUTTON, STEPS  # noqa: E402
from wizard_driver import click, fill_step, new_app, screen, start  # noqa: E402


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:6.1f} ms"


def _timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def rerun_times(runs: int) -> None:
    """Median of ``runs`` reruns on every screen, and the reruns that answering and Next cause."""
    answers = healthy_answers()
    at = new_app()
    at.run()
    medians: dict[str, float] = {}

    def measure(name: str, note: str = "") -> None:
        assert screen(at) == name, (screen(at), name)
        medians[name] = statistics.median(_timed(at.run) for _ in range(runs))
        print(f"  {name:<14}{_ms(medians[name])}{note}")

    print(f"Server rerun per screen (AppTest, median of {runs}):")
    measure("welcome")
    start(at)
    for step in STEPS:
        answering = _timed(lambda: fill_step(at, step, answers[step.section]))
        measure(step.section, f"   (answering the step {_ms(answering)} in all)")
        click(at, "forward")
    measure("review")
    click(at, "forward")
    measure("consent")
    print(f"  {'all screens':<14}{_ms(statistics.median(medians.values()))} median, worst {_ms(max(medians.values()))}")


BARE_APP = 'import streamlit as st\nst.title("Hello")\nst.button("Start")\n'


def first_page_times(starts: int) -> None:
    """From ``streamlit run`` until chromium shows the Start button, ``starts`` times.

    A bare two-line Streamlit app is timed the same way, so the figure can be read
    against what Streamlit itself needs on this machine at this moment.
    """
    with chromium() as browser, tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare_app.py"
        bare.write_text(BARE_APP)
        print(f"First page interactive after `streamlit run` (chromium, {starts} starts each):")
        for label, script in (("bare Streamlit", str(bare)), ("the wizard", "streamlit_app.py")):
            timings = []
            for number in range(starts):
                page = browser.new_page(viewport=PORTRAIT)
                began = time.perf_counter()
                with running_app(Path(folder) / f"{label}-{number}", script=script, timeout=60) as app:
                    page.goto(app.url)
                    page.get_by_role("button", name=START_BUTTON).wait_for(timeout=60000)
                    timings.append(time.perf_counter() - began)
                page.close()
            each = ", ".join(f"{timing:.2f}" for timing in timings)
            print(f"  {label:<15} median {statistics.median(timings):.2f} s  (each: {each} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="reruns measured on each screen")
    parser.add_argument("--starts", type=int, default=3, help="server starts measured")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.pop("SCREENER_DATABASE_URL", None)
        os.environ["SCREENER_DATA_DIR"] = folder
        rerun_times(arguments.runs)
    first_page_times(arguments.starts)


if __name__ == "__main__":
    main()
