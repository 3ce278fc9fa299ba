"""Reading an intake from JSON text or bytes, with every problem in plain words."""

from __future__ import annotations

from datetime import date
from typing import Optional, Union

from pydantic import ValidationError

from .errors import InvalidIntake, Problem, problems_from
from .models import Intake


def parse_intake(source: Union[str, bytes], as_of: Optional[date] = None) -> Intake:
    """Validate intake JSON (UTF-8, a leading BOM accepted) against ``as_of`` (default today).

    Raises :class:`InvalidIntake` listing every problem as ``dotted.path: message``.
    """
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidIntake([Problem("", f"The file is not UTF-8 text (byte {exc.start}).")]) from None
    source = source.removeprefix("\ufeff")
    try:
        return Intake.model_validate_json(source, context={"as_of": as_of or date.today()})
    except ValidationError as exc:
        raise InvalidIntake(problems_from(exc)) from None
