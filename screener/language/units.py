"""Heights and weights in the units patients know, converted exactly to the contract's cm and kg.

An inch is exactly 2.54 cm and a pound exactly 0.45359237 kg (the international yard and
pound, 1959), so every conversion is exact in decimal arithmetic. How we round:

- The range check runs on the exact value, against the model's own bounds (50–250 cm,
  20–350 kg): 50 cm entered in any unit is accepted and 49.99 cm in any unit is refused.
- The stored number is the exact value as a float: nothing is rounded but the binary
  representation (a relative 1e-16), so no rounding can move a BMI across 30.0. Since a
  float rounds to nearest and the bounds are whole numbers, an exact value inside the
  bounds stays inside them, and the model agrees with the check.
- The range a message names in another unit is rounded inwards to whole units (20 kg is
  44.09 lb, so "from 45 lb"), so every value the message invites is accepted.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Mapping, Optional

CM_PER_INCH = Decimal("2.54")
KG_PER_POUND = Decimal("0.45359237")
INCHES_PER_FOOT = 12
POUNDS_PER_STONE = 14

# Each part of an entry, by name: its size in the stored unit.
PART_SIZES: dict[str, Decimal] = {
    "cm": Decimal(1),
    "feet": CM_PER_INCH * INCHES_PER_FOOT,
    "inches": CM_PER_INCH,
    "kg": Decimal(1),
    "stones": KG_PER_POUND * POUNDS_PER_STONE,
    "pounds": KG_PER_POUND,
}
# The units a patient may choose for each stored unit, with the parts each is typed in (largest first).
ENTRY_UNITS: dict[str, dict[str, tuple[str, ...]]] = {
    "cm": {"cm": ("cm",), "ft_in": ("feet", "inches")},
    "kg": {"kg": ("kg",), "st_lb": ("stones", "pounds"), "lb": ("pounds",)},
}


class NotANumber(ValueError):
    """A part of an entry that is not a finite, non-negative number."""


def _decimal(value: object) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise NotANumber(str(value)) from exc
    if not number.is_finite() or number < 0:
        raise NotANumber(str(value))
    return number


def to_stored(unit: str, parts: Mapping[str, object]) -> Optional[Decimal]:
    """The exact value in the stored unit of an entry in ``unit``; None when no part is given.

    A part left empty beside a given one counts as 0 (5 ft and no inches is 5 ft 0 in).
    Raises NotANumber for a negative or non-finite part.
    """
    names = _parts_of(unit)
    given = {name: parts[name] for name in names if parts.get(name) is not None}
    if not given:
        return None
    return sum((_decimal(value) * PART_SIZES[name] for name, value in given.items()), Decimal(0))


def _parts_of(unit: str) -> tuple[str, ...]:
    return next(parts[unit] for parts in ENTRY_UNITS.values() if unit in parts)


def split(unit: str, stored: float) -> dict[str, float]:
    """A stored value in the parts of ``unit``, for showing it back (the smallest part keeps decimals)."""
    names = _parts_of(unit)
    exact = _decimal(stored)
    if len(names) == 1:
        return {names[0]: float(exact / PART_SIZES[names[0]])}
    large, small = names
    in_small = exact / PART_SIZES[small]
    per_large = PART_SIZES[large] / PART_SIZES[small]
    whole = int(in_small // per_large)
    return {large: float(whole), small: float(in_small - whole * per_large)}


def whole_range(unit: str, low: float, high: float) -> tuple[dict[str, int], dict[str, int]]:
    """The stored range ``low``–``high`` in ``unit``, rounded inwards to whole smallest parts."""
    names = _parts_of(unit)
    small = PART_SIZES[names[-1]]
    smallest = math.ceil(_decimal(low) / small)
    largest = math.floor(_decimal(high) / small)
    return _whole_parts(names, smallest), _whole_parts(names, largest)


def _whole_parts(names: tuple[str, ...], count: int) -> dict[str, int]:
    if len(names) == 1:
        return {names[0]: count}
    large, small = names
    per_large = int(PART_SIZES[large] / PART_SIZES[small])
    return {large: count // per_large, small: count % per_large}
