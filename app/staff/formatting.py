"""How the staff area writes times, ids and labels; plain functions, tested without Streamlit."""

from __future__ import annotations

import re
import string
from datetime import date, datetime, tzinfo
from typing import Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.staff import staff_texts
from screener.clinical.questionnaire import DECISION_LABELS
from screener.language.formats import long_date

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
URGENT_BADGE = ("red", ":material/emergency:")
STATUS_BADGES = {"pending": ("gray", ":material/schedule:"), "reviewed": ("violet", ":material/task_alt:")}

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
    """``9 March 1984``: unambiguous in any country, and the one English date of the PDF and the answers."""
    return long_date(value, "en")


def moment(value: datetime, zone: tzinfo, now: datetime) -> str:
    """A time in ``zone``: ``Today, 09:30`` or ``21 November 2026, 09:30``."""
    local = value.astimezone(zone)
    when = staff_texts.TODAY if local.date() == now.astimezone(zone).date() else day(local.date())
    return f"{when}, {local:%H:%M}"


def short_id(record_id: Optional[str]) -> str:
    """The first eight characters of a record id: enough to tell records apart on screen."""
    return (record_id or "")[:8]


def names(labels: dict, values) -> str:
    return ", ".join(labels.get(value, value) for value in values)


_OLD_LISTING = re.compile(r"decision=(?P<decision>[a-z_]+); status=(?P<status>[a-z_]+); "
                          r"name search=(?P<search>yes|no); page (?P<page>\d+)")


def listing_detail(decision: Optional[str], status: Optional[str], name_searched: bool, page: int) -> str:
    """What a listing of the queue showed, in words (never the name searched for: that is patient data)."""
    return staff_texts.LISTING_DETAIL.format(
        decision=DECISION_LABELS[decision] if decision else staff_texts.ALL_DECISIONS,
        status=staff_texts.STATUS_LABELS[status] if status else staff_texts.ANY_STATUS,
        search=staff_texts.NAME_SEARCHED if name_searched else staff_texts.NO_NAME_SEARCH, page=page)


def detail_in_words(detail: str) -> str:
    """An audit detail as staff read it; listings recorded before details were in words are reworded."""
    old = _OLD_LISTING.fullmatch(detail or "")
    if old is None:
        return detail
    decision, status = old["decision"], old["status"]
    if decision not in (*DECISION_LABELS, "any") or status not in (*staff_texts.STATUS_LABELS, "any"):
        return detail
    return listing_detail(None if decision == "any" else decision, None if status == "any" else status,
                          old["search"] == "yes", int(old["page"]))
