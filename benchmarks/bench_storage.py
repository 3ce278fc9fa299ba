"""Storage speed: the review queue over 10,000 submissions, and sustained concurrent saves.

    .venv/bin/python benchmarks/bench_storage.py [--rows 10000] [--threads 10] [--seconds 10]

Prints median and 95th-percentile milliseconds for opening the queue (the query plus
building the summaries) on SQLite and on a throwaway PostgreSQL cluster started with
durable settings (fsync on), then submissions per second from concurrent threads with a
check that every saved submission is in the database exactly once. Synthetic data only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from sqlalchemy import insert  # noqa: E402

from factories import AS_OF, everything_answers, healthy_answers, intake_of, with_answer  # noqa: E402
from pg_server import running_cluster  # noqa: E402
from screener import assess  # noqa: E402
from screener.storage import Store  # noqa: E402
from screener.storage.database import WRITE, make_engine  # noqa: E402
from screener.storage.records import submission_row  # noqa: E402
from screener.storage.schema import submissions  # noqa: E402

FIRST = ["Alex", "Maria", "Ελένη", "Дмитрий", "秀英", "Zoë", "Jean-Luc", "Aoife", "Fatima", "Kofi"]
LAST = ["Example", "Papadopoulou", "Иванов", "王", "Müller", "O'Brien", "Nakamura", "Silva", "Okafor", "Novak"]
NOW = datetime(2026, 11, 21, 17, 0, tzinfo=timezone.utc)


def _variants() -> list:
    """Synthetic intakes covering every decision."""
    answers = [
        healthy_answers(),
        everything_answers(),
        with_answer(healthy_answers(), "lifestyle.smoker", True),
        with_answer(healthy_answers(), "reproductive.breastfeeding", True),
        with_answer(healthy_answers(), "skin.fitzpatrick_type", 5),
    ]
    return [(intake, assess(intake, AS_OF)) for intake in map(intake_of, answers)]


def _renamed(intake, name: str):
    return intake.model_copy(update={"patient": intake.patient.model_copy(update={"full_name": name})})


def fill(url: str, rows: int) -> None:
    """Insert ``rows`` submissions in bulk, spread over a year, about a third of them reviewed."""
    variants = _variants()
    batch = []
    for n in range(rows):
        intake, assessment = variants[n % len(variants)]
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {n}"
        row = submission_row(f"{n:032x}", _renamed(intake, name), assessment, NOW - timedelta(minutes=53 * n))
        reviewed = n % 3 == 0
        row.update(review_status="reviewed" if reviewed else "pending", reviewed_by="dr.bench" if reviewed else None,
                   reviewed_at=NOW if reviewed else None, review_note="" if reviewed else None,
                   review_version=int(reviewed))
        batch.append(row)
    Store(url).dispose()  # creates the schema
    engine = make_engine(url)
    with engine.execution_options(**WRITE).begin() as conn:
        conn.execute(insert(submissions), batch)
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE submissions")
    engine.dispose()


def timed(operation, repeats: int = 25) -> tuple[float, float]:
    for _ in range(3):
        operation()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        operation()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def bench_queue(label: str, url: str, rows: int) -> None:
    fill(url, rows)
    with Store(url) as store:
        assert store.count_submissions() == rows
        some_id = store.list_submissions(limit=1)[0].id
        cases = {
            "first page (50)": lambda: store.list_submissions(limit=50),
            "first page + count (queue open)": lambda: (store.list_submissions(limit=50), store.count_submissions()),
            "decision=clinician_review": lambda: store.list_submissions(decision="clinician_review", limit=50),
            "status=pending": lambda: store.list_submissions(status="pending", limit=50),
            "decision + status + count": lambda: (
                store.list_submissions(decision="eligible", status="pending", limit=50),
                store.count_submissions(decision="eligible", status="pending")),
            "name search 'иванов' + count": lambda: (
                store.list_submissions(name_contains="иванов", limit=50), store.count_submissions(name_contains="иванов")),
            "name search, rare '4242' + count": lambda: (
                store.list_submissions(name_contains="4242", limit=50), store.count_submissions(name_contains="4242")),
            "page 20 (offset 950)": lambda: store.list_submissions(limit=50, offset=950),
            "one submission (view)": lambda: store.get_submission(some_id),
        }
        print(f"\nQueue with {rows:,} submissions, {label} (median / p95 ms)")
        for name, operation in cases.items():
            median, p95 = timed(operation)
            print(f"  {name:<34} {median:7.1f} / {p95:7.1f}")


def bench_sustained(label: str, url: str, threads: int, seconds: float) -> None:
    intake, assessment = _variants()[0]
    with Store(url) as store:
        before = store.count_submissions()
        saved: list[list[str]] = [[] for _ in range(threads)]
        latencies: list[list[float]] = [[] for _ in range(threads)]
        stop = time.perf_counter() + seconds

        def work(worker: int) -> None:
            while time.perf_counter() < stop:
                start = time.perf_counter()
                saved[worker].append(store.save_submission(intake, assessment, datetime.now(timezone.utc)))
                latencies[worker].append((time.perf_counter() - start) * 1000)

        began = time.perf_counter()
        workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - began
        ids = [sid for batch in saved for sid in batch]
        stored = store.count_submissions() - before
        every = sorted(ms for batch in latencies for ms in batch)
    print(f"\nSustained saves, {label}: {threads} threads for {seconds:g} s")
    print(f"  {len(ids):,} saved, {len(ids) / elapsed:,.0f} submissions/s; "
          f"save latency median {statistics.median(every):.1f} ms, p95 {every[int(len(every) * 0.95) - 1]:.1f} ms")
    print(f"  rows added {stored:,}, distinct ids {len(set(ids)):,}: "
          f"{'none lost, none duplicated' if stored == len(ids) == len(set(ids)) else 'MISMATCH'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench_queue("SQLite", Store.default_url(Path(folder)), args.rows)
        bench_sustained("SQLite", Store.default_url(Path(folder) / "sustained"), args.threads, args.seconds / 2)
    with running_cluster(durable=True) as cluster:
        bench_queue("PostgreSQL", cluster.create_database("queue"), args.rows)
        bench_sustained("PostgreSQL (fsync on)", cluster.create_database("sustained"), args.threads, args.seconds)


if __name__ == "__main__":
    main()
