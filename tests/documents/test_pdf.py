"""The clinician PDF summary (issue 3), as a clinician relies on it.

- Page one says who, the decision (in words, not colour alone), the exclusions and every
  flag, most severe first; then every answer under the question the patient saw, the
  consent and the rules version.
- Text appears exactly as typed, in any script, markup characters and line breaks included.
- Every page carries "Page X of Y", the patient's name and date of birth, and "CONFIDENTIAL".
- The file names no patient in its metadata, and the same inputs give the same bytes.
- It renders to real pages (pdftoppm) and from the command line.
- The patient's own words (other allergies, other medicines) stand in a box on page one.
- Every date reads the same way ("9 March 1984"), in the answers as in the header.
- The consent never stands alone on a last page: it goes with the last answers.
- A height or weight typed in another unit shows the stored value and how it was entered.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import string
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.platypus import SimpleDocTemplate, Spacer

from factories import AS_OF, everything_answers, healthy_answers, intake_of, with_answer
from screener import RULES_VERSION, assess
from screener.documents.summary import TITLE, render_pdf
from screener.documents.style import DECISION_LOOKS, FONT_DIR, STYLES, literal, markup
from screener.clinical.questionnaire import CONSENT_STATEMENT, DECISION_LABELS, OWN_WORDS_TITLE, answer_rows
from screener.language.formats import long_date
from screener.storage import Capture

ROOT = Path(__file__).resolve().parents[2]
ANSWERS_HEADING = "Answers, with each question as the patient saw it"


def english_date(day: date) -> str:
    return long_date(day, "en")


def _render(answers: dict, as_of: date = AS_OF) -> bytes:
    intake = intake_of(answers, as_of)
    return render_pdf(intake, assess(intake, as_of))


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    """Text with every run of white space as one space: table cells wrap lines anywhere."""
    return " ".join(text.split())


def _text(pdf: bytes) -> str:
    return _flat(" ".join(_pages(pdf)))


@pytest.fixture(scope="module")
def everything_pdf() -> bytes:
    return _render(everything_answers())


@pytest.fixture(scope="module")
def healthy_pdf() -> bytes:
    return _render(healthy_answers())


DECISION_CASES = {
    "eligible": healthy_answers(),
    "eligible_with_precautions": with_answer(healthy_answers(), "lifestyle.smoker", True),
    "clinician_review": with_answer(healthy_answers(), "reproductive.breastfeeding", True),
    "not_eligible": with_answer(healthy_answers(), "reproductive.pregnancy", "yes"),
}


@pytest.mark.parametrize("decision", DECISION_CASES)
def test_page_one_shows_the_decision_in_words_with_its_symbol(decision):
    answers = DECISION_CASES[decision]
    assert assess(intake_of(answers), AS_OF).decision == decision
    first_page = _flat(_pages(_render(answers))[0])
    symbol = DECISION_LOOKS[decision].symbol
    assert f"{symbol} {DECISION_LABELS[decision].upper()} {symbol}" in first_page


def test_page_one_says_who_and_when(everything_pdf):
    first_page = _flat(_pages(everything_pdf)[0])
    assert 'Zoë Ελένη Юлия 王秀英 <b>&amp;</b> "Q"' in first_page
    assert "28 February 2010 (age 16)" in first_page
    assert "Assessed on" in first_page and "21 November 2026" in first_page
    assert "21 November 2026, 09:30 (UTC+01:00)" in first_page


def test_page_one_lists_the_exclusions_and_starts_the_flags(everything_pdf):
    first_page = _flat(_pages(everything_pdf)[0])
    assert "Excluded agents Hypertonic saline, Polidocanol, Sodium tetradecyl sulfate" in first_page
    assert "Excluded techniques Foam" in first_page
    assert "Flags (46), most severe first" in first_page
    assert "Acute illness or fever ACUTE-ILLNESS" in first_page


def test_no_exclusions_and_no_flags_are_said_plainly(healthy_pdf):
    text = _text(healthy_pdf)
    assert "Excluded agents None Excluded techniques None" in text
    assert "No flags: no rule fired on these answers." in text


def test_every_flag_is_shown_in_the_assessment_order_with_all_its_parts(everything_pdf):
    text = _text(everything_pdf)
    flags = assess(intake_of(everything_answers()), AS_OF).flags
    assert len(flags) == 46
    positions = []
    for flag in flags:
        row = _flat(f"{flag.title} {flag.rule_id} {flag.reason} {flag.action} {flag.source}")
        assert row in text, flag.rule_id
        positions.append(text.index(row))
    assert positions == sorted(positions)


def test_the_flags_table_repeats_its_header_on_every_page_it_spans(everything_pdf):
    flags = assess(intake_of(everything_answers()), AS_OF).flags
    pages = [_flat(page) for page in _pages(everything_pdf)]
    spanned = [page for page in pages if any(f" {flag.rule_id} " in page for flag in flags)]
    assert len(spanned) >= 2
    assert all("Severity Flag and why Action Source" in page for page in spanned)


def test_a_page_that_continues_a_table_starts_with_its_header_again(everything_pdf):
    titles = {title for title, _ in answer_rows(intake_of(everything_answers()), english_date)}
    for page in _pages(everything_pdf)[1:]:
        first_line = page.split("CONFIDENTIAL", 1)[1].strip().splitlines()[0].strip()
        assert first_line in titles | {"Severity", "Consent", ANSWERS_HEADING}, first_line


def _without_list_marks(text: str) -> str:
    """Multiple choices are shown one per line after a bullet, not joined with commas as answer_rows joins them."""
    return text.replace(",", "").replace("• ", "")


@pytest.mark.parametrize("answers", [healthy_answers(), everything_answers()], ids=["healthy", "everything"])
def test_every_answer_follows_the_question_the_patient_saw(answers):
    text = _without_list_marks(_text(_render(answers)))
    for title, rows in answer_rows(intake_of(answers), english_date):
        assert _without_list_marks(title) in text
        for question, answer in rows:
            shown_question, shown_answer = (re.escape(_without_list_marks(_flat(part))) for part in (question, answer))
            assert re.search(f"{shown_question} (⚑ )?{shown_answer}", text), (question, answer)


def test_free_texts_are_shown_in_full_with_their_line_breaks():
    answers = with_answer(healthy_answers(), "allergies.other", 'Latex <gloves> & "tape"\nSecond line — 第二行')
    answers = with_answer(answers, "medications.other", "Metformin 500 mg\r\nВитамин D & <iron>")
    pages = "\n".join(_pages(_render(answers)))
    assert re.search(r'Latex <gloves> & "tape"\s*\n\s*Second line — 第二行', pages)
    assert re.search(r"Metformin 500 mg\s*\n\s*Витамин D & <iron>", pages)


def test_a_free_text_taller_than_a_page_is_split_across_pages_and_still_shown_in_full():
    answers = with_answer(everything_answers(), "medications.other", "first" + "\n" * 990 + "last")
    pages = _pages(_render(answers))
    assert "first\u2026\n(continued in full in the answers below)" in pages[0], "page one quotes its opening"
    starts = next(number for number, page in enumerate(pages)
                  if number > 0 and "Please list your other medicines\nfirst" in page)
    ends = next(number for number, page in enumerate(pages) if re.search(r"^last$", page, re.MULTILINE))
    assert ends - starts > 5
    for page in pages[starts + 1 : ends + 1]:
        assert page.split("CONFIDENTIAL", 1)[1].strip().startswith("Medicines")


def test_a_free_text_in_the_fallback_font_taller_than_a_page_is_split_across_pages_too():
    lines = [f"{number} 王秀英" for number in range(110)]  # not in the main font: a Paragraph, not plain lines
    answers = with_answer(everything_answers(), "medications.other", "\n".join(lines))
    shown = [line.strip() for page in _pages(_render(answers)) for line in page.splitlines()]
    in_full = max(index for index, line in enumerate(shown) if line == lines[0])  # page one quotes its opening
    assert [line for line in shown[in_full:] if line in lines] == lines


def test_a_paragraph_with_no_room_left_on_its_page_is_drawn_on_the_next():
    output = BytesIO()
    document = SimpleDocTemplate(output)
    # the frame pads 6 pt above and below: 8 pt are left, less than a line
    document.build([Spacer(1, document.height - 20), literal("王秀英", STYLES.body, document.width)])
    assert [page.extract_text().strip() for page in PdfReader(output).pages] == ["", "王秀英"]


NAMES = {
    "latin accents": "Zoë Ångström-Núñez Çelik",
    "greek": "Ελένη Παπαδοπούλου",
    "cyrillic": "Юлия Иванова",
    "chinese": "王秀英",
    "japanese": "山田 はなこ カタカナ",
    "korean": "김민준",
    "markup": 'O\'Brien <b>&amp;</b> & "Q" <br/>',
}


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_names_in_any_script_appear_exactly_as_typed(name):
    answers = with_answer(healthy_answers(), "patient.full_name", name)
    answers = with_answer(answers, "consent.signature", f"{name} (guardian)")
    pages = [_flat(page) for page in _pages(_render(answers))]
    assert f"for the clinician · confidential {name} Date of birth" in pages[0]  # the header
    assert all(f"{name} · born 9 March 1984" in page for page in pages)  # the footers
    assert f"Your full name {name}" in " ".join(pages)
    assert f"Type your full name to sign {name} (guardian)" in pages[-1]


def test_cjk_text_is_set_in_the_shipped_fallback_font_and_latin_is_not():
    korean = _render(with_answer(healthy_answers(), "patient.full_name", "김민준"))
    assert any("DroidSansFallback" in font for font in _fonts(korean))
    assert not any("DroidSansFallback" in font for font in _fonts(_render(healthy_answers())))


def _fonts(pdf: bytes) -> set[str]:
    return {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }


def test_every_font_is_embedded_so_a_machine_without_fonts_shows_the_same(everything_pdf):
    for page in PdfReader(BytesIO(everything_pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            assert "/FontFile2" in font.get_object()["/FontDescriptor"], font.get_object()["/BaseFont"]


def test_markup_escapes_text_and_keeps_line_breaks():
    assert markup('<b>&amp;</b> "Q"\r\nx') == '&lt;b&gt;&amp;amp;&lt;/b&gt; "Q"<br/>x'
    assert markup("Zoë 王秀英") == 'Zoë <font name="DroidSansFallback">王秀英</font>'


def test_consent_and_rules_version_close_the_summary(everything_pdf):
    text = _flat(_pages(everything_pdf)[-1])
    assert _flat(CONSENT_STATEMENT) in text
    assert "I confirm my answers Yes" in text
    assert "Type your full name to sign Parent of Zoë" in text
    assert "Signed at 21 November 2026, 09:30 (UTC+01:00)" in text
    assert f"Rules version {RULES_VERSION}; assessed on 21 November 2026." in text


def test_a_signature_time_without_offset_is_clinic_time(healthy_pdf):
    assert "21 November 2026, 09:30 (clinic time)" in _text(healthy_pdf)


def test_long_summaries_run_to_several_pages_each_with_footer(everything_pdf):
    pages = [_flat(page) for page in _pages(everything_pdf)]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert 'Zoë Ελένη Юлия 王秀英 <b>&amp;</b> "Q" · born 28 February 2010' in page
        assert "CONFIDENTIAL" in page


def test_a_typical_summary_fits_two_pages():
    answers = with_answer(healthy_answers(), "reproductive.breastfeeding", True)
    pages = _pages(_render(with_answer(answers, "neurology.migraine", "with_aura")))
    assert len(pages) == 2
    assert "Page 2 of 2" in pages[1]


@pytest.mark.parametrize("month", range(1, 13))
def test_the_dates_of_page_one_keep_to_one_line_in_any_month(month):
    """A month is written in full ("28 September 1984"): the facts under the name still take one
    line each, so a typical summary still fits two pages."""
    answers = with_answer(healthy_answers(), "reproductive.breastfeeding", True)
    answers = with_answer(answers, "neurology.migraine", "with_aura")
    born = date(1984, month, 28)
    pages = _pages(_render(with_answer(answers, "patient.date_of_birth", born.isoformat())))
    assert f"{english_date(born)} (age {42 if month < 11 else 41})" in pages[0].splitlines()
    assert len(pages) == 2


@pytest.mark.parametrize("answers", [healthy_answers(), everything_answers()], ids=["healthy", "everything"])
def test_metadata_names_no_patient(answers):
    reader = PdfReader(BytesIO(_render(answers)))
    assert reader.metadata.title == TITLE
    assert reader.xmp_metadata is None
    patient, consent = answers["patient"], answers["consent"]
    personal = {*patient["full_name"].split(), *consent["signature"].split(), patient["date_of_birth"]}
    for key, value in reader.metadata.items():
        assert not any(part in str(value) for part in personal), (key, value)


def test_the_same_inputs_give_the_same_bytes_here_and_in_another_process(everything_pdf):
    assert _render(everything_answers()) == everything_pdf
    script = (
        "import hashlib, sys\n"
        "from factories import everything_answers, intake_of, AS_OF\n"
        "from screener import assess, render_pdf\n"
        "intake = intake_of(everything_answers())\n"
        "print(hashlib.sha256(render_pdf(intake, assess(intake, AS_OF))).hexdigest())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'tests' / 'support'}", "PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip() == hashlib.sha256(everything_pdf).hexdigest()


def test_a_different_signing_time_or_assessment_date_changes_the_bytes(healthy_pdf):
    later = with_answer(healthy_answers(), "consent.signed_at", "2026-11-21T09:31:00")
    assert _render(later) != healthy_pdf
    next_day = _render(healthy_answers(), AS_OF + timedelta(days=1))
    assert next_day != healthy_pdf
    assert "Assessed on" in _text(next_day) and "22 November 2026" in _text(next_day)


def test_render_reads_no_clock():
    intake = intake_of(healthy_answers())
    assessment = assess(intake, AS_OF)
    signed = datetime(2026, 11, 21, 9, 30, tzinfo=timezone.utc)
    intake = intake.model_copy(update={"consent": intake.consent.model_copy(update={"signed_at": signed})})
    assert "21 November 2026, 09:30 (UTC+00:00)" in _text(render_pdf(intake, assessment))


def test_importing_screener_and_assessing_does_not_load_reportlab(tmp_path):
    intake_file = tmp_path / "intake.json"
    intake_file.write_text(json.dumps(healthy_answers()))
    script = (
        "import sys, datetime, screener\n"
        f"intake = screener.parse_intake(open({str(intake_file)!r}, 'rb').read(), datetime.date(2026, 11, 21))\n"
        "screener.assess(intake, datetime.date(2026, 11, 21))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'reportlab'))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_shipped_fonts_come_with_their_licences_and_stay_small():
    fonts = sorted(FONT_DIR.glob("*.ttf"))
    scripts = ("Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Tamil", "Thai", "Arabic", "Hebrew")
    assert {font.name for font in fonts} == {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DroidSansFallback.ttf",
                                             "NotoEmoji-Regular.ttf"} | {
        f"NotoSans{script}-{weight}.ttf" for script in scripts for weight in ("Regular", "Bold")}
    licences = " ".join(path.read_text() for path in FONT_DIR.glob("LICENSE*"))
    assert "Bitstream Vera" in licences and "Apache License" in licences and "SIL OPEN FONT LICENSE" in licences
    assert sum(font.stat().st_size for font in fonts) < 20_000_000


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="needs pdftoppm (Debian poppler-utils; scripts/test.sh installs it)"
)
@pytest.mark.parametrize(
    "answers",
    [healthy_answers(), DECISION_CASES["clinician_review"], everything_answers()],
    ids=["healthy", "clinician_review", "everything"],
)
def test_every_page_renders_to_a_non_blank_image_with_the_banner_colour(answers, tmp_path):
    from PIL import Image

    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(_render(answers))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(PdfReader(pdf).pages)
    for image_file in images:
        image = Image.open(image_file).convert("L")
        assert image.getextrema()[0] < 128, f"{image_file.name} is blank"
    fill = DECISION_LOOKS[assess(intake_of(answers), AS_OF).decision].fill
    wanted = tuple(round(channel * 255) for channel in fill.rgb())
    colours = Image.open(images[0]).convert("RGB").getcolors(maxcolors=1 << 24)
    assert any(
        all(abs(a - b) <= 3 for a, b in zip(colour, wanted)) for _, colour in colours
    ), "the decision banner's colour is missing from page one"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "screener", *args], cwd=ROOT, capture_output=True, text=True)


def test_the_command_line_writes_the_summary(tmp_path):
    intake_file, output = tmp_path / "intake.json", tmp_path / "summary.pdf"
    intake_file.write_text(json.dumps(everything_answers(), ensure_ascii=False), encoding="utf-8")
    result = _cli("pdf", str(intake_file), "-o", str(output), "--as-of", "2026-11-21")
    assert result.returncode == 0, result.stderr
    assert output.read_bytes().startswith(b"%PDF-")
    assert output.read_bytes() == _render(everything_answers())


def test_the_command_line_rejects_an_invalid_intake_and_writes_nothing(tmp_path):
    answers = with_answer(healthy_answers(), "veins.prior_sclerotherapy_reactions", ["allergic"])
    intake_file, output = tmp_path / "intake.json", tmp_path / "summary.pdf"
    intake_file.write_text(json.dumps(answers))
    result = _cli("pdf", str(intake_file), "-o", str(output), "--as-of", "2026-11-21")
    assert result.returncode == 2
    assert "veins.prior_sclerotherapy_reactions: " in result.stderr
    assert "Traceback" not in result.stderr
    assert not output.exists()


_TYPED = st.text(
    alphabet=st.sampled_from(
        list(string.ascii_letters + string.digits + string.punctuation + " ")
        + list("ÀÉøßçğŁŽ Ωλέ ЖжщЁ 王秀英李 あいアン 한국민 —–“”‘’«»…·")
    ),
    min_size=1,
    max_size=40,
).filter(lambda text: text.strip())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_TYPED)
def test_any_typed_name_appears_exactly_as_typed(name):
    answers = with_answer(healthy_answers(), "patient.full_name", name)
    header = _flat(_pages(_render(answers))[0]).split("for the clinician · confidential ", 1)[1]
    assert header.startswith(_flat(name) + " Date of birth")


def test_characters_no_embedded_font_has_are_named_not_dropped():
    answers = with_answer(healthy_answers(), "patient.full_name", "ሰላም Zoë")
    answers = with_answer(answers, "medications.other", "Tablets \u0dc1 twice a day")  # Sinhala
    intake = intake_of(answers)
    text = _text(render_pdf(intake, assess(intake, AS_OF)))
    assert "[U+1230][U+120B][U+121D] Zoë" in text
    assert "Tablets [U+0DC1] twice a day" in text


def test_the_patients_own_words_stand_in_a_box_on_page_one():
    answers = with_answer(healthy_answers(), "allergies.other", 'Latex <gloves> & "tape"')
    answers = with_answer(answers, "medications.other", "Metformin 500 mg")
    first = _flat(_pages(_render(answers))[0])
    assert (f"{OWN_WORDS_TITLE} Please describe your other allergies Latex <gloves> & \"tape\" "
            "Please list your other medicines Metformin 500 mg") in first
    assert OWN_WORDS_TITLE not in _text(_render(healthy_answers())), "no empty box"


def test_dates_read_the_same_in_the_answers_as_in_the_header(healthy_pdf):
    text = _text(healthy_pdf)
    assert "born 9 March 1984" in text and "Your date of birth 9 March 1984" in text
    assert "1984-03-09" not in text


@pytest.mark.parametrize("medicines", range(4, 10))
def test_the_consent_never_stands_alone_on_the_last_page(medicines):
    answers = with_answer(healthy_answers(), "medications.other", "\n".join(f"Medicine {n}" for n in range(medicines)))
    last = _flat(_pages(_render(answers))[-1])
    assert "Consent" in last and "Are you planning a journey of more than 4 hours" in last


def test_a_height_and_weight_typed_in_other_units_show_how_they_were_entered():
    answers = with_answer(healthy_answers(), "patient.height_cm", 167.64)
    intake = intake_of(with_answer(answers, "patient.weight_kg", 63.5029318))
    capture = Capture(entered={"patient.height_cm": "5 ft 6 in", "patient.weight_kg": "10 st 0 lb"})
    text = _text(render_pdf(intake, assess(intake, AS_OF), capture=capture))
    assert "Your height (optional) 167.6 cm (entered as 5 ft 6 in)" in text
    assert "Your weight (optional) 63.5 kg (entered as 10 st 0 lb)" in text
    assert "entered as" not in _text(render_pdf(intake, assess(intake, AS_OF))), "without a capture: as stored"
