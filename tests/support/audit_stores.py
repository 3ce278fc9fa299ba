"""Stand-in stores for the CDS audit trail's writer, which opens its store in a process of its own:
so they live in a module that process can import, and say what they saw in a file the test reads."""

from __future__ import annotations

import json
import time
from pathlib import Path

from screener.storage import StorageError


class BatchFile:
    """Saves nothing: appends the size of each batch to ``path`` as one line, after ``pause`` seconds (a
    disk flush); or, with ``fail``, raises as a full disk would."""

    def __init__(self, path: str, fail: bool = False, pause: float = 0.02):
        self.path, self.fail, self.pause = Path(path), fail, pause

    def record_events(self, events) -> None:
        time.sleep(self.pause)
        if self.fail:
            raise StorageError("The audit records could not be saved (the disk is full).")
        with self.path.open("a", encoding="utf-8") as saved:
            saved.write(json.dumps([event["detail"] for event in events]) + "\n")

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        pass


def batches(path: Path) -> list[list[str]]:
    """The details of each batch ``BatchFile`` saved, in order."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def unopenable() -> BatchFile:
    raise StorageError("The database could not be opened (the server is away).")


def crashing_open() -> BatchFile:
    raise RuntimeError("a message that might quote something it was given")
