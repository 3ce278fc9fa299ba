"""One question on screen: its words, the widget of its kind, and its message right below it.

Each widget gets its value back from the patient's answers when a step is drawn again
(Streamlit forgets the state of widgets that were not on screen), and every change is
copied back into those answers, which are the only record the wizard trusts.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

import streamlit as st

from app.answers import NONE, gate_name, offers_none
from screener.questionnaire import DATE_HINT, NONE_OF_THESE, VISUAL_GUIDES, YES_NO, Question, Step

EARLIEST_DATE = date(1900, 1, 1)


def widget_key(section: str, name: str, *parts: Any) -> str:
    return "-".join(("answer", section, name, *(str(part) for part in parts)))


def restore(key: str, value: Any) -> None:
    """Give a widget back its answer when it is drawn again (Streamlit dropped its state meanwhile)."""
    if key not in st.session_state:
        st.session_state[key] = value


def forget_problem(name: str) -> None:
    """A changed answer is no longer wrong until the next check."""
    st.session_state["problems"].pop(name, None)


def show_problem(problems: dict[str, str], name: str) -> None:
    if name in problems:
        st.error(problems[name], icon=":material/error:")


def heading(text: str, hint: str = "") -> None:
    st.markdown(f"**{text}**  \n:gray[{hint}]" if hint else f"**{text}**")


def _visual_guide(guide: tuple[tuple[str, float], ...]) -> None:
    """Bars as wide as the things the patient compares with, each with its words (our words only)."""
    rows = "".join(
        f'<div class="size-guide-row"><span class="size-guide-bar" style="height: {width}mm"></span>'
        f"<span>{escape(words)}</span></div>"
        for words, width in guide
    )
    st.html(f'<div class="size-guide" aria-hidden="true">{rows}</div>')


def _radio(key: str, label: str, options: dict, problem_name: str, horizontal: bool) -> None:
    st.radio(
        label,
        list(options),
        index=None,
        format_func=options.get,
        key=key,
        horizontal=horizontal,
        label_visibility="collapsed",
        on_change=forget_problem,
        args=(problem_name,),
    )


def _multi_options(step: Step, question: Question) -> dict[Any, str]:
    options = dict(question.choices)
    if offers_none(step, question):
        options[NONE] = NONE_OF_THESE
    return options


def _tick_one_kind(name: str, keys: dict[Any, str], changed: Any) -> None:
    """Ticking "None of these" clears the other choices, and ticking another choice clears it."""
    state = st.session_state
    if state.get(keys[changed]):
        for value, key in keys.items():
            if (value == NONE) != (changed == NONE):
                state[key] = False
    forget_problem(name)


def _draw_widget(step: Step, question: Question, raw: dict[str, Any]) -> None:
    section, name, kind = step.section, question.name, question.kind
    key = widget_key(section, name)
    if kind in ("choice", "skin_type", "yes_no"):
        options = YES_NO if kind == "yes_no" else question.choices
        restore(key, raw.get(name))
        _radio(key, question.text, options, name, horizontal=kind == "yes_no")
    elif kind == "multi":
        chosen = raw.get(name) or []
        keys = {value: widget_key(section, name, value) for value in _multi_options(step, question)}
        with st.container(gap=None):
            for value, label in _multi_options(step, question).items():
                restore(keys[value], value in chosen)
                st.checkbox(label, key=keys[value], on_change=_tick_one_kind, args=(name, keys, value))
    elif kind == "date":
        restore(key, raw.get(name))
        st.date_input(
            question.text, value=None, min_value=EARLIEST_DATE, max_value=st.session_state["today"], format="DD/MM/YYYY",
            key=key, label_visibility="collapsed", on_change=forget_problem, args=(name,),
        )
    elif kind == "number":
        restore(key, raw.get(name))
        field, unit = st.columns([1, 2], vertical_alignment="center")
        field.number_input(
            question.text, value=None, step=1.0, format="%g", key=key,
            label_visibility="collapsed", on_change=forget_problem, args=(name,),
        )
        unit.markdown(question.unit)
    elif kind == "text":
        restore(key, raw.get(name) or "")
        st.text_input(
            question.text, key=key, autocomplete="off", label_visibility="collapsed",
            on_change=forget_problem, args=(name,),
        )
    elif kind == "long_text":
        restore(key, raw.get(name) or "")
        st.text_area(question.text, key=key, label_visibility="collapsed", on_change=forget_problem, args=(name,))


def _collect_question(step: Step, question: Question, raw: dict[str, Any]) -> None:
    state, name = st.session_state, question.name
    if question.kind == "multi":
        keys = {value: widget_key(step.section, name, value) for value in _multi_options(step, question)}
        if any(key in state for key in keys.values()):
            raw[name] = [value for value, key in keys.items() if state.get(key)]
        return
    if question.kind == "long_text" and widget_key(step.section, name, "gate") in state:
        raw[gate_name(question)] = state[widget_key(step.section, name, "gate")]
    if widget_key(step.section, name) in state:
        raw[name] = state[widget_key(step.section, name)]


def collect(step: Step, raw: dict[str, Any]) -> None:
    """Copy what the step's widgets hold now into the patient's answers ``raw``."""
    for question in step.questions:
        _collect_question(step, question, raw)


def draw_question(step: Step, question: Question, raw: dict[str, Any], problems: dict[str, str]) -> None:
    """Draw one question of a step (when it is asked), keep its answer in ``raw``, show its problem."""
    if not question.is_asked(raw):
        return
    with st.container(key=widget_key(step.section, question.name, "question")):
        if question.kind == "long_text":
            gate_key = widget_key(step.section, question.name, "gate")
            heading(question.gate)
            restore(gate_key, raw.get(gate_name(question)))
            _radio(gate_key, question.gate, YES_NO, gate_name(question), horizontal=True)
            _collect_question(step, question, raw)
            show_problem(problems, gate_name(question))
            if raw.get(gate_name(question)) is not True:
                return
        hint = f"{DATE_HINT} {question.help}".strip() if question.kind == "date" else question.help
        heading(question.text, hint)
        if (step.section, question.name) in VISUAL_GUIDES:
            _visual_guide(VISUAL_GUIDES[step.section, question.name])
        _draw_widget(step, question, raw)
        _collect_question(step, question, raw)
        show_problem(problems, question.name)
