"""How fast the patient wizard answers: prints figures, asserts nothing.

1. The server's rerun time on each screen, measured with AppTest (target: median under 100 ms).
2. The time from a tap on Next until the next step is painted in chromium, median and 95th
   percentile over whole walks by touch (a patient's wait between two steps), beside the same tap
   on a bare Streamlit page with a heading and two buttons, timed in the same run, and the ratio
   of the two (a figure that means the same on a quiet or a busy machine).
3. The time from ``streamlit run`` until the first page is interactive in chromium (target: under 3 s),
   beside the same time for a bare Streamlit app (other load on the machine shows in both).

Run from the project root:
``.venv/bin/python benchmarks/bench_wizard.py [--runs N] [--walks N] [--starts N]``.
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
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from factories import healthy_answers  # noqa: E402
from real_browser import PORTRAIT, chromium, running_app  # noqa: E402
from screener.clinical.questionnaire import STEPS  # noqa: E402
from screener.language.screens import NEXT_BUTTON, REVIEW_TITLE, START_BUTTON  # noqa: E402
from wizard_driver import click, fill_step, new_app, screen, start  # noqa: E402
from wizard_walk import answer, settle  # noqa: E402

# Resolves once the browser has painted the frame after the current one.
_PAINTED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


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


def _tap_next_until_painted(page, heading: str) -> float:
    """The time from a tap on the primary Next button until ``heading`` is on screen and painted."""
    began = time.perf_counter()
    page.get_by_test_id("stBaseButton-primary").filter(has_text=NEXT_BUTTON).tap()
    page.get_by_role("heading", name=heading, exact=True).wait_for()
    page.evaluate(_PAINTED)
    return time.perf_counter() - began


def _wizard_walk(page, url: str) -> list[float]:
    """One whole walk by touch: each tap on Next until the next step's heading is painted."""
    answers = healthy_answers()
    page.goto(url)
    page.get_by_role("button", name=START_BUTTON).tap()
    page.get_by_role("heading", name=STEPS[0].title, exact=True).wait_for()
    settle(page)
    timings = []
    for number, step in enumerate(STEPS, start=1):
        for question in step.questions:
            if question.is_asked(answers[step.section]):
                answer(page, step, question, answers[step.section].get(question.name))
        timings.append(_tap_next_until_painted(page, STEPS[number].title if number < len(STEPS) else REVIEW_TITLE))
        settle(page)
    return timings


# The same tap on what Streamlit itself needs for it: a heading and two buttons, Back and Next.
BARE_STEPS_APP = f"""import streamlit as st
st.session_state.setdefault("step", 1)
def move(by):
    st.session_state.step += by
st.header(f"Step {{st.session_state.step}}", anchor=False)
st.button("Back", on_click=move, args=(-1,))
st.button({NEXT_BUTTON!r}, on_click=move, args=(1,), type="primary")
"""


def _bare_walk(page, url: str, taps: int) -> list[float]:
    page.goto(url)
    page.get_by_role("heading", name="Step 1", exact=True).wait_for()
    settle(page)
    timings = []
    for number in range(2, taps + 2):
        timings.append(_tap_next_until_painted(page, f"Step {number}"))
        settle(page)
    return timings


def _spread(timings: list[float]) -> tuple[float, float, float]:
    """Median, 95th percentile and worst."""
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], ordered[-1]


def next_to_painted_times(walks: int) -> None:
    """``walks`` whole walks by touch, each followed by as many taps on the bare page: tap on Next until painted."""
    wizard, bare = [], []
    with chromium() as browser, tempfile.TemporaryDirectory() as folder:
        bare_script = Path(folder) / "bare_steps_app.py"
        bare_script.write_text(BARE_STEPS_APP)
        with running_app(Path(folder) / "wizard") as wizard_app, \
                running_app(Path(folder) / "bare", script=str(bare_script)) as bare_app:
            for _ in range(walks):  # taken in turns, so a change of load on the machine weighs on both
                page = browser.new_page(viewport=PORTRAIT, has_touch=True, is_mobile=True)
                wizard += _wizard_walk(page, wizard_app.url)
                page.close()
                page = browser.new_page(viewport=PORTRAIT, has_touch=True, is_mobile=True)
                bare += _bare_walk(page, bare_app.url, len(STEPS))
                page.close()
    print(f"Tap on Next until the next step is painted (chromium, {walks} walks, {len(wizard)} taps each):")
    for label, timings in (("the wizard", wizard), ("bare Streamlit", bare)):
        median, p95, worst = _spread(timings)
        print(f"  {label:<15} median {_ms(median)}, 95th percentile {_ms(p95)}, worst {_ms(worst)}")
    (wizard_median, wizard_p95, _), (bare_median, bare_p95, _) = _spread(wizard), _spread(bare)
    print(f"  ratio wizard / bare: median {wizard_median / bare_median:.2f}, 95th percentile {wizard_p95 / bare_p95:.2f}")


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
    parser.add_argument("--walks", type=int, default=2, help="whole walks by touch measured in chromium")
    parser.add_argument("--starts", type=int, default=3, help="server starts measured")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.pop("SCREENER_DATABASE_URL", None)
        os.environ["SCREENER_DATA_DIR"] = folder
        rerun_times(arguments.runs)
    next_to_painted_times(arguments.walks)
    first_page_times(arguments.starts)


if __name__ == "__main__":
    main()
