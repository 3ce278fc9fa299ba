"""Driving the patient wizard through AppTest as a patient would: helpers for tests and the benchmark."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest
from streamlit.testing.v1 import AppTest

from app.patient.answers import DATE_PARTS, NONE, implied_answers, offers_none
from app.patient.widgets import widget_key
from screener.clinical.questionnaire import STEPS, Question, Step

APP = Path(__file__).resolve().parents[2] / "streamlit_app.py"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A fresh data folder for the app under test, and no settings from the environment."""
    for name in ("SCREENER_DATABASE_URL", "SCREENER_IDLE_MINUTES", "SCREENER_TIMEZONE", "SCREENER_LANGUAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SCREENER_DATA_DIR", str(tmp_path))
    return tmp_path


def new_app() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=30)


def widget(at: AppTest, kind: str, key: str):
    """The widget of ``kind`` with ``key`` on screen now, or None."""
    return next((element for element in getattr(at, kind) if element.key == key), None)


def screen(at: AppTest) -> str:
    return at.session_state["screen"]


def click(at: AppTest, key: str) -> AppTest:
    return at.button(key=key).click().run()


def start(at: AppTest, language: Optional[str] = None) -> AppTest:
    """From a fresh app past the welcome, after tapping ``language``'s button when one is given."""
    at.run()
    if language is not None:
        click(at, f"language-{language}")
    return click(at, "start")


def elements_under(node) -> Iterator:
    yield node
    children = getattr(node, "children", None) or {}
    for child in (children.values() if isinstance(children, dict) else children):
        yield from elements_under(child)


def question_block(at: AppTest, section: str, name: str) -> Optional[list]:
    """The elements drawn for one question (its words, widget and message), in order; None when not asked."""
    key = widget_key(section, name, "question")
    block = next((node for node in elements_under(at.main)
                  if getattr(node, "key", None) == key and node.type == "flex_container"), None)
    return None if block is None else list(block.children.values())


def date_shown(at: AppTest, section: str, name: str) -> Optional[date]:
    """The date the three choices of a date question show now; None unless all three are chosen."""
    parts = [widget(at, "selectbox", widget_key(section, name, part)).value for part in DATE_PARTS]
    return None if None in parts else date(*reversed(parts))


def errors_under(at: AppTest, section: str, name: str) -> list[str]:
    return [element.value for element in question_block(at, section, name) or [] if element.type == "error"]


def _widget_value(question: Question, value: Any) -> Any:
    if question.kind == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    if question.kind == "number" and value is not None:
        return float(value)
    return value


def _answer(at: AppTest, step: Step, question: Question, value: Any) -> bool:
    """Give one answer if its widget is on screen; whether the answer is now complete."""
    key = widget_key(step.section, question.name)
    value = _widget_value(question, value)
    if question.kind == "multi":
        choices = value or ([NONE] if offers_none(step, question) else [])
        boxes = [widget(at, "checkbox", widget_key(step.section, question.name, choice)) for choice in choices]
        for box in boxes:
            if box is not None:
                box.check()
        return bool(boxes) and None not in boxes
    if question.kind == "long_text":
        text = widget(at, "text_area", key)
        if value and text is not None:
            text.input(value)
            return True
        gate = widget(at, "radio", widget_key(step.section, question.name, "gate"))
        if gate is not None:
            gate.set_value(bool(value))
        return gate is not None and not value
    if question.kind == "date":
        parts = [widget(at, "selectbox", widget_key(step.section, question.name, part)) for part in DATE_PARTS]
        for part, box in zip(DATE_PARTS, parts):
            if box is not None and value is not None:
                box.set_value(getattr(value, part))
        return None not in parts
    kinds = {"text": "text_input", "number": "number_input"}
    element = widget(at, kinds.get(question.kind, "radio"), key)
    if element is not None:
        element.input(value) if question.kind == "text" else element.set_value(value)
    return element is not None


def fill_step(at: AppTest, step: Step, values: dict[str, Any], not_asked: frozenset[str] = frozenset()) -> None:
    """Answer every question of ``step`` from intake data, follow-ups once they appear; those named in
    ``not_asked`` are not on screen."""
    pending = [question for question in step.questions if question.is_asked(values) and question.name not in not_asked]
    for _ in range(4):
        pending = [question for question in pending if not _answer(at, step, question, values.get(question.name))]
        at.run()
        if not pending:
            return
    assert not pending, f"not on screen: {[question.name for question in pending]}"


def walk_to_review(at: AppTest, intake: dict[str, dict[str, Any]], language: Optional[str] = None) -> AppTest:
    """From a fresh app to the review page, answering every step from intake data (in ``language``)."""
    start(at, language)
    for step in STEPS:
        assert screen(at) == step.section, (screen(at), at.session_state["problems"])
        fill_step(at, step, intake[step.section], frozenset(implied_answers(step, {"patient": intake["patient"]})))
        click(at, "forward")
    assert screen(at) == "review", at.session_state["problems"]
    return at


def agree_to_treatment(at: AppTest, decision: str = "agreed", questions: str = "") -> AppTest:
    """On the consent to treatment: tick every part as read, ask ``questions``, choose ``decision``, go on."""
    from screener.clinical.consent import GROUPS

    for group in GROUPS:
        at.checkbox(key=f"tc-read-{group.key}").check()
    if questions:
        at.text_area(key="tc-questions").input(questions)
    at.radio(key="tc-decision").set_value(decision)
    return click(at.run(), "forward")


def to_signature(at: AppTest, decision: str = "agreed", questions: str = "") -> AppTest:
    """From the review: on through the consent to treatment (when asked) to the signature screen, the
    signature drawn (the pad's value as the browser sends it)."""
    from factories import SIGNATURE_DATA_URL

    click(at, "forward")
    if screen(at) == "treatment-consent":
        agree_to_treatment(at, decision, questions)
        at.session_state["treatment_consent"]["signature"] = SIGNATURE_DATA_URL
    assert screen(at) == "consent", at.session_state["problems"]
    return at


def sign(at: AppTest, signature: str, decision: str = "agreed", questions: str = "") -> AppTest:
    """From the review: on through the consent to treatment (when asked) to the signature, confirm, type the
    name, draw the signature (the pad's value as the browser sends it) and send."""
    to_signature(at, decision, questions)
    at.checkbox(key="consent-answers_confirmed").check()
    at.text_input(key="consent-signature").input(signature)
    return click(at.run(), "forward")
