"""Each CDS call on the audit trail before its cards leave, written by a process of its own.

A call waits until its event is committed: cards are never sent for a call the trail does not
hold. The events go over a socket pair to a writer process, which takes every event waiting and
saves them in one transaction, so under load each disk flush (SQLite's ``synchronous=FULL``)
covers a batch instead of one call, and then answers how many it saved (or why it could not).
The database work, SQLAlchemy's included, is then done beside the service's event loop instead
of taking turns with it for one interpreter: the loop only writes and reads a few bytes a call.

The writer ignores Ctrl-C, which a terminal sends to the whole group: the service then stops it
in order, once it has saved every event it was sent (it also stops when the service has gone).
If it stops otherwise (SIGTERM or SIGKILL to it, a crash), the calls waiting are told, the
service answers them 503 and sends no cards, and the next call starts a new writer. An event
saved just before such a stop may have no cards sent for it: the trail can hold a call the caller
was refused, never the other way round. Both ends are this code: the frames are pickles over a
private socket pair.
"""

from __future__ import annotations

import asyncio
import collections
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
from pathlib import Path
from typing import Callable, Optional

from ..storage import StorageError, Store

_HEADER = struct.Struct("!I")
_READY = "ready"
_STOP = None
_NOT_STARTED = "not started"
_START_TIMEOUT_S = 60
_STOP_TIMEOUT_S = 60
_RETRY_AFTER_S = 1.0
_WRITER_STOPPED = "The audit trail's writer stopped"


class AuditTrail:
    """Group commit of audit events to the store ``open_store()`` opens, in a writer process.

    ``open_store`` is called in the writer, so it must be picklable (a class, a module's function or
    a ``functools.partial`` of them). :meth:`start`, :meth:`record` and :meth:`close` are awaited
    on one event loop.
    """

    def __init__(self, open_store: Callable[[], Store]):
        self._open_store = open_store
        self._process: Optional[_Writer] = None
        self._channel: Optional[_Channel] = None
        self._starting: Optional[asyncio.Lock] = None
        self._refusing: Optional[tuple[float, StorageError]] = None  # after a failed restart: until when, and why

    async def start(self) -> None:
        """Start the writer and wait until its store is open; StorageError if it cannot be."""
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair()
        try:
            process = _Writer(theirs)
        finally:
            theirs.close()
        ours.sendall(_frame((list(sys.path), pickle.dumps(self._open_store, protocol=pickle.HIGHEST_PROTOCOL))))
        _transport, channel = await loop.create_unix_connection(_Channel, sock=ours)
        try:
            await asyncio.wait_for(asyncio.shield(channel.ready), _START_TIMEOUT_S)
        except BaseException as failed:
            channel.close()
            process.kill()
            await asyncio.to_thread(process.join, _STOP_TIMEOUT_S)
            if isinstance(failed, asyncio.TimeoutError):
                raise StorageError(f"The audit trail's writer did not start within {_START_TIMEOUT_S} s.") from None
            raise
        self._process, self._channel = process, channel

    @property
    def writer_pid(self) -> Optional[int]:
        """The writer process's id while it runs (for the service's log, and tests)."""
        return self._process.pid if self._process is not None and self._process.is_alive() else None

    async def record(self, **event) -> None:
        """Append one event (``Store.record_event``'s keywords); returns once it is committed, raises if it was not."""
        if self._channel is None or self._channel.stopped or not self._process.is_alive():
            await self._restart()
        await self._channel.send(event)

    async def close(self) -> None:
        """Save what is waiting, then stop the writer (killed if it has not stopped within a minute)."""
        channel, process = self._channel, self._process
        self._channel = self._process = None
        if channel is not None and not channel.stopped:
            channel.stop()
            try:
                await asyncio.wait_for(asyncio.shield(channel.closed), _STOP_TIMEOUT_S)
            except asyncio.TimeoutError:
                channel.close()
        if process is not None:
            await asyncio.to_thread(process.join, _STOP_TIMEOUT_S)
            if process.is_alive():
                process.kill()
                await asyncio.to_thread(process.join, _STOP_TIMEOUT_S)

    async def _restart(self) -> None:
        """A new writer in place of one that stopped. After a failed start, calls are refused for
        :data:`_RETRY_AFTER_S` without trying again, so a database that is away is not asked once a call."""
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self._channel is not None and not self._channel.stopped and self._process.is_alive():
                return  # another call restarted it while this one waited
            loop = asyncio.get_running_loop()
            if self._refusing is not None and loop.time() < self._refusing[0]:
                raise StorageError(str(self._refusing[1]))
            if self._channel is not None and not self._channel.stopped:
                self._channel.close()  # the calls still waiting on it are told it stopped
            if self._process is not None:
                self._process.kill()  # it stopped talking: whatever it still does is not this service's
                await asyncio.to_thread(self._process.join, _STOP_TIMEOUT_S)
                self._process = None
            try:
                await self.start()
            except StorageError as failed:
                self._refusing = (loop.time() + _RETRY_AFTER_S, failed)
                raise
            self._refusing = None


class _Writer:
    """The writer process: ``python -m screener.cds.audit FD``, its end of the socket pair passed as FD.

    A command of its own rather than multiprocessing's spawn, which runs the parent's main module
    again in the child: what that module is depends on who started the service (a test runner's
    bootstrap file, say), and the writer must not depend on it."""

    def __init__(self, channel: socket.socket):
        project = str(Path(__file__).resolve().parents[2])  # where ``screener`` is, wherever the service started
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [project, os.environ.get("PYTHONPATH")]))}
        self._popen = subprocess.Popen([sys.executable, "-m", "screener.cds.audit", str(channel.fileno())],
                                       pass_fds=[channel.fileno()], stdin=subprocess.DEVNULL, env=environment)

    @property
    def pid(self) -> int:
        return self._popen.pid

    def is_alive(self) -> bool:
        return self._popen.poll() is None

    def kill(self) -> None:
        if self.is_alive():
            self._popen.kill()

    def join(self, timeout: float) -> None:
        try:
            self._popen.wait(timeout)
        except subprocess.TimeoutExpired:
            pass


class _Channel(asyncio.Protocol):
    """The service's end of the socket pair: events out, one future each; the writer's counts back."""

    def __init__(self):
        loop = asyncio.get_running_loop()
        self.ready = loop.create_future()
        self.closed = loop.create_future()
        self.stopped = False
        self._transport: Optional[asyncio.Transport] = None
        self._waiting: collections.deque[asyncio.Future] = collections.deque()
        self._received = bytearray()

    def connection_made(self, transport) -> None:
        self._transport = transport

    async def send(self, event: dict) -> None:
        saved = asyncio.get_running_loop().create_future()
        self._waiting.append(saved)
        self._transport.write(_frame(event))
        await saved

    def stop(self) -> None:
        """Ask the writer to save what it holds and stop; it closes its end when done."""
        self.stopped = True
        self._transport.write(_frame(_STOP))

    def close(self) -> None:
        self.stopped = True
        self._transport.close()

    def data_received(self, data: bytes) -> None:
        self._received += data
        for message in _frames(self._received):
            if message == _READY:
                self.ready.set_result(None)
                continue
            if message[0] == _NOT_STARTED:
                self.ready.set_exception(StorageError(message[1]))
                continue
            count, failure = message
            for _ in range(count):
                _settle(self._waiting.popleft(), failure)

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self.stopped = True
        if not self.ready.done():
            self.ready.set_exception(StorageError("The audit trail's writer could not start."))
        while self._waiting:
            _settle(self._waiting.popleft(), f"{_WRITER_STOPPED}.")
        if not self.closed.done():
            self.closed.set_result(None)


def _settle(saved: asyncio.Future, failure: Optional[str]) -> None:
    if saved.done():  # the call was cancelled (its client went away) while its event was saved
        return
    if failure is None:
        saved.set_result(None)
    else:
        saved.set_exception(StorageError(failure))


def _frame(message) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload)) + payload


def _frames(buffer: bytearray) -> list:
    """The whole messages at the start of ``buffer``, which keeps what follows them."""
    messages, at = [], 0
    while len(buffer) - at >= _HEADER.size:
        (size,) = _HEADER.unpack_from(buffer, at)
        if len(buffer) - at - _HEADER.size < size:
            break
        messages.append(pickle.loads(buffer[at + _HEADER.size:at + _HEADER.size + size]))
        at += _HEADER.size + size
    del buffer[:at]
    return messages


def _write_events(channel: socket.socket) -> None:
    """The writer process: learn where to import from and how to open the store (the service's first
    message), open it, then save each run of events waiting, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with channel:
        received = bytearray()
        while not (first := _frames(received)):
            data = channel.recv(1 << 16)
            if not data:
                return
            received += data
        path, opener = first[0]
        sys.path[:] = path
        try:
            store = pickle.loads(opener)()
        except Exception as exc:
            channel.sendall(_frame((_NOT_STARTED, _reason(exc, "The audit trail could not be opened"))))
            return
        with store:
            try:
                channel.sendall(_frame(_READY))
                _save_until_stopped(channel, store, received)
            except OSError:  # BrokenPipe and the like: the service has gone, there is no one to answer
                return


def _save_until_stopped(channel: socket.socket, store: Store, received: bytearray) -> None:
    while True:
        data = channel.recv(1 << 16)
        if not data:
            return  # the service has gone; everything it sent has been saved
        received += data
        channel.setblocking(False)
        try:  # everything else already waiting joins this batch
            while more := channel.recv(1 << 16):
                received += more
        except BlockingIOError:
            pass
        finally:
            channel.setblocking(True)
        events = _frames(received)
        stopping = _STOP in events
        events = [event for event in events if event is not _STOP]
        failure: Optional[str] = None
        try:
            store.record_events(events)
        except Exception as exc:
            failure = _reason(exc, "The audit records could not be saved")
        channel.sendall(_frame((len(events), failure)))
        if stopping:
            return


def _reason(exc: Exception, failed: str) -> str:
    """A StorageError's own words (they name no patient); any other failure by its kind alone, as
    its message could quote what it was given."""
    return str(exc) if isinstance(exc, StorageError) else f"{failed} ({type(exc).__name__})."


if __name__ == "__main__":
    _write_events(socket.socket(fileno=int(sys.argv[1])))
