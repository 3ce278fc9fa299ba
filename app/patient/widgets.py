"""One question on screen: its words, the widget of its kind, and its message right below it.

Each widget gets its value back from the patient's answers when a step is drawn again
(Streamlit forgets the state of widgets that were not on screen), and every change is
copied back into those answers, which are the only record the wizard trusts.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

import streamlit as st
from babel.numbers import format_decimal

from app.patient.answers import (
    DATE_PARTS, NONE, bounds, chosen_unit, date_part_name, gate_name, month_names, offers_none, part_name,
    unit_name, units_of,
)
from screener.language.i18n import Words, babel_locale_name
from screener.clinical.models import text_limit
from screener.language.screens import DATE_PART_LABELS, PART_NAMES, UNIT_NAMES, UNIT_QUESTION
from screener.clinical.questionnaire import NONE_OF_THESE, STEPS, VISUAL_GUIDES, YES_NO, Question, Step
from screener.language.units import PART_SIZES

EARLIEST_YEAR = 1900
# The session-state keys of every widget holding a patient's answer (the consent's too).
ANSWER_KEYS = ("answer-", "consent-")


def translator() -> Words:
    """The patient's words, in the language of this session (English until one is chosen)."""
    return Words(st.session_state.get("language", "en"))


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
    """A question's words in bold and its help below (our words only: never the patient's)."""
    say = translator()
    st.markdown(f"**{say(text)}**  \n{say(hint)}" if hint else f"**{say(text)}**")


def _visual_guide(guide: tuple[tuple[str, float], ...]) -> None:
    """Bars as wide as the things the patient compares with, each with its words (our words only)."""
    say = translator()
    rows = "".join(
        f'<div class="size-guide-row"><span class="size-guide-bar" style="height: {width}mm"></span>'
        f"<span>{escape(say(text))}</span></div>"
        for text, width in guide
    )
    st.html(f'<div class="size-guide" aria-hidden="true">{rows}</div>')


def _radio(key: str, label: str, options: dict, problem_name: str, horizontal: bool) -> None:
    say = translator()
    st.radio(
        say(label),
        list(options),
        index=None,
        format_func=lambda option: say(options[option]),
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


def _fields(step: Step, question: Question) -> dict[str, str]:
    """Where each widget of a date, height or weight keeps its part in the answers → its widget key."""
    section, name = step.section, question.name
    if question.kind == "date":
        return {date_part_name(question, part): widget_key(section, name, part) for part in DATE_PARTS}
    fields = {part_name(question, unit, part): widget_key(section, name, *((unit, part) if unit != question.unit else ()))
              for unit, parts in units_of(question).items() for part in parts}
    return {unit_name(question): widget_key(section, name, "unit"), **fields} if fields else {}


def _date_choices(step: Step, question: Question, raw: dict[str, Any]) -> None:
    """Day, month by name and year as three choices: nothing typed, nothing silently changed or covered."""
    say, fields = translator(), _fields(step, question)
    given = raw.get(question.name)
    if given is not None and all(raw.get(name) is None for name in fields):
        raw.update({date_part_name(question, part): getattr(given, part) for part in DATE_PARTS})
    months = month_names(say)
    last_year = st.session_state["today"].year
    options = {
        "day": list(range(1, 32)),
        "month": list(months),
        "year": list(range(last_year, EARLIEST_YEAR - 1, -1)),
    }
    labels = {"month": months.get}
    for column, part in zip(st.columns([1, 2, 1.4]), DATE_PARTS):
        name = date_part_name(question, part)
        restore(fields[name], raw.get(name))
        column.selectbox(
            say(DATE_PART_LABELS[part]), options[part], index=None, key=fields[name], placeholder="",
            format_func=labels.get(part, str), on_change=forget_problem, args=(question.name,),
        )


def _measure(step: Step, question: Question, raw: dict[str, Any]) -> None:
    """A height or weight in the unit the patient chooses, one box per part (feet and inches)."""
    say, fields = translator(), _fields(step, question)
    units = units_of(question)
    restore(fields[unit_name(question)], chosen_unit(question, raw))
    st.radio(
        say(UNIT_QUESTION), list(units), key=fields[unit_name(question)], horizontal=True,
        format_func=lambda unit: say(UNIT_NAMES[unit]), on_change=forget_problem, args=(question.name,),
    )
    unit = st.session_state[fields[unit_name(question)]]
    locale = babel_locale_name(say.language)
    for column, part in zip(st.columns(3), units[unit]):
        name = part_name(question, unit, part)
        restore(fields[name], raw.get(name))
        column.number_input(
            say(PART_NAMES[part]), value=None, step=1.0, format="%g", key=fields[name],
            placeholder=format_decimal(0, locale=locale), on_change=forget_problem, args=(question.name,),
        )


def measure_ranges() -> dict[str, dict[str, Any]]:
    """What the page needs to tell, while a height or weight is typed, whether the server will accept it.

    By the key of each height and weight question: its range in the stored unit (the model's own
    bounds) and, by widget key, the size in that unit of what each box holds (an inch is 2.54 cm),
    all as exact decimals. Static: the same for every patient.
    """
    return {widget_key(step.section, question.name, "question"): _measure_range(step, question)
            for step in STEPS for question in step.questions if units_of(question)}


def _measure_range(step: Step, question: Question) -> dict[str, Any]:
    fields, (low, high) = _fields(step, question), bounds(step, question)
    sizes = {fields[part_name(question, unit, part)]: _exact(PART_SIZES[part])
             for unit, parts in units_of(question).items() for part in parts}
    return {"low": _exact(low), "high": _exact(high), "sizes": sizes}


def _exact(number: Any) -> str:
    """A number as a plain decimal ("30.48", never "3.048E+1")."""
    return format(Decimal(str(number)), "f")


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
                st.checkbox(translator()(label), key=keys[value], on_change=_tick_one_kind, args=(name, keys, value))
    elif kind == "date":
        _date_choices(step, question, raw)
    elif kind == "number":
        _measure(step, question, raw)
    elif kind == "text":
        restore(key, raw.get(name) or "")
        st.text_input(
            translator()(question.text), key=key, autocomplete="off", label_visibility="collapsed",
            max_chars=typing_limit(step.section, name), on_change=forget_problem, args=(name,),
        )
    elif kind == "long_text":
        restore(key, raw.get(name) or "")
        st.text_area(translator()(question.text), key=key, label_visibility="collapsed",
                     max_chars=typing_limit(step.section, name), on_change=forget_problem, args=(name,))


def typing_limit(section: str, name: str) -> int:
    """How much a text box takes: twice the answer's limit, so the plain "use at most" message still
    shows for an overlong answer (with room for spaces around it), while nothing larger reaches the server."""
    return 2 * text_limit(section, name)


def _collect_question(step: Step, question: Question, raw: dict[str, Any]) -> None:
    state, name = st.session_state, question.name
    if question.kind == "multi":
        keys = {value: widget_key(step.section, name, value) for value in _multi_options(step, question)}
        if any(key in state for key in keys.values()):
            raw[name] = [value for value, key in keys.items() if state.get(key)]
        return
    if question.kind == "long_text" and widget_key(step.section, name, "gate") in state:
        raw[gate_name(question)] = state[widget_key(step.section, name, "gate")]
    for field, key in _fields(step, question).items():
        if key in state:
            raw[field] = state[key]
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
        heading(question.text, question.help)
        if (step.section, question.name) in VISUAL_GUIDES:
            _visual_guide(VISUAL_GUIDES[step.section, question.name])
        _draw_widget(step, question, raw)
        _collect_question(step, question, raw)
        show_problem(problems, question.name)
