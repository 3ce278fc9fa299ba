"""One tablet, many patients: each starts blank, and an abandoned session is cleared.

Everything of a patient lives in this session's ``st.session_state`` and nowhere else,
so clearing it (after submission, or after ``idle`` seconds without a touch) leaves
nothing for the next person, and two tablets never share anything.
"""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

WELCOME = "welcome"
THANKS = "thanks"
# How often an open page asks whether it has been abandoned, at most.
LONGEST_CHECK_SECONDS = 30.0


def _fresh(screen: str, languages: tuple[str, ...]) -> dict[str, Any]:
    return {
        "screen": screen,
        # The languages the clinic offers, and this patient's: the first until the patient chooses.
        "languages": languages,
        "language": languages[0],
        "answers": {},
        "consent": {},
        "problems": {},
        "return_to_review": False,
        "save_failed": None,
        # Where the page scrolls when it is next drawn: (a counter of such moves, "top" or "problem").
        "scroll": (0, "top"),
        "last_activity": time.monotonic(),
        "text_size": "standard",
        # A returning visit (opened with a visit code): the opening, the last visit's answers, and per step
        # whether the patient said something changed; the code screen's last message.
        "visit": None,
        "previous": {},
        "changed": {},
        "code_problem": None,
        # The consent to treatment (after the review): asked unless a returning patient has a current one.
        "consent_needed": True,
        "treatment_consent": {"read": [], "questions": "", "decision": None, "signature": None},
    }


def reset(screen: str = WELCOME) -> None:
    """Forget this session entirely (answers, widget values, messages) and show ``screen``.

    The text size and language chosen stay for the thank-you the same patient reads, and go with
    the rest when the tablet is reset for the next person (back to the first language offered)."""
    state = st.session_state
    languages = state.get("languages") or ("en",)
    kept = {name: state[name] for name in ("text_size", "language") if name in state} if screen == THANKS else {}
    for key in list(state.keys()):
        del state[key]
    state.update(_fresh(screen, languages))
    state.update(kept)


def abandoned() -> bool:
    """Whether this session has gone untouched for longer than the idle time."""
    state = st.session_state
    idle_seconds, last_activity = state.get("idle_seconds"), state.get("last_activity")
    return idle_seconds is not None and last_activity is not None and time.monotonic() - last_activity > idle_seconds


def begin_run(idle_seconds: float, languages: tuple[str, ...] = ("en",)) -> None:
    """At the start of every full run: set up a new session, clear an abandoned one, note the touch.

    ``languages`` are the clinic's, in order: a new or cleared session starts in the first."""
    state = st.session_state
    state["idle_seconds"] = idle_seconds
    state["languages"] = languages
    if "screen" not in state or abandoned():
        reset()
        state["idle_seconds"] = idle_seconds
    state["last_activity"] = time.monotonic()


def _clear_when_abandoned() -> None:
    state = st.session_state
    holds_something = state.get("screen") != WELCOME or state.get("answers") or state.get("consent")
    if holds_something and abandoned():
        reset()
        st.rerun()


def watch_idle(idle_seconds: float) -> None:
    """Check in the background, while the page is open, whether the patient walked away."""
    every = min(LONGEST_CHECK_SECONDS, max(1.0, idle_seconds / 4))
    st.fragment(_clear_when_abandoned, run_every=every)()
