"""The CDS audit trail's group commit, with a stand-in store.

- A call returns once its event is saved; calls waiting together are saved in one transaction.
- When saving fails, every call of that batch is told (the service then sends no cards).
- Against a real database, every event arrives, with the words staff read for its action.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from app.staff import staff_texts
from screener.cds.audit import AuditTrail
from screener.storage import CDS_SCREENED_ACTION, StorageError, Store


class SlowStore:
    def __init__(self, fail: bool = False):
        self.batches: list[list[dict]] = []
        self.fail = fail
        self.lock = threading.Lock()

    def record_events(self, events):
        time.sleep(0.02)  # a disk flush
        if self.fail:
            raise StorageError("The audit records could not be saved (the disk is full).")
        with self.lock:
            self.batches.append(list(events))


def event(number: int) -> dict:
    return {"staff": "cds:https://booking.example", "action": CDS_SCREENED_ACTION, "at": datetime.now(timezone.utc),
            "detail": f"hook instance {number}; decision eligible"}


async def _record_all(trail: AuditTrail, count: int) -> list:
    return await asyncio.gather(*(trail.record(**event(number)) for number in range(count)), return_exceptions=True)


def record_all(trail: AuditTrail, count: int) -> list:
    """``count`` calls at once, on an event loop in a thread of its own: once a browser test has run in the
    same process (as with pytest-xdist), Playwright's sync API leaves its loop marked as running in the
    main thread, and asyncio.run() there refuses to start."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, _record_all(trail, count)).result()


def test_calls_waiting_together_are_saved_in_few_transactions():
    store = SlowStore()
    trail = AuditTrail(store)
    trail.start()
    try:
        results = record_all(trail, 50)
    finally:
        trail.close()
    assert results == [None] * 50
    assert sum(len(batch) for batch in store.batches) == 50 and len(store.batches) < 10


def test_a_failed_save_is_raised_in_every_call_of_its_batch():
    trail = AuditTrail(SlowStore(fail=True))
    trail.start()
    try:
        results = record_all(trail, 5)
    finally:
        trail.close()
    assert all(isinstance(result, StorageError) for result in results)


def test_every_event_arrives_in_the_database(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'audit.sqlite3'}") as store:
        trail = AuditTrail(store)
        trail.start()
        try:
            record_all(trail, 20)
        finally:
            trail.close()
        saved = store.audit_events(action=CDS_SCREENED_ACTION)
    assert sorted(item.detail for item in saved) == sorted(event(number)["detail"] for number in range(20))
    assert staff_texts.ACTIONS[CDS_SCREENED_ACTION] == "Screened answers for a booking or record system"
