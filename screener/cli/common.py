"""What every command shares: bad input as problems, the assessment date, input read with a limit,
UTF-8 on standard output, a report file private to its owner, who acts (for the audit trail)."""

from __future__ import annotations

import argparse
import getpass
import io
import os
import re
import sys
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Iterator, Optional

from ..clinical.errors import Problem, ScreenerError
from ..clinical.intake import MAX_INTAKE_BYTES, parse_intake
from ..clinical.models import Intake

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1
MAX_PROBLEMS_SHOWN = 50


class BadInput(ScreenerError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(map(str, problems)))


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would exit; we report like any other bad input
        raise BadInput([Problem("", f"{message} (see: python -m screener --help)")])


def parse_as_of(text: Optional[str]) -> date:
    if text is None:
        return date.today()
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput([Problem("--as-of", f"Enter a date as YYYY-MM-DD, not {text!r}.")]) from None


def read_input(file: str, limit: int = MAX_INTAKE_BYTES) -> bytes:
    """The bytes of ``file`` (``-``: standard input), at most one past ``limit`` (an intake's by
    default), so an endless or huge input ends at once and its reader refuses it by its size."""
    if file == "-":
        return _read_standard_input(limit)
    try:
        with open(file, "rb") as stream:
            return stream.read(limit + 1)
    except FileNotFoundError:
        raise BadInput([Problem(file, "No such file.")]) from None
    except IsADirectoryError:
        raise BadInput([Problem(file, "This is a folder, not a file.")]) from None
    except OSError as exc:
        raise BadInput([Problem(file, f"Cannot be read ({exc.strerror}).")]) from None


def _read_standard_input(limit: int) -> bytes:
    if sys.stdin is None:  # Python's stand-in when the process was started with it closed
        raise BadInput([Problem("-", "Standard input is closed; pipe the intake in or give a file.")])
    try:
        return sys.stdin.buffer.read(limit + 1)
    except (OSError, ValueError) as exc:  # ValueError: a stream Python already considers closed
        raise BadInput([Problem("-", f"Standard input cannot be read ({getattr(exc, 'strerror', None) or exc}).")]) from None


def read_intake(args: argparse.Namespace) -> tuple[Intake, date]:
    as_of = parse_as_of(args.as_of)
    return parse_intake(read_input(args.file), as_of), as_of


def write_stdout(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def actor() -> str:
    """Who runs a command, as the audit trail names them: ``cli:<operating-system user>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return f"cli:uid {os.getuid()}"


@contextmanager
def private_output(path: Optional[str]) -> Iterator[IO[str]]:
    """Standard output, or a new file only its owner can read that replaces ``path`` once
    the report is whole: a failed run leaves no partial report behind."""
    if path is None:
        sys.stdout.flush()
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")  # UTF-8 whatever the locale
        try:
            yield out
        finally:
            out.flush()
            out.detach()
        return
    target = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise ScreenerError(f"{path}: cannot be written ({exc.strerror}).") from None
    try:
        with open(handle, "w", encoding="utf-8", newline="") as out:  # mkstemp made it 0600
            yield out
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
