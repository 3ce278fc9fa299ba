"""The CDS audit trail: a writer process, group commit, and what a call is told when it fails.

- A call returns once its event is saved; calls waiting together are saved in few transactions.
- When saving fails, every call of that batch is told (the service then sends no cards).
- A writer that cannot open its store stops the start with the store's own words, or the
  failure's kind alone; it ignores Ctrl-C (the service stops it in order).
- A writer that dies: the calls waiting are told, the next call starts a new one, nothing after
  that is lost; while a new one cannot start, calls are refused at once for a second.
- Closing saves every event already sent, and the writer process is gone.
- Against a real database, every event arrives, with the words staff read for its action.
- The service answers 503 and no cards when its audit event cannot be written.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from app.staff import staff_texts
from audit_stores import BatchFile, batches, crashing_open, unopenable
from cds_client import hook_call, questionnaire_response, rsa_signer, searchset, write_clients
from factories import healthy_answers
from screener.cds.audit import AuditTrail
from screener.cds.clients import load_clients
from screener.cds.service import SERVICE_PATH, Settings, create_app
from screener.cds.tokens import Authenticator
from screener.storage import CDS_SCREENED_ACTION, StorageError, Store


def event(number: int) -> dict:
    return {"staff": "cds:https://booking.example", "action": CDS_SCREENED_ACTION, "at": datetime.now(timezone.utc),
            "detail": f"hook instance {number}; decision eligible"}


def on_a_loop(work):
    """``work()`` (a coroutine) run on an event loop in a thread of its own: once a browser test has run in
    the same process (as with pytest-xdist), Playwright's sync API leaves its loop marked as running in the
    main thread, and asyncio.run() there refuses to start."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, work()).result(timeout=120)


async def _record(trail: AuditTrail, numbers) -> list:
    return await asyncio.gather(*(trail.record(**event(number)) for number in numbers), return_exceptions=True)


def with_trail(open_store, work):
    """``work(trail)`` between the start and the close of a trail writing to ``open_store()``."""
    async def run():
        trail = AuditTrail(open_store)
        await trail.start()
        try:
            return await work(trail)
        finally:
            await trail.close()

    return on_a_loop(run)


def test_calls_waiting_together_are_saved_in_few_transactions(tmp_path):
    saved = tmp_path / "batches.jsonl"
    results = with_trail(functools.partial(BatchFile, str(saved)), lambda trail: _record(trail, range(50)))
    assert results == [None] * 50
    found = batches(saved)
    assert sorted(detail for batch in found for detail in batch) == sorted(event(n)["detail"] for n in range(50))
    assert len(found) < 10


def test_a_failed_save_is_raised_in_every_call_of_its_batch(tmp_path):
    results = with_trail(functools.partial(BatchFile, str(tmp_path / "b"), fail=True),
                         lambda trail: _record(trail, range(5)))
    assert [str(result) for result in results] == ["The audit records could not be saved (the disk is full)."] * 5
    assert all(isinstance(result, StorageError) for result in results)


def test_a_writer_that_cannot_open_its_store_stops_the_start_with_its_words():
    for opener, words in ((unopenable, "The database could not be opened (the server is away)."),
                          (crashing_open, "The audit trail could not be opened (RuntimeError).")):
        async def start():
            trail = AuditTrail(opener)
            try:
                await trail.start()
            except StorageError as failed:
                return str(failed), trail.writer_pid
            return None, trail.writer_pid

        assert on_a_loop(start) == (words, None)  # named by its kind only: the message could quote anything


def test_a_writer_that_dies_fails_the_calls_waiting_and_the_next_call_starts_a_new_one(tmp_path):
    saved = tmp_path / "batches.jsonl"

    async def work(trail: AuditTrail):
        first = trail.writer_pid
        waiting = asyncio.gather(*(trail.record(**event(number)) for number in range(3)), return_exceptions=True)
        await asyncio.sleep(0.3)  # the writer is in its two-second "flush"
        os.kill(first, signal.SIGKILL)
        failed = await waiting
        after = await _record(trail, range(10, 14))
        return first, failed, trail.writer_pid, after

    first, failed, second, after = with_trail(functools.partial(BatchFile, str(saved), pause=2.0), work)
    assert [str(result) for result in failed] == ["The audit trail's writer stopped."] * 3
    assert second is not None and second != first
    assert after == [None] * 4
    assert sorted(detail for batch in batches(saved) for detail in batch) == sorted(
        event(number)["detail"] for number in range(10, 14))


def test_while_a_new_writer_cannot_start_calls_are_refused_at_once_for_a_second(tmp_path, monkeypatch):
    async def work(trail: AuditTrail):
        monkeypatch.setattr(trail, "_open_store", unopenable)  # the database went away with the writer
        os.kill(trail.writer_pid, signal.SIGKILL)
        while trail.writer_pid is not None:
            await asyncio.sleep(0.01)
        tried = await _record(trail, [1])
        started = time.monotonic()
        refused = await _record(trail, [2])
        return tried, refused, time.monotonic() - started

    tried, refused, waited = with_trail(functools.partial(BatchFile, str(tmp_path / "b")), work)
    assert [str(result) for result in tried + refused] == ["The database could not be opened (the server is away)."] * 2
    assert waited < 0.2  # no new process was started for the second call


def test_ctrl_c_to_the_writer_is_ignored_and_closing_saves_every_event_sent(tmp_path):
    saved = tmp_path / "batches.jsonl"

    async def run():
        trail = AuditTrail(functools.partial(BatchFile, str(saved), pause=0.2))
        await trail.start()
        writer = trail.writer_pid
        os.kill(writer, signal.SIGINT)  # as a terminal's Ctrl-C reaches the whole group
        calls = [asyncio.ensure_future(trail.record(**event(number))) for number in range(20)]
        await asyncio.sleep(0)  # the events are sent, none saved yet
        await trail.close()
        return writer, await asyncio.gather(*calls, return_exceptions=True), trail.writer_pid

    writer, results, after = on_a_loop(run)
    assert results == [None] * 20 and after is None
    assert sorted(detail for batch in batches(saved) for detail in batch) == sorted(event(n)["detail"] for n in range(20))
    for _ in range(100):
        try:
            os.kill(writer, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the writer process is still running after close")


def test_every_event_arrives_in_the_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    with Store(url):
        pass  # created, as serve-cds does before it starts the writer
    assert with_trail(functools.partial(Store, url), lambda trail: _record(trail, range(20))) == [None] * 20
    with Store(url) as store:
        saved = store.audit_events(action=CDS_SCREENED_ACTION)
    assert sorted(item.detail for item in saved) == sorted(event(number)["detail"] for number in range(20))
    assert staff_texts.ACTIONS[CDS_SCREENED_ACTION] == "Screened answers for a booking or record system"


def test_the_service_answers_503_and_no_cards_when_the_audit_event_cannot_be_written(tmp_path):
    signer = rsa_signer()
    clients = load_clients(write_clients(tmp_path, [signer], []))
    base = "http://127.0.0.1:8502"
    trail = AuditTrail(functools.partial(BatchFile, str(tmp_path / "b"), fail=True))
    app = create_app(Settings(Authenticator(clients, clock=lambda: time.time() - 2), trail, base, timezone.utc))
    body = json.dumps(hook_call(searchset(questionnaire_response(healthy_answers())))).encode("utf-8")

    async def run():
        await trail.start()
        try:
            return await _asgi_post(app, SERVICE_PATH, signer.token(base + SERVICE_PATH), body)
        finally:
            await trail.close()

    status, answer = on_a_loop(run)
    assert status == 503
    assert answer == {"message": "The audit trail could not be written, so no screening was sent; try again."}


async def _asgi_post(app, path: str, token: str, body: bytes) -> tuple[int, dict]:
    """One POST through the ASGI application itself, as uvicorn would send it."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"127.0.0.1:8502"), (b"content-type", b"application/json"),
                         (b"authorization", f"Bearer {token}".encode()), (b"content-length", str(len(body)).encode())],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8502)}
    incoming = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict] = []

    async def receive():
        if incoming:
            return incoming.pop(0)
        await asyncio.Event().wait()  # the client stays connected

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    status = next(message["status"] for message in sent if message["type"] == "http.response.start")
    content = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return status, json.loads(content)
