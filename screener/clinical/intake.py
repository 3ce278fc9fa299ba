"""Reading an intake from JSON text or bytes, with every problem in plain words."""

from __future__ import annotations

import json
from datetime import date
from typing import Iterator, Optional, Union

from pydantic import ValidationError

from .errors import InvalidIntake, Problem, problems_from
from .models import Intake

REPEATED_KEY = "This answer is given more than once; give it once."
# A complete intake with every free text at its longest is under 8 KB of UTF-8; this is far
# above that and far below a size whose parsing costs noticeable time or memory.
MAX_INTAKE_BYTES = 256 * 1024
TOO_LARGE = (f"The intake is larger than {MAX_INTAKE_BYTES // 1024} KB ({MAX_INTAKE_BYTES:,} bytes), "
             "the most accepted; a complete intake is a few KB.")


def too_large(source: Union[str, bytes]) -> bool:
    """Whether ``source`` is over :data:`MAX_INTAKE_BYTES` as UTF-8 (a reader may stop one byte past it)."""
    if len(source) > MAX_INTAKE_BYTES:
        return True
    return isinstance(source, str) and len(source.encode("utf-8", "surrogatepass")) > MAX_INTAKE_BYTES


def parse_intake(source: Union[str, bytes], as_of: Optional[date] = None) -> Intake:
    """Validate intake JSON (UTF-8, a leading BOM accepted) against ``as_of`` (default today).

    Raises :class:`InvalidIntake` listing every problem as ``dotted.path: message``; a key
    given twice in one object is one of them (JSON parsers silently keep the last). Input over
    :data:`MAX_INTAKE_BYTES` is refused unread, as the one problem at ``input``.
    """
    if too_large(source):
        raise InvalidIntake([Problem("input", TOO_LARGE)])
    source = decode_text(source)
    intake, problems = _validated(source, as_of)
    if problems and problems[0].message.startswith("This is not valid JSON"):
        raise InvalidIntake(problems)
    repeated = [Problem(path, REPEATED_KEY) for path in repeated_keys(source)]
    if repeated or problems:
        raise InvalidIntake(repeated + problems)
    return intake


def intake_from_data(data: dict, as_of: Optional[date] = None) -> Intake:
    """As :func:`parse_intake`, from an intake a reader has built as a dict (so no key in it can be
    repeated, and looking for one would only cost time): validated as the same JSON would be."""
    source = json.dumps(data, ensure_ascii=False)
    if too_large(source):
        raise InvalidIntake([Problem("input", TOO_LARGE)])
    intake, problems = _validated(source, as_of)
    if problems:
        raise InvalidIntake(problems)
    return intake


def _validated(source: str, as_of: Optional[date]) -> tuple[Optional[Intake], list[Problem]]:
    try:
        return Intake.model_validate_json(source, context={"as_of": as_of or date.today()}), []
    except ValidationError as exc:
        return None, problems_from(exc)


def decode_text(source: Union[str, bytes]) -> str:
    """UTF-8 text without a leading byte order mark; InvalidIntake when it is not UTF-8."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidIntake([Problem("", f"The file is not UTF-8 text (byte {exc.start}).")]) from None
    return source.removeprefix("\ufeff")


class _Object(dict):
    """A JSON object that remembers which of its keys were given more than once."""

    repeated: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, object]]) -> _Object:
    parsed = _Object(pairs)
    if len(parsed) != len(pairs):
        seen: set[str] = set()
        parsed.repeated = tuple(dict.fromkeys(key for key, _ in pairs if key in seen or seen.add(key)))
    return parsed


def repeated_keys(text: str) -> list[str]:
    """The dotted path of every key given twice in one object of valid JSON ``text``."""
    try:
        parsed = json.loads(text, object_pairs_hook=_object, parse_constant=float)
    except ValueError:  # pydantic's parser accepted it; nothing more to find here
        return []
    return list(_repeated_in(parsed, ()))


def _repeated_in(node: object, path: tuple) -> Iterator[str]:
    if isinstance(node, _Object):
        yield from (".".join(map(str, (*path, key))) for key in node.repeated)
        for key, value in node.items():
            yield from _repeated_in(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _repeated_in(value, (*path, index))
