"""Server time of the staff area over 10,000 stored submissions (issue 5 target: the queue opens in under 300 ms).

    .venv/bin/python benchmarks/bench_staff.py [--rows 10000] [--runs 25] [--postgres]

Fills a database with synthetic submissions (``bench_storage.fill``: every decision,
a third reviewed), signs in once through AppTest, then times whole runs of the staff
page script as the server does them: the queue as it opens, filtered, searched and
paged, and one submission with its PDF. Prints median and 95th-percentile
milliseconds; nothing is asserted. Sustained concurrent saves against PostgreSQL are
``bench_storage.py``'s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support"), str(ROOT / "benchmarks")]

from bench_storage import fill, timed  # noqa: E402
from pg_server import running_cluster  # noqa: E402
from screener.storage import Store  # noqa: E402
from staff_driver import Clock, signed_in_app  # noqa: E402

TARGET_MS = 300


def _select(at, key: str, value):
    at.selectbox(key=key).select(value)
    return at.run()


def bench(label: str, url: str, rows: int, runs: int) -> None:
    started = time.perf_counter()
    fill(url, rows)
    print(f"\n{label}: {rows:,} submissions stored in {time.perf_counter() - started:.1f} s")
    with Store(url) as store:
        clock = Clock()
        at = signed_in_app(store, clock)
        assert store.count_submissions() == rows and len([t for t in at.text if "years" in t.value]) == 20
        queue = {
            "queue opens (first page + count)": at.run,
            "queue, decision filter": lambda: _select(at, "staff-filter-decision", "clinician_review"),
            "queue, status filter": lambda: _select(at, "staff-filter-status", "pending"),
            "queue, name search 'иванов'": lambda: at.text_input(key="staff-filter-name").input("иванов").run(),
        }
        print(f"{'':2}{'staff page run':<40} median / p95 ms")
        medians = {}
        for name, run in queue.items():
            median, p95 = medians[name] = timed(run, runs)
            print(f"  {name:<40} {median:7.1f} / {p95:7.1f}")
        at.text_input(key="staff-filter-name").input("").run()
        at.selectbox(key="staff-filter-decision").select(None).run()
        at.selectbox(key="staff-filter-status").select(None).run()
        median, p95 = timed(lambda: (at.button(key="staff-older").click().run(), at.run()), runs)
        print(f"  {'queue, next page (two runs)':<40} {median:7.1f} / {p95:7.1f}")

        flagged = store.list_submissions(decision="not_eligible", limit=1)[0].id
        _select(at, "staff-filter-decision", "not_eligible")
        opened = []

        def open_and_back():
            start = time.perf_counter()
            at.button(key=f"staff-open-{flagged}").click().run()
            opened.append((time.perf_counter() - start) * 1000)
            at.button(key="staff-back").click().run()

        timed(open_and_back, max(5, runs // 3))
        opened.sort()
        print(f"  {'open the longest submission (+ PDF)':<40} {opened[len(opened) // 2]:7.1f} / {opened[-1]:7.1f}")
        at.button(key=f"staff-open-{flagged}").click().run()
        median, p95 = timed(at.run, runs)
        print(f"  {'submission rerun (PDF kept)':<40} {median:7.1f} / {p95:7.1f}")
        p95 = medians["queue opens (first page + count)"][1]
        print(f"  queue opening: 95th percentile {p95:.0f} ms, target {TARGET_MS} ms "
              f"({'met' if p95 < TARGET_MS else 'missed'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway PostgreSQL cluster")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench("SQLite", Store.default_url(Path(folder)), args.rows, args.runs)
    if args.postgres:
        with running_cluster(durable=True) as cluster:
            bench("PostgreSQL", cluster.create_database("bench_staff"), args.rows, args.runs)


if __name__ == "__main__":
    main()
