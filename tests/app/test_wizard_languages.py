"""The wizard in the patient's language (issue 13), walked with Streamlit's AppTest.

- A walk in Spanish and one in Chinese store the same intake as an English walk with the
  same answers, with the language, the wording version and the consent in the words shown.
- No patient-visible English is on any screen of a Spanish or Chinese walk: every screen's
  text is compared with the English catalog's strings (welcome, every step empty with its
  messages and filled, wrong dates and heights, review, consent with its messages, thank-you).
- Switching language mid-walk keeps every answer, a half-typed text and a date or unit half
  entered too, and words the messages on screen again in the new language.
- The tablet returns to the first offered language after submission and after idling.
"""

from __future__ import annotations

import re
import time
from datetime import date
from html.parser import HTMLParser

import pytest

from app.patient.answers import implied_answers
from app.patient.widgets import widget_key
from factories import everything_answers, healthy_answers
from screener.clinical.consent import consent_messages
from screener.language.catalogs import extract_messages
from screener.language.i18n import LANGUAGE_NAMES, Words
from screener.clinical.questionnaire import CONSENT_STATEMENT, STEP_BY_SECTION, STEPS
from screener.language.screens import DATE_INCOMPLETE, THANK_YOU_TITLE, WELCOME_TITLE
from screener.storage import Store
from factories import SIGNATURE_DATA_URL
from screener.language.wording import WORDING_VERSION
from wizard_driver import (  # data_dir is a fixture
    agree_to_treatment, click, data_dir, date_shown, elements_under, errors_under, fill_step, new_app, screen, sign,
    start, walk_to_review,
    widget,
)

TEXT_FIELDS = ("label", "body", "options", "text", "content", "placeholder", "help")
# English words that are also the words of another language ("No", "cm") are not evidence of English.
SHORTEST_FRAGMENT = 8


@pytest.fixture
def store(data_dir):
    with Store(Store.default_url(data_dir)) as opened:
        yield opened


class _Text(HTMLParser):
    """The words an html element shows: not its scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def _strings(message) -> list[str]:
    found = []
    for field, value in message.ListFields():
        if field.message_type is not None:
            for item in (value if field.is_repeated else [value]):
                found += _strings(item)
        elif field.name in TEXT_FIELDS:
            found += [item for item in (value if field.is_repeated else [value]) if isinstance(item, str)]
    return found


def screen_texts(at) -> list[str]:
    """Every text a patient can see on the screen now: words, labels, choices, messages, html text."""
    texts = []
    for node in elements_under(at.main):
        proto = getattr(node, "proto", None)
        if node.type == "html":
            parser = _Text()
            parser.feed(proto.body)
            texts += parser.parts
        elif proto is not None and hasattr(proto, "ListFields"):
            texts += [text.replace("**", "") for text in _strings(proto)]
    return [text for text in texts if text.strip()]


def english_left(language: str, texts: list[str]) -> list[str]:
    """The English strings of the patient's and the consent's catalogs (those the language words otherwise)
    found in ``texts``."""
    found = []
    patient, consent = Words(language), Words(language, "consent")
    catalogs = [(patient, message.id) for message in extract_messages()] + [(consent, text) for text in consent_messages()]
    for words, message_id in catalogs:
        for english in ([message_id] if isinstance(message_id, str) else message_id):
            if words(english) == english and isinstance(message_id, str):
                continue  # the same word in both languages
            # whole words only: "Intersex" is not English inside "Intersexual"
            fragments = [re.compile(rf"(?<!\w){re.escape(part.strip())}(?!\w)")
                         for part in re.split(r"\{\w+\}", english) if len(part.strip()) >= SHORTEST_FRAGMENT]
            whole = re.compile("".join(re.escape(part) if index % 2 == 0 else ".+"
                                       for index, part in enumerate(re.split(r"\{(\w+)\}", english))))
            for text in texts:
                if whole.fullmatch(text) or any(fragment.search(text) for fragment in fragments):
                    found.append(f"{english!r} in {text!r}")
    return found


def walk_and_sign(at, answers, language, check_screen=lambda at, where: None):
    """A whole walk in ``language``: each step first sent empty (its messages), then answered; the patient
    step first with an impossible date and a height out of range; the consent first sent unsigned."""
    at.run()
    click(at, f"language-{language}")
    check_screen(at, "welcome")
    click(at, "start")
    for step in STEPS:
        click(at, "forward")
        check_screen(at, f"{step.section}, empty")
        if step.section == "patient":
            for part, value in (("day", 30), ("month", 2), ("year", 1990)):
                widget(at, "selectbox", widget_key("patient", "date_of_birth", part)).set_value(value)
            widget(at, "number_input", widget_key("patient", "height_cm")).set_value(20.0)
            click(at.run(), "forward")
            check_screen(at, "patient, wrong date and height")
        fill_step(at, step, answers[step.section], frozenset(implied_answers(step, {"patient": answers["patient"]})))
        check_screen(at, f"{step.section}, answered")
        click(at, "forward")
    assert screen(at) == "review", at.session_state["problems"]
    check_screen(at, "review")
    click(at, "forward")
    assert screen(at) == "treatment-consent"
    click(at, "forward")
    check_screen(at, "consent to treatment, nothing ticked")
    agree_to_treatment(at)
    at.session_state["treatment_consent"]["signature"] = SIGNATURE_DATA_URL
    click(at, "forward")
    check_screen(at, "consent, unsigned")
    at.checkbox(key="consent-answers_confirmed").check()
    at.text_input(key="consent-signature").input("Alex Example")
    click(at.run(), "forward")
    assert screen(at) == "thanks", at.session_state["problems"]
    check_screen(at, "thanks")
    return at


def test_walks_in_spanish_and_chinese_store_the_english_walks_intake_and_show_no_english(data_dir, store):
    answers = everything_answers()
    english_seen: dict[str, list[str]] = {}

    def no_english(language):
        def check(at, where):
            assert not at.exception, where
            left = english_left(language, screen_texts(at))
            english_seen[f"{language} {where}"] = left
        return check

    for language in ("en", "es", "zh-Hans"):
        check = no_english(language) if language != "en" else (lambda at, where: None)
        walk_and_sign(new_app(), answers, language, check)
    assert {where: left for where, left in english_seen.items() if left} == {}
    screens = 2 * len(STEPS) + 6
    assert len(english_seen) == 2 * screens, "welcome, two per step, wrong answers, review, consent to treatment, consent, thanks"

    records = {record.capture.language: record for record in
               (store.get_submission(summary.id) for summary in store.list_submissions())}
    assert sorted(records) == ["en", "es", "zh-Hans"]
    english = records["en"].intake.model_dump(exclude={"consent": {"signed_at"}})
    for language, record in records.items():
        assert record.intake.model_dump(exclude={"consent": {"signed_at"}}) == english, language
        assert record.assessment.model_dump(exclude={"assessed_on"}) == records["en"].assessment.model_dump(
            exclude={"assessed_on"})
        assert record.capture.wording_version == WORDING_VERSION
        assert record.capture.consent_statement == Words(language)(CONSENT_STATEMENT)


def test_the_english_check_finds_english_left_on_a_spanish_screen():
    assert english_left("es", ["Siguiente", "Please choose the day, the month and the year."])
    assert english_left("es", ["Step 2 of 13: Sobre usted"]), "a message with placeholders filled"
    assert english_left("es", ["Please enter your height in centimetres, between 50 cm and 250 cm. Gracias"])
    assert english_left("es", ["Siguiente", "No", "cm", "Alex Example", "Intersexual"]) == []


def test_switching_language_mid_walk_keeps_every_answer_and_rewords_the_messages(data_dir):
    at = start(new_app())
    key = lambda *parts: widget_key("patient", *parts)  # noqa: E731 - a short local spelling
    at.text_input(key=key("full_name")).input("Zoë 王")
    widget(at, "selectbox", key("date_of_birth", "day")).set_value(9)
    widget(at, "selectbox", key("date_of_birth", "month")).set_value(3)
    at.radio(key=key("height_cm", "unit")).set_value("ft_in")
    at.run()
    widget(at, "number_input", key("height_cm", "ft_in", "feet")).set_value(5.0)
    click(at.run(), "forward")
    assert errors_under(at, "patient", "date_of_birth") == [DATE_INCOMPLETE]

    at.selectbox(key="language-control").set_value("es").run()
    spanish = Words("es")
    assert at.text_input(key=key("full_name")).value == "Zoë 王", "typed, never sent with Next"
    chosen = [widget(at, "selectbox", key("date_of_birth", part)).value for part in ("day", "month", "year")]
    assert chosen == [9, 3, None]
    assert widget(at, "selectbox", key("date_of_birth", "month")).format_func(3) == "marzo"
    assert at.radio(key=key("height_cm", "unit")).value == "ft_in"
    assert widget(at, "number_input", key("height_cm", "ft_in", "feet")).value == 5.0
    assert errors_under(at, "patient", "date_of_birth") == [spanish(DATE_INCOMPLETE)]

    at.radio(key=key("height_cm", "unit")).set_value("cm").run()
    fill_step(at, STEPS[0], healthy_answers()["patient"])
    for step in STEPS[1:]:
        click(at, "forward")
        if step.section == "allergies":
            break
        fill_step(at, step, healthy_answers()[step.section])
    other = STEP_BY_SECTION["allergies"].questions[-1]
    assert other.kind == "long_text"
    at.radio(key=widget_key("allergies", other.name, "gate")).set_value(True).run()
    at.text_area(key=widget_key("allergies", other.name)).input("látex <guantes>")
    at.selectbox(key="language-control").set_value("zh-Hans").run()
    assert at.text_area(key=widget_key("allergies", other.name)).value == "látex <guantes>", "typed, never sent"
    assert at.radio(key=widget_key("allergies", other.name, "gate")).value is True

    for _ in range(STEPS.index(STEP_BY_SECTION["allergies"])):
        click(at, "back")
    assert screen(at) == "patient" and at.session_state["language"] == "zh-Hans"
    assert at.text_input(key=key("full_name")).value == "Alex Example"
    born = date.fromisoformat(healthy_answers()["patient"]["date_of_birth"])
    assert date_shown(at, "patient", "date_of_birth") == born


def test_a_problem_on_screen_is_worded_again_in_the_new_language(data_dir):
    at = start(new_app(), "es")
    click(at, "forward")
    spanish = {name: message for name, message in at.session_state["problems"].items()}
    at.selectbox(key="language-control").set_value("zh-Hans").run()
    chinese = at.session_state["problems"]
    assert chinese.keys() == spanish.keys() and chinese
    assert all(chinese[name] != spanish[name] for name in chinese)
    assert errors_under(at, "patient", "full_name") == [chinese["full_name"]]


def test_after_submission_the_tablet_returns_to_the_first_offered_language(data_dir, store):
    at = sign(walk_to_review(new_app(), healthy_answers(), "zh-Hans"), "Alex Example")
    assert screen(at) == "thanks" and Words("zh-Hans")(THANK_YOU_TITLE) in at.title.values, "thanked in their words"
    click(at, "next-patient")
    assert screen(at) == "welcome" and at.session_state["language"] == "en"
    assert WELCOME_TITLE in at.title.values


def test_after_idling_the_tablet_returns_to_the_first_offered_language(data_dir, monkeypatch):
    monkeypatch.setenv("SCREENER_LANGUAGES", "es,en")
    at = new_app().run()
    assert at.session_state["language"] == "es" and Words("es")(WELCOME_TITLE) in at.title.values
    assert [button.label for button in at.button if button.key.startswith("language-")] == ["Español", "English"]
    click(at, "language-en")
    click(at, "start")
    assert at.session_state["language"] == "en"
    at.session_state["last_activity"] = time.monotonic() - 601
    at.run()
    assert screen(at) == "welcome" and at.session_state["language"] == "es"


def test_one_offered_language_shows_no_language_choice(data_dir, monkeypatch):
    monkeypatch.setenv("SCREENER_LANGUAGES", "zh-Hans")
    at = start(new_app())
    assert at.session_state["language"] == "zh-Hans"
    assert not [button for button in at.button if button.key.startswith("language-")]
    assert widget(at, "selectbox", "language-control") is None
    assert LANGUAGE_NAMES["zh-Hans"] not in [element.label for element in at.selectbox]
