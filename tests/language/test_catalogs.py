"""The patient catalogs (issue 13): every word a patient reads, in every shipped language.

- Every message of the template is translated in every shipped language, with the same
  named placeholders, and the template is current with the words (``i18n check``).
- The extraction finds the words where they are declared (steps, questions, help,
  choices, screen texts, validation messages) and no clinician-only words.
- The check fails on a stale template, a missing translation and a changed placeholder.
- A model's English validation message reaches the patient in their language, with
  numbers in its conventions; one the wizard cannot cause becomes a plain "check this".
- Dates, numbers and units follow the language's conventions.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from pydantic import ValidationError

from screener.language import catalogs
from screener.clinical import questionnaire
from screener.language import screens
from screener.language.catalogs import (
    DOMAIN, TEMPLATE, check, extract_messages, placeholders, read_catalog, translated_languages,
)
from screener.clinical.errors import Problem, problems_from
from screener.language.formats import long_date, month_names, number, number_with_unit
from screener.language.i18n import LANGUAGE_NAMES, Words, catalog_path
from screener.clinical.models import Consent, Patient, Symptoms
from screener.language.patient_messages import CHECK_THIS_ANSWER, VALIDATION_MESSAGES, patient_message

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = translated_languages()


def test_the_shipped_languages_are_spanish_and_simplified_chinese_beside_english():
    assert list(LANGUAGE_NAMES) == ["en", "es", "zh-Hans"] and LANGUAGES == ["es", "zh-Hans"]


def test_the_catalogs_are_complete_and_current():
    assert check() == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(language):
    catalog = read_catalog(catalog_path(language, DOMAIN), language)
    words = Words(language)
    for message in extract_messages():
        entry = catalog[message.id]
        assert entry is not None and entry.string and not entry.fuzzy, message.id
        english = message.id if isinstance(message.id, str) else message.id[-1]
        assert placeholders(entry.string if isinstance(entry.string, str) else entry.string[-1]) == placeholders(english)
        if isinstance(message.id, str) and placeholders(english) == set():
            assert words(message.id) == entry.string, "the app reads the catalog's words"


def test_extraction_finds_every_kind_of_patient_text():
    found = {message.id for message in extract_messages()}
    step = questionnaire.STEP_BY_SECTION["allergies"]
    lidocaine = step.question("lidocaine")
    other = step.question("other")
    expected = {step.title, step.intro, lidocaine.text, other.gate, other.help, questionnaire.CONSENT_STATEMENT,
                screens.WELCOME_TEXT, screens.PRIVACY_TEXT, screens.THANK_YOU_TEXT,
                screens.NEXT_BUTTON, screens.PROGRESS_TEXT, questionnaire.NOT_GIVEN,
                *questionnaire.FITZPATRICK_TYPES.values(), *questionnaire.YES_NO.values(),
                questionnaire.VISUAL_GUIDES[("veins", "largest_vein")][0][0], *VALIDATION_MESSAGES.values()}
    assert expected <= found
    clinician_only = {*questionnaire.DECISION_LABELS.values(), *questionnaire.SEVERITY_LABELS.values()}
    assert not clinician_only & found, "the clinician side stays in English; no translator time on it"


def test_extraction_collects_plurals_as_one_entry(monkeypatch):
    from screener.language.i18n import Plural

    monkeypatch.setattr(questionnaire, "DAYS_AGO", Plural("{count} day ago", "{count} days ago"), raising=False)
    assert ("{count} day ago", "{count} days ago") in {message.id for message in extract_messages()}


@pytest.fixture
def locale_copy(tmp_path, monkeypatch):
    """The catalogs copied aside, so a test may break them."""
    copy = tmp_path / "locale"
    shutil.copytree(catalogs.LOCALE_DIR, copy)
    monkeypatch.setattr(catalogs, "LOCALE_DIR", copy)
    monkeypatch.setattr(catalogs, "TEMPLATE", copy / TEMPLATE.name)
    monkeypatch.setattr(catalogs, "catalog_path", lambda language, domain: copy / language / "LC_MESSAGES" / f"{domain}.po")
    return copy


def _edit(path: Path, language: str, change) -> None:
    catalog = read_catalog(path, language)
    change(catalog)
    with path.open("wb") as out:
        write_po(out, catalog)


def test_the_check_names_a_stale_template_and_extract_adds_the_new_message_untranslated(locale_copy, monkeypatch):
    monkeypatch.setattr(screens, "NEXT_BUTTON", "Carry on")
    assert any("patient.pot is stale" in problem for problem in catalogs.check())
    catalogs.extract()
    problems = catalogs.check()
    assert problems == [f"{language}: 'Carry on' is not translated" for language in LANGUAGES]
    with (locale_copy / "es" / "LC_MESSAGES" / "patient.po").open("rb") as po:
        assert "Next" not in read_po(po), "a message no longer used leaves the catalog"


def test_extract_twice_changes_nothing(locale_copy):
    assert catalogs.extract() == []


def test_the_check_names_a_changed_placeholder_and_a_fuzzy_translation(locale_copy):
    spanish = locale_copy / "es" / "LC_MESSAGES" / "patient.po"

    def break_it(catalog):
        catalog[screens.PROGRESS_TEXT].string = "Paso {numero} de {total}: {title}"
        catalog[screens.NEXT_BUTTON].flags.add("fuzzy")

    _edit(spanish, "es", break_it)
    assert catalogs.check() == [
        "es: 'Step {number} of {total}: {title}': the placeholders must be {number}, {title}, {total}, as in English",
        "es: 'Next' is marked fuzzy (check the translation, then remove the mark)",
    ]


def test_the_check_command_passes_on_the_shipped_catalogs():
    done = subprocess.run([sys.executable, "-m", "screener", "i18n", "check"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == ""


def test_the_check_command_lists_the_problems_and_fails_in_one_line(locale_copy, capsys):
    from screener.cli import main

    (locale_copy / "zh-Hans" / "LC_MESSAGES" / "patient.po").unlink()
    assert main(["i18n", "check"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("zh-Hans: no catalog at ") and out.rstrip().endswith("run: python -m screener i18n extract")
    assert err == "i18n check: 1 problem in the patient catalogs (listed above)\n"


def _errors(model, data) -> list[Problem]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data, context={"as_of": date(2026, 11, 21)})
    return problems_from(raised.value)


MODEL_PROBLEMS = {
    "missing": (Symptoms, {}),
    "too_short": (Patient, {"full_name": " ", "date_of_birth": "2030-01-01", "sex_at_birth": "female", "height_cm": 20.0}),
    "too_long_and_old": (Patient, {"full_name": "x" * 201, "date_of_birth": "1800-01-01", "sex_at_birth": "female",
                                   "weight_kg": 400.0}),
    "controls": (Patient, {"full_name": "A\x07", "date_of_birth": "1990-02-30", "sex_at_birth": "female",
                           "height_cm": 170.0}),
    "consent": (Consent, {"answers_confirmed": False, "signature": "A", "signed_at": "2026-11-21T10:00:00"}),
}


@pytest.mark.parametrize("case", MODEL_PROBLEMS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_models_messages_reach_the_patient_in_their_language(case, language):
    words = Words(language)
    for problem in _errors(*MODEL_PROBLEMS[case]):
        shown = patient_message(problem, words)
        assert shown != words(CHECK_THIS_ANSWER), f"{problem.message!r} is not in VALIDATION_MESSAGES"
        assert shown != problem.message


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_problem_the_wizard_finds_in_blank_or_wrong_answers_is_translated(language):
    from app.patient.answers import gate_name, step_problems

    words = Words(language)
    wrong = {"full_name": "\u200b", "date_of_birth": date(2030, 1, 1), "height_cm": 20.0}
    for step in questionnaire.STEPS:
        gates = {gate_name(question): True for question in step.questions if question.kind == "long_text"}
        for raw in ({}, wrong if step.section == "patient" else gates):
            english = step_problems(step, raw, date(2026, 11, 21))
            shown = step_problems(step, raw, date(2026, 11, 21), words)
            assert shown.keys() == english.keys()
            for name, message in english.items():
                assert shown[name] not in (words(CHECK_THIS_ANSWER), message), f"{step.section}.{name}: {message!r}"


def test_numbers_in_a_message_follow_the_patients_conventions():
    at_least = Problem("patient.height_cm", "Must be at least 50.5.", "greater_than_equal", {"ge": 50.5})
    assert patient_message(at_least, Words("es")) == "Debe ser al menos 50,5."
    too_long = Problem("medications.other", "Use at most 2000 characters (this has 2150).", "text_too_long",
                       {"limit": 2000, "length": 2150})
    assert patient_message(too_long, Words("zh-Hans")) == "最多 2,000 个字（现在有 2,150 个）。"
    at_most = Problem("patient.height_cm", "Must be at most 250.", "less_than_equal", {"le": 250})
    assert patient_message(at_most, Words("en")) == "Must be at most 250."


def test_a_message_the_wizard_cannot_cause_is_never_shown_in_english():
    [unknown] = _errors(Symptoms, {"leg_symptoms": [], "skin_changes": [], "bleeding_vein": False, "nickname": "x"})
    assert unknown.code == "extra_forbidden"
    assert patient_message(unknown, Words("es")) == "Revise esta respuesta, por favor."


def test_a_problem_is_worded_from_its_code_and_parameters_not_from_its_english():
    """The wizard never reads the model's English: the same code and parameters give the same words."""
    reworded = Problem("patient.height_cm", "Anything at all.", "greater_than_equal", {"ge": 50})
    assert patient_message(reworded, Words("es")) == "Debe ser al menos 50."
    assert patient_message(Problem("veins.areas", "Choose at least one."), Words("es")) == "Revise esta respuesta, por favor."


def test_the_models_english_messages_are_unchanged_for_the_cli():
    [problem] = _errors(Consent, {"answers_confirmed": False, "signature": "A", "signed_at": "2026-11-21T10:00:00"})
    assert problem.message == "Please confirm that your answers are true and complete."


@pytest.mark.parametrize("language, birth, march", [
    ("en", "9 March 1984", "March"), ("es", "9 de marzo de 1984", "marzo"), ("zh-Hans", "1984年3月9日", "三月")])
def test_dates_are_long_and_unambiguous_in_the_patients_language(language, birth, march):
    assert long_date(date(1984, 3, 9), language) == birth
    months = month_names(language)
    assert list(months) == list(range(1, 13)) and months[3] == march


@pytest.mark.parametrize("language, height, weight", [
    ("en", "172.5 cm", "1,234.5"), ("es", "172,5 cm", "1.234,5"), ("zh-Hans", "172.5厘米", "1,234.5")])
def test_numbers_and_units_follow_the_patients_language(language, height, weight):
    assert number_with_unit(172.5, "cm", language) == height
    assert number(1234.5, language) == weight


def test_an_unknown_unit_is_refused_rather_than_assembled():
    with pytest.raises(ValueError, match="furlong"):
        number_with_unit(1, "furlong", "es")


def test_every_unit_the_questionnaire_uses_is_formatted_by_babel():
    from screener.language.formats import CLDR_UNITS

    units = {question.unit for step in questionnaire.STEPS for question in step.questions if question.unit}
    assert units and units <= set(CLDR_UNITS)


def test_a_plural_is_translated_through_the_catalog_and_its_count_checked(locale_copy, monkeypatch):
    from screener.language.i18n import Plural

    days = Plural("{count} day ago", "{count} days ago")
    monkeypatch.setattr(questionnaire, "DAYS_AGO", days, raising=False)
    catalogs.extract()
    spanish, chinese = (locale_copy / language / "LC_MESSAGES" / "patient.po" for language in ("es", "zh-Hans"))
    _edit(spanish, "es", lambda catalog: setattr(catalog[tuple(days)], "string", ("hace un día", "hace {count} días")))
    _edit(chinese, "zh-Hans", lambda catalog: setattr(catalog[tuple(days)], "string", ("几天前",)))
    assert catalogs.check() == ["zh-Hans: '{count} day ago': the placeholders must be {count}, as in English"]
