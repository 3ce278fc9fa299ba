"""How the staff area writes times, ids and labels; plain functions, tested without Streamlit."""

from __future__ import annotations

import re
import string
from datetime import date, datetime, tzinfo
from typing import Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.staff import words

# Streamlit badge colour and icon beside the words, so no meaning rests on colour alone.
DECISION_BADGES = {
    "not_eligible": ("red", ":material/block:"),
    "clinician_review": ("orange", ":material/warning:"),
    "eligible_with_precautions": ("blue", ":material/info:"),
    "eligible": ("green", ":material/check_circle:"),
}
SEVERITY_BADGES = {
    "absolute": ("red", ":material/block:"),
    "relative": ("orange", ":material/warning:"),
    "precaution": ("blue", ":material/info:"),
}
STATUS_BADGES = {"pending": ("gray", ":material/schedule:"), "reviewed": ("violet", ":material/task_alt:")}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MARKDOWN_SPECIAL = re.compile(f"([{re.escape(string.punctuation)}])")  # CommonMark escapes any of them


def literal_markdown(text: str) -> str:
    """``text`` for ``st.markdown`` with every punctuation mark escaped, so nothing in it is markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def zone_named(name: Optional[str]) -> tzinfo:
    """The browser's time zone by its IANA name; the server's own zone when unknown."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return datetime.now().astimezone().tzinfo


def day(value: date) -> str:
    """``9 Mar 1984``: unambiguous in any country."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def moment(value: datetime, zone: tzinfo, now: datetime) -> str:
    """A time in ``zone``: ``Today, 09:30`` or ``21 Nov 2026, 09:30``."""
    local = value.astimezone(zone)
    when = words.TODAY if local.date() == now.astimezone(zone).date() else day(local.date())
    return f"{when}, {local:%H:%M}"


def short_id(record_id: Optional[str]) -> str:
    """The first eight characters of a record id: enough to tell records apart on screen."""
    return (record_id or "")[:8]


def names(labels: dict, values) -> str:
    return ", ".join(labels.get(value, value) for value in values)
