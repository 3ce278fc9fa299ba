"""Each CDS call on the audit trail before its cards leave, many calls to one commit.

A call waits until its event is committed: cards are never sent for a call the trail does not
hold. One writer thread takes every event waiting and saves them in one transaction, so under
load each disk flush (SQLite's ``synchronous=FULL``) covers a batch instead of one call.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from typing import Optional

from ..storage import Store

_STOP = None


class AuditTrail:
    """Group commit of audit events to ``store``; start with :meth:`start`, stop with :meth:`close`."""

    def __init__(self, store: Store):
        self._store = store
        self._waiting: queue.SimpleQueue = queue.SimpleQueue()
        self._writer: Optional[threading.Thread] = None

    def start(self) -> None:
        self._writer = threading.Thread(target=self._write, name="cds-audit", daemon=True)
        self._writer.start()

    async def record(self, **event) -> None:
        """Append one event (``Store.record_event``'s keywords); returns once it is committed, raises if it was not."""
        loop = asyncio.get_running_loop()
        saved = loop.create_future()
        self._waiting.put((event, loop, saved))
        await saved

    def close(self) -> None:
        """Save what is waiting, then stop the writer."""
        if self._writer is not None:
            self._waiting.put(_STOP)
            self._writer.join()
            self._writer = None

    def _write(self) -> None:
        while True:
            batch = [self._waiting.get()]
            while not self._waiting.empty():
                batch.append(self._waiting.get_nowait())
            stopping = _STOP in batch
            batch = [waiting for waiting in batch if waiting is not _STOP]
            failure: Optional[Exception] = None
            try:
                self._store.record_events([event for event, _, _ in batch])
            except Exception as exc:  # handed to every call of the batch, so that none waits forever
                failure = exc
            for _, loop, saved in batch:
                loop.call_soon_threadsafe(_settle, saved, failure)
            if stopping:
                return


def _settle(saved: asyncio.Future, failure: Optional[Exception]) -> None:
    if saved.done():  # the call was cancelled (its client went away) while its event was saved
        return
    if failure is None:
        saved.set_result(None)
    else:
        saved.set_exception(failure)
