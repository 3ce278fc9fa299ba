"""Memory and time of ``python -m screener`` on each hostile input of tests/cli/test_hostile_input.py,
beside a valid intake for comparison: peak resident memory of the CLI process, wall time and
CPU time (steadier than wall time on a shared machine; most of either is Python starting).

Issue 11's target: every one exits 2 within a second or two, in memory near a valid intake's.

    .venv/bin/python benchmarks/bench_hostile_input.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from factories import healthy_answers  # noqa: E402
from test_hostile_input import hostile_inputs, measured_run  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        valid = Path(folder) / "valid.json"
        valid.write_text(json.dumps(healthy_answers()))
        list_under_limit = healthy_answers()
        list_under_limit["veins"]["areas"] = [0] * 50_000
        under = Path(folder) / "under.json"
        under.write_text(json.dumps(list_under_limit))
        runs = {"a valid intake (for comparison)": (["assess", str(valid), "--as-of", "2026-11-21"], "none"),
                "50,000-item list (150 KB, under limit)": (["assess", str(under), "--as-of", "2026-11-21"], "none")}
        runs.update(hostile_inputs(Path(folder)))
        print(f"{'input':<38} {'exit':>4} {'peak MB':>8} {'wall s':>7} {'CPU s':>6}")
        for name, (args, stdin) in runs.items():
            started = time.perf_counter()
            result = measured_run(*args, stdin=stdin)
            seconds = time.perf_counter() - started  # includes the wrapper's own start, about 0.05 s
            print(f"{name:<38} {result['code']:>4} {result['peak_mb']:>8.1f} {seconds:>7.2f} {result['cpu_s']:>6.2f}")


if __name__ == "__main__":
    main()
