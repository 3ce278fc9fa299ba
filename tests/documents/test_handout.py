"""The patient's take-home sheet (issues 16 and 20), as a patient and a clinician rely on it.

- Whatever the answers, in every language, it says what microsclerotherapy is, how the
  sessions go, what is normal afterwards and the aftercare as a checklist.
- Its warning signs come in two boxes on page one, in this order, each sign as SCREENING.md
  lists it: "Call the emergency number now" (chest pain, stroke and anaphylaxis signs),
  then "Call the clinic today". A patient with stroke symptoms reads "call the emergency
  number". The emergency number is printed (112 unless the clinic sets another), and the
  clinic's phone, or a line to write it on when it is not set.
- Each note fitted to the patient appears exactly when its answer was given, and not
  otherwise; it comes from the answers, never from the decision.
- It never speaks of the verdict: no decision word, flag title, rule id, excluded agent
  or technique.
- The English reads at or below a US grade 8 (Flesch-Kincaid); the Spanish as plainly.
- Every message is translated in both catalogs with the same placeholders; dates are
  written in the patient's language, in its one long format.
- A note's threshold is its rule's, read from the rule's declaration.
- The same inputs give the same bytes; fonts are embedded; no name, signature, date of
  birth or free text is on it; the metadata names no one. One or two pages, as images
  too, and from the command line, which takes the two numbers from the settings and
  refuses a number that is not one (exit 2, ``VARIABLE: message``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import string
import subprocess
import sys
from datetime import date, timedelta
from functools import lru_cache
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from pypdf import PdfReader

from factories import AS_OF, everything_answers, healthy_answers, intake_of, with_answer
from screener import assess, render_handout
from screener.documents.handout import (
    CLINIC, EMERGENCY, FITTED_HEADING, FITTED_NOTES, NOTE, PHONE_BLANK, SECTIONS, SESSION_TOO_SOON, TITLE,
    WARNING_BOXES,
)
from screener.documents.handout_style import CHECK_BOX, CLINIC_BOX, EMERGENCY_BOX
from screener.language.i18n import LANGUAGE_NAMES, UnknownLanguage, Words, catalog_path
from screener.clinical.questionnaire import AGENT_LABELS, DECISION_LABELS, TECHNIQUE_LABELS
from screener.clinical.rules import ALL_RULES, SESSION_INTERVAL_DAYS

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = list(LANGUAGE_NAMES)
TRANSLATED = [language for language in LANGUAGES if language != "en"]


def _render(answers: dict, language: str = "en", as_of: date = AS_OF, **numbers: str) -> bytes:
    intake = intake_of(answers, as_of)
    return render_handout(intake, assess(intake, as_of), language, **numbers)


@lru_cache(maxsize=None)  # several tests read the same rendered sheets
def _pages(pdf: bytes) -> tuple[str, ...]:
    return tuple(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def _bare(text: str) -> str:
    """Text without white space: lines wrap anywhere, and Chinese wraps between any two characters."""
    return "".join(text.split())


def _text(pdf: bytes) -> str:
    return _bare(" ".join(_pages(pdf)))


def _shows(pdf_text: str, words: str) -> bool:
    return _bare(words) in pdf_text


def _note(lead: str, **dates: str) -> str:
    """A fitted note as the English sheet prints it: its lead, then its advice."""
    note = next(note for note in FITTED_NOTES if note.lead == lead)
    return NOTE.format(lead=lead.format(**dates), advice=note.advice.format(**dates))


@pytest.fixture(scope="module")
def everything() -> dict[str, bytes]:
    return {language: _render(everything_answers(), language) for language in LANGUAGES}


@pytest.fixture(scope="module")
def healthy() -> dict[str, bytes]:
    return {language: _render(healthy_answers(), language) for language in LANGUAGES}


def _box_lines(box, language: str, number: str) -> list[str]:
    """A warning box's texts as the sheet prints them, in order: heading, who to call, each sign."""
    words = Words(language, "handout")
    return [words(box.heading), words(box.call, number=number), *map(words, box.signs)]


def _in_order(text: str, lines: list[str]) -> bool:
    """Every line is in ``text`` (white space aside), each after the one before."""
    at = -1
    for line in lines:
        at = text.find(_bare(line), at + 1)
        if at < 0:
            return False
    return True


def _pdftotext(pdf: bytes) -> str:
    """The text as poppler's pdftotext reads it (the other extractor, beside pypdf)."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_general_sections_and_the_checklist_are_always_there(language, healthy, everything):
    words = Words(language, "handout")
    for pdf in (healthy[language], everything[language]):
        text = _text(pdf)
        for section in SECTIONS:
            for message in (section.heading, *section.paragraphs, *section.bullets, *section.checklist):
                assert _shows(text, words(message)), message
        checklist = next(section.checklist for section in SECTIONS if section.checklist)
        assert text.count(CHECK_BOX) == len(checklist)


# SCREENING.md version 2, "The patient's take-home sheet", word for word.
SPECIFIED_BOXES = {
    "Call the emergency number now": (
        "chest pain or sudden breathlessness",
        "weakness or numbness of the face, an arm or a leg, trouble speaking, confusion or loss of sight",
        "swelling of the lips, face or throat, wheezing or feeling faint",
    ),
    "Call the clinic today": (
        "a painful, swollen leg",
        "skin that turns white, blue-black or very painful where a needle went in, or later a dark patch or an "
        "open wound",
        "a rash",
        "a hard, red, painful lump along a vein",
    ),
}
BOX_HEADINGS = {  # pinned: the words a patient in trouble looks for
    "en": ("Call the emergency number now", "Call the clinic today"),
    "es": ("Llame ahora al número de emergencias", "Llame hoy a la clínica"),
    "zh-Hans": ("请立即拨打急救电话", "请在今天联系诊所"),
}


def test_the_two_boxes_are_the_specifications_in_its_order_and_words():
    assert {box.heading: box.signs for box in WARNING_BOXES} == SPECIFIED_BOXES
    assert list(SPECIFIED_BOXES) == [box.heading for box in WARNING_BOXES] == [EMERGENCY.heading, CLINIC.heading]


@pytest.mark.parametrize("language", LANGUAGES)
def test_both_boxes_and_every_sign_are_on_page_one_emergency_first_in_both_extractions(language, healthy,
                                                                                        everything):
    lines = [*_box_lines(EMERGENCY, language, "112"), *_box_lines(CLINIC, language, PHONE_BLANK)]
    assert BOX_HEADINGS[language] == (lines[0], lines[len(EMERGENCY.signs) + 2])
    for pdf in (healthy[language], everything[language]):
        assert _in_order(_bare(_pages(pdf)[0]), lines)
        if shutil.which("pdftotext"):
            page_one = _pdftotext(pdf).split("\f")[0]
            assert _in_order(_bare(page_one), lines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_patient_with_stroke_symptoms_reads_call_the_emergency_number(language, healthy):
    words = Words(language, "handout")
    text = _text(healthy[language])
    emergency = text[text.index(_bare(words(EMERGENCY.heading))):text.index(_bare(words(CLINIC.heading)))]
    stroke = next(sign for sign in EMERGENCY.signs if "trouble speaking" in sign)
    assert _shows(emergency, words(EMERGENCY.call, number="112")) and _shows(emergency, words(stroke))
    if language == "en":
        assert "Calltheemergencynumber" in emergency and "speaking" not in text.split("Calltheclinictoday")[1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_emergency_number_is_112_unless_the_clinic_sets_another(language, healthy):
    words = Words(language, "handout")
    assert _shows(_text(healthy[language]), words(EMERGENCY.call, number="112"))
    text = _text(_render(healthy_answers(), language, emergency_number="999"))
    assert _shows(text, words(EMERGENCY.call, number="999")) and "112" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_clinic_phone_is_printed_or_a_line_is_left_to_write_it_on(language, healthy):
    words = Words(language, "handout")
    assert _shows(_text(healthy[language]), words(CLINIC.call, number=PHONE_BLANK))
    text = _text(_render(healthy_answers(), language, clinic_phone="+44 20 7946 0000"))
    assert _shows(text, words(CLINIC.call, number="+44 20 7946 0000")) and "___" not in text


def test_a_blank_emergency_number_is_refused_not_printed():
    intake = intake_of(healthy_answers())
    with pytest.raises(ValueError, match="emergency number"):
        render_handout(intake, assess(intake, AS_OF), emergency_number=" ")


@pytest.mark.parametrize("language", LANGUAGES)
def test_general_advice_and_every_note_fit_two_pages(language, healthy, everything):
    assert len(_pages(healthy[language])) <= 2
    assert len(_pages(everything[language])) == 2


SESSION_LEAD = "Your last session was on {last_session}."
SKIN_LEAD = "You told us about your skin, or about dark marks you had before."
LAST_SESSION = {"veins.prior_treatments": ["sclerotherapy"]}

# (the lead of the note, answers changed from the healthy ones, whether the note is due)
FITTED_CASES = [
    ("You told us that you smoke.", {"lifestyle.smoker": True}, True),
    (SKIN_LEAD, {"skin.fitzpatrick_type": 3}, False),
    (SKIN_LEAD, {"skin.fitzpatrick_type": 4}, True),
    (SKIN_LEAD, {"skin.fitzpatrick_type": 6}, True),
    (SKIN_LEAD, {"skin.pigmentation_history": True}, True),
    (SKIN_LEAD, {**LAST_SESSION, "veins.prior_sclerotherapy_reactions": ["marked_pigmentation"]}, True),
    ("You told us that you get migraines.", {"neurology.migraine": "without_aura"}, True),
    ("You told us that you get migraines.", {"neurology.migraine": "with_aura"}, True),
    ("You told us that you could not wear compression stockings.", {"lifestyle.can_wear_compression": False}, True),
    ("You told us that you plan a journey of more than 4 hours in the next 4 weeks.",
     {"lifestyle.long_travel_planned": True}, True),
    ("You told us that you have a suntan or a fake tan.", {"skin.current_tan": True}, True),
    (SESSION_LEAD, {**LAST_SESSION, "veins.last_sclerotherapy_date": str(AS_OF - timedelta(days=41))}, True),
    (SESSION_LEAD, {**LAST_SESSION, "veins.last_sclerotherapy_date": str(AS_OF - timedelta(days=42))}, False),
    (SESSION_LEAD, LAST_SESSION, False),
    ("You told us that you take iron tablets or have iron infusions.", {"medications.iron_supplement": True}, True),
    ("You told us that you take minocycline, an antibiotic.", {"medications.minocycline": True}, True),
]


def _english_date(day: date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def _changed(changes: dict) -> dict:
    answers = healthy_answers()
    for path, value in changes.items():
        answers = with_answer(answers, path, value)
    return answers


def test_every_fitted_note_has_cases():
    assert {lead for lead, _, due in FITTED_CASES if due} == {note.lead for note in FITTED_NOTES}


@pytest.mark.parametrize(
    ("lead", "changes", "due"), FITTED_CASES,
    ids=[f"{lead[:40]}-{'due' if due else 'not-due'}-{'-'.join(map(str, changes.values()))}"
         for lead, changes, due in FITTED_CASES],
)
def test_a_fitted_note_appears_exactly_when_its_answer_was_given(lead, changes, due):
    answers = _changed(changes)
    last = answers["veins"].get("last_sclerotherapy_date")
    dates = {}
    if last:
        last = date.fromisoformat(last)
        dates = {"last_session": _english_date(last), "earliest": _english_date(last + timedelta(days=42))}
    text = _text(_render(answers))
    others = [note.lead for note in FITTED_NOTES if note.lead != lead]
    if due:
        assert _shows(text, _note(lead, **dates))
    else:
        assert not _shows(text, lead.split("{")[0])
    assert _shows(text, FITTED_HEADING) == due
    assert not any(_shows(text, other.split("{")[0]) for other in others)


EVERYTHING_SESSION_DATES = {  # the everything intake's last session, 2026-11-01, and 42 days later
    "en": {"last_session": "1 November 2026", "earliest": "13 December 2026"},
    "es": {"last_session": "1 de noviembre de 2026", "earliest": "13 de diciembre de 2026"},
    "zh-Hans": {"last_session": "2026年11月1日", "earliest": "2026年12月13日"},
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_healthy_patient_gets_no_notes_and_the_everything_patient_gets_all(language, healthy, everything):
    words = Words(language, "handout")
    assert not _shows(_text(healthy[language]), words(FITTED_HEADING))
    text, dates = _text(everything[language]), EVERYTHING_SESSION_DATES[language]
    for note in FITTED_NOTES:
        shown = words(NOTE).format(lead=words(note.lead, **dates), advice=words(note.advice, **dates))
        assert _shows(text, shown), note.lead


def test_the_next_session_date_is_six_weeks_after_the_last_in_every_language():
    answers = _changed({**LAST_SESSION, "veins.last_sclerotherapy_date": "2026-10-31"})
    expected = {
        "en": ("Your last session was on 31 October 2026.", "not before 12 December 2026."),
        "es": ("Su última sesión fue el 31 de octubre de 2026.", "no antes del 12 de diciembre de 2026."),
        "zh-Hans": ("您上一次治疗是在2026年10月31日。", "不要早于2026年12月12日。"),
    }
    for language, sentences in expected.items():
        text = _text(_render(answers, language))
        assert all(_shows(text, sentence) for sentence in sentences), language


def test_the_session_interval_is_the_rules_own_test_not_a_second_copy():
    rule = next(rule for rule in ALL_RULES if rule.rule_id == "SESSION-INTERVAL")
    assert SESSION_TOO_SOON in rule.tests and SESSION_TOO_SOON.days == SESSION_INTERVAL_DAYS


def test_the_sheet_is_dated_in_the_patients_language(healthy):
    assert _shows(_text(healthy["en"]), "Prepared on 21 November 2026.")
    assert _shows(_text(healthy["es"]), "Preparado el 21 de noviembre de 2026.")
    assert _shows(_text(healthy["zh-Hans"]), "编写日期：2026年11月21日。")


def test_the_notes_come_from_the_answers_not_from_the_assessment():
    intake = intake_of(everything_answers())
    other = assess(intake_of(healthy_answers()), AS_OF)
    assert other.decision == "eligible" and not other.flags
    for language in LANGUAGES:
        assert render_handout(intake, other, language) == render_handout(intake, assess(intake, AS_OF), language)


DECISION_CASES = {
    "eligible": healthy_answers(),
    "eligible_with_precautions": with_answer(healthy_answers(), "lifestyle.smoker", True),
    "clinician_review": with_answer(healthy_answers(), "reproductive.breastfeeding", True),
    "not_eligible": with_answer(healthy_answers(), "reproductive.pregnancy", "yes"),
    "everything": everything_answers(),
}
# Words about being eligible in the translations (the decision labels themselves are English).
ELIGIBILITY_WORDS = {"en": ["eligib"], "es": ["elegib", "apto", "apta"], "zh-Hans": ["资格", "符合条件"]}


@pytest.mark.parametrize("case", DECISION_CASES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sheet_never_speaks_of_the_verdict(case, language):
    answers = DECISION_CASES[case]
    if case in DECISION_LABELS:
        assert assess(intake_of(answers), AS_OF).decision == case
    text = " ".join(" ".join(_pages(_render(answers, language))).split())
    folded = text.casefold()
    for words in [*DECISION_LABELS, *DECISION_LABELS.values(), *AGENT_LABELS.values(), *TECHNIQUE_LABELS.values(),
                  *ELIGIBILITY_WORDS[language], "flag", "contraindicat", "exclu"]:
        assert words.casefold() not in folded, words
    for rule in ALL_RULES:  # as written: "migraine" inside "your usual migraine medicine" is the patient's answer
        assert rule.title not in text, rule.title
        assert rule.rule_id not in text, rule.rule_id


def test_the_english_reads_at_or_below_grade_8_with_every_note_and_with_none(everything, healthy):
    from textstat.textstat import textstatistics

    readability = textstatistics()
    readability.set_lang("en")
    for sheets in (everything, healthy):
        assert readability.flesch_kincaid_grade(" ".join(_pages(sheets["en"]))) <= 8


def test_the_spanish_reads_as_plainly(everything, healthy):
    """Fernández-Huerta 70 or more: "fairly easy", about a 7th-grade reader (textstat)."""
    from textstat.textstat import textstatistics

    readability = textstatistics()
    readability.set_lang("es")
    for sheets in (everything, healthy):
        assert readability.fernandez_huerta(" ".join(_pages(sheets["es"]))) >= 70


def _placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name is not None}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_handout_message_is_translated_with_the_same_placeholders(language):
    marked = {message for _, message, _, _ in extract_from_file("python", str(ROOT / "screener" / "documents" / "handout.py"))}
    with catalog_path(language, "handout").open("rb") as po:
        catalog = read_po(po, locale=language.replace("-", "_"), domain="handout")
    entries = {message.id: message for message in catalog if message.id}
    assert marked and set(entries) == marked  # nothing missing, nothing left over
    for msgid, message in entries.items():
        assert message.string.strip(), msgid
        assert not message.fuzzy, msgid
        assert _placeholders(message.string) == _placeholders(msgid), msgid


def test_an_unknown_language_is_refused_by_name():
    intake = intake_of(healthy_answers())
    with pytest.raises(UnknownLanguage, match="'fr' is not a language"):
        render_handout(intake, assess(intake, AS_OF), "fr")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_inputs_give_the_same_bytes(language, everything):
    assert _render(everything_answers(), language) == everything[language]


def test_the_same_bytes_come_from_another_process(everything):
    script = (
        "from factories import everything_answers, intake_of, AS_OF\n"
        "from screener import assess, render_handout\n"
        "import hashlib\n"
        "intake = intake_of(everything_answers())\n"
        f"for language in {LANGUAGES!r}:\n"
        "    print(hashlib.sha256(render_handout(intake, assess(intake, AS_OF), language)).hexdigest())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'tests' / 'support'}", "PYTHONHASHSEED": "4321", "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.split() == [hashlib.sha256(everything[language]).hexdigest() for language in LANGUAGES]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_font_is_embedded_and_shipped(language, everything):
    for page in PdfReader(BytesIO(everything[language])).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
            assert str(font["/BaseFont"]).split("+")[-1] in {"DejaVuSans", "DejaVuSans-Bold", "DroidSansFallback"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_name_signature_birth_date_or_free_text_is_on_it_or_in_its_metadata(language, everything):
    answers = everything_answers()
    typed = " ".join([answers["patient"]["full_name"], answers["consent"]["signature"], answers["allergies"]["other"],
                      answers["medications"]["other"]])
    personal = {part for part in typed.split() if len(part) >= 3} | {"2010", "February 28"}
    reader = PdfReader(BytesIO(everything[language]))
    text = " ".join(_pages(everything[language]))
    for part in personal:
        assert part not in text, part
    assert reader.metadata.title == Words(language, "handout")(TITLE)
    for key, value in reader.metadata.items():
        assert not any(part in str(value) for part in personal), (key, value)


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="needs pdftoppm (Debian poppler-utils; scripts/test.sh installs it)"
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_to_an_image_with_both_boxes_on_page_one_red_above_amber(language, everything,
                                                                                     tmp_path):
    from PIL import Image

    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes(everything[language])
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == 2
    for image_file in images:
        assert Image.open(image_file).convert("L").getextrema()[0] < 128, f"{image_file.name} is blank"
    page_one = Image.open(images[0]).convert("RGB")
    rows = []
    for look in (EMERGENCY_BOX, CLINIC_BOX):
        wanted = tuple(round(channel * 255) for channel in look.fill.rgb())
        filled = [y for y in range(page_one.height) for x in range(0, page_one.width, 8)
                  if all(abs(a - b) <= 3 for a, b in zip(page_one.getpixel((x, y)), wanted))]
        assert filled, f"no {look.fill} box on page one"
        rows.append((min(filled), max(filled)))
    (_, emergency_bottom), (clinic_top, _) = rows
    assert emergency_bottom < clinic_top


NUMBER_SETTINGS = ("SCREENER_CLINIC_PHONE", "SCREENER_EMERGENCY_NUMBER")


def _cli(*args: str, **settings: str) -> subprocess.CompletedProcess:
    """The command in a child process with the two number settings exactly as given (others as inherited)."""
    environment = {name: value for name, value in os.environ.items() if name not in NUMBER_SETTINGS}
    return subprocess.run([sys.executable, "-m", "screener", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**environment, **settings})


def test_the_command_line_writes_the_sheet_in_the_language_asked_private_to_its_owner(tmp_path, everything):
    intake_file, output = tmp_path / "intake.json", tmp_path / "handout.pdf"
    intake_file.write_text(json.dumps(everything_answers(), ensure_ascii=False), encoding="utf-8")
    result = _cli("handout", str(intake_file), "-o", str(output), "--as-of", "2026-11-21", "--lang", "zh-Hans")
    assert result.returncode == 0, result.stderr
    assert output.read_bytes() == everything["zh-Hans"]
    assert stat.S_IMODE(output.stat().st_mode) == 0o600


def test_the_command_line_refuses_an_unknown_language_or_an_unwritable_output(tmp_path):
    intake_file, output = tmp_path / "intake.json", tmp_path / "handout.pdf"
    intake_file.write_text(json.dumps(healthy_answers()))
    result = _cli("handout", str(intake_file), "-o", str(output), "--lang", "fr")
    assert result.returncode == 2
    assert result.stderr.startswith("--lang: 'fr' is not a language") and "Traceback" not in result.stderr
    assert not output.exists()
    result = _cli("handout", str(intake_file), "-o", str(tmp_path / "missing" / "handout.pdf"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "cannot be written" in result.stderr


def test_the_command_line_prints_the_numbers_the_settings_give(tmp_path, everything):
    intake_file, output = tmp_path / "intake.json", tmp_path / "handout.pdf"
    intake_file.write_text(json.dumps(everything_answers(), ensure_ascii=False), encoding="utf-8")
    result = _cli("handout", str(intake_file), "-o", str(output), "--as-of", "2026-11-21", "--lang", "es",
                  SCREENER_CLINIC_PHONE="+34 910 000 000", SCREENER_EMERGENCY_NUMBER="061")
    assert result.returncode == 0, result.stderr
    assert output.read_bytes() == _render(everything_answers(), "es", clinic_phone="+34 910 000 000",
                                          emergency_number="061")
    text = _text(output.read_bytes())
    assert _shows(text, "Llame ahora al 061 si tiene:") and _shows(text, "Llame hoy a la clínica al +34 910 000 000")


@pytest.mark.parametrize("variable", NUMBER_SETTINGS)
def test_the_command_line_refuses_a_number_that_is_not_one(tmp_path, variable):
    intake_file, output = tmp_path / "intake.json", tmp_path / "handout.pdf"
    intake_file.write_text(json.dumps(healthy_answers()))
    result = _cli("handout", str(intake_file), "-o", str(output), **{variable: "ask at the desk"})
    assert result.returncode == 2
    assert result.stderr == (f"{variable}: Not a phone number (digits, spaces and + ( ) . / - only): "
                             "'ask at the desk'.\n")
    assert not output.exists()
