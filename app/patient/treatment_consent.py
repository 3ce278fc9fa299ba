"""The consent to the treatment on the tablet, after the review: each part with "I have read this", a box for
questions and the patient's decision; then, on the signature screen, a signature drawn with a finger.

What the patient gives is kept in ``st.session_state["treatment_consent"]`` (never only in widget keys, which
Streamlit drops), so Back, a language switch or a failed save loses nothing. It is asked of every patient but
a returning one whose countersigned consent is on today's wording (``needed``).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

from html import escape

import streamlit as st

from app.patient import widgets
from app.patient.signature_pad import signature_pad
from app.patient.signing import png_of, treatment_consent_problems
from screener.clinical import consent as words
from screener.clinical.models import Intake
from screener.language.i18n import Words
from screener.storage import Store

DECISION_KEY, QUESTIONS_KEY, SIGNATURE_KEY = "tc-decision", "tc-questions", "tc-signature"
MAX_QUESTIONS = 2000


def say() -> Words:
    return Words(st.session_state.get("language", "en"), "consent")


def _heading(text: str, hint: str = "") -> None:
    """A question's words in bold and its help below (already in the patient's language; our words only)."""
    st.markdown(f"**{text}**  \n{hint}" if hint else f"**{text}**")


def _state() -> dict[str, Any]:
    return st.session_state.setdefault("treatment_consent", {"read": [], "questions": "", "decision": None,
                                                              "signature": None})


def needed(store: Store) -> bool:
    """Whether this patient signs the consent today: always, but for a returning patient (opened with a visit
    code) who already has a countersigned consent on today's wording."""
    visit = st.session_state.get("visit")
    if visit is None or not getattr(visit, "patient_id", None):
        return True
    return store.consents.standing(visit.patient_id) != "valid"


def _tick(group: str) -> None:
    state, ticked = _state(), st.session_state[f"tc-read-{group}"]
    state["read"] = [key for key in state["read"] if key != group] + ([group] if ticked else [])
    widgets.forget_problem("tc-read")


def _keep(name: str, key: str) -> None:
    _state()[name] = st.session_state[key]
    widgets.forget_problem(f"tc-{name}")


def collect() -> None:
    """Copy what is on screen into the kept consent (before leaving the screen)."""
    state = _state()
    for name, key in (("decision", DECISION_KEY), ("questions", QUESTIONS_KEY)):
        if key in st.session_state:
            state[name] = st.session_state[key]


def draw(intake: Optional[Intake], on: date, problems: dict[str, str]) -> None:
    """The consent's parts, the fitted paragraphs, the questions box and the decision."""
    text, state = say(), _state()
    st.write(text(words.INTRO))
    fitted = words.fitted_paragraphs(intake, on) if intake is not None else {}
    for group in words.GROUPS:
        with st.container(border=True, key=f"tc-group-{group.key}", gap="small"):
            st.subheader(text(group.title), anchor=False)
            for paragraph in group.paragraphs:
                st.write(text(paragraph))
            if fitted.get(group.key):
                st.markdown(f"**{text(words.FITTED_LEAD)}**")
                for paragraph in fitted[group.key]:
                    st.write(text(paragraph))
            key = f"tc-read-{group.key}"
            widgets.restore(key, group.key in state["read"])
            st.checkbox(text(words.READ), key=key, on_change=_tick, args=(group.key,))
    widgets.show_problem(problems, "tc-read")
    _heading(text(words.QUESTIONS_LABEL))
    widgets.restore(QUESTIONS_KEY, state["questions"])
    st.text_area(text(words.QUESTIONS_LABEL), key=QUESTIONS_KEY, max_chars=MAX_QUESTIONS, label_visibility="collapsed",
                 on_change=_keep, args=("questions", QUESTIONS_KEY))
    _heading(text(words.CHOICE_LABEL))
    widgets.restore(DECISION_KEY, state["decision"])
    st.radio(text(words.CHOICE_LABEL), list(words.CHOICES), index=None, key=DECISION_KEY,
             format_func=lambda choice: text(words.CHOICES[choice]), label_visibility="collapsed",
             on_change=_keep, args=("decision", DECISION_KEY))
    widgets.show_problem(problems, "tc-decision")


def problems_of_choices() -> dict[str, str]:
    """What keeps the consent's first screen from being complete, in the patient's words (the signature
    comes on the next screen)."""
    kept = _state()
    return {name: message for name, message in treatment_consent_problems(kept, st.session_state.get("language", "en"))
            .items() if name != "tc-signature"}


def _keep_signature(value: Optional[str]) -> None:
    """Keep what the pad last sent: "" (its Clear) forgets the signature, a new drawing replaces it."""
    state = _state()
    if value == "":
        state["signature"] = None
    elif value is not None and png_of(value) is not None and value != state.get("signature"):
        state["signature"] = value
        widgets.forget_problem("tc-signature")


def collect_signature() -> None:
    """Keep the pad's value before signing: a stroke and a tap on "Sign and send" can arrive in the same
    rerun, whose callback runs before the pad is drawn again (and would find no signature yet)."""
    _keep_signature(st.session_state.get(SIGNATURE_KEY))


def draw_signature(problems: dict[str, str]) -> None:
    """The pad to sign with a finger. The signature drawn is kept as soon as the pad sends it; a pad drawn
    again (after Back) starts blank, so the kept one is shown beside it, and drawing again replaces it."""
    text, state = say(), _state()
    _heading(text(words.SIGNATURE_HEADING), text(words.SIGNATURE_HELP))
    value = signature_pad(text(words.SIGNATURE), text(words.CLEAR_SIGNATURE), st.session_state.get("language", "en"),
                          key=SIGNATURE_KEY)
    _keep_signature(value)
    if state.get("signature") and value is None:
        st.html(f'<img class="kept-signature" src="{state["signature"]}" alt="{escape(text(words.SIGNATURE))}">')
    widgets.show_problem(problems, "tc-signature")
