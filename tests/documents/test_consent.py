"""The consent to the treatment as a clinic relies on it years later (issue 22).

- The signed consent's PDF holds, in the patient's language, every part of the consent and each
  paragraph fitted to the patient exactly when their answers call for it (darker skin or earlier dark
  marks: staining; migraine: foam may bring one on; a "hole in the heart": foam avoided), and never a
  decision word, a flag title or a rule id. The English reads at or below a US grade 8.
- The drawn signature is in the PDF: it shows on the page rendered as an image.
- It is rendered once, at countersigning; one changed byte of the stored PDF makes ``verify`` fail.
- The blank paper form holds every part in its language, and no one's data.
- Every consent message is translated in both catalogs with the same placeholders.
"""

from __future__ import annotations

import shutil
import string
from io import BytesIO

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader
from sqlalchemy import update

from pdf_pictures import dark_marks_only_in
from factories import AS_OF, a_signed_consent, healthy_answers, intake_of, with_answer
from screener import assess
from screener.clinical import consent as words
from screener.clinical.consent import GROUPS, consent_messages, consent_words
from screener.clinical.questionnaire import DECISION_LABELS
from screener.clinical.rules import ALL_RULES
from screener.documents.consent import consent_renderer, render_consent_form
from screener.language.i18n import LANGUAGE_NAMES, Words, catalog_path
from screener.storage import Store
from screener.storage.schema import consents

LANGUAGES = list(LANGUAGE_NAMES)
FITTED_BY = {  # each fitted paragraph, and an answer that calls for it
    words.FITTED[0].text: [("skin.fitzpatrick_type", 5), ("skin.pigmentation_history", True)],
    words.FITTED[1].text: [("neurology.migraine", "with_aura"), ("neurology.migraine", "without_aura")],
    words.FITTED[2].text: [("neurology.right_to_left_shunt", "asymptomatic"),
                           ("neurology.right_to_left_shunt", "symptomatic")],
}


def _bare(text: str) -> str:
    return "".join(text.split())


def _text(pdf: bytes) -> str:
    return _bare(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages))


@pytest.fixture
def store(tmp_path):
    with Store(Store.default_url(tmp_path / "data")) as store:
        yield store


def countersigned(store: Store, answers: dict, language: str, signature=b"", decision="agreed",
                  questions="", answer=""):
    """A consent signed with these answers in ``language`` on the tablet, stored and countersigned."""
    from datetime import datetime, timezone

    from factories import SIGNATURE_PNG

    intake = intake_of(answers)
    shown = consent_words(intake, AS_OF, Words(language, "consent"))
    signed = a_signed_consent(language=language, words=shown, decision=decision, questions=questions,
                              signature_png=SIGNATURE_PNG if signature == b"" else signature)
    submission = store.save_submission(intake, assess(intake, AS_OF), datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc),
                                       consent=signed)
    kept = store.consents.for_submission(submission)
    done = store.consents.countersign(kept.id, by="Ada Example (ada)", at=datetime(2026, 11, 21, 9, 45,
                                                                                   tzinfo=timezone.utc),
                                      answer=answer, render=consent_renderer(intake))
    return done


def countersigned_pdf(store: Store, answers: dict, language: str, **more) -> bytes:
    return countersigned(store, answers, language, **more).pdf


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_part_is_in_the_pdf_in_the_patients_language_and_no_fitted_paragraph_without_its_answer(
        store, language):
    say = Words(language, "consent")
    text = _text(countersigned_pdf(store, healthy_answers(), language))
    for group in GROUPS:
        assert _bare(say(group.title)) in text, group.key
        for paragraph in group.paragraphs:
            assert _bare(say(paragraph)) in text, paragraph
    for fitted in FITTED_BY:
        assert _bare(say(fitted)) not in text, fitted
    assert _bare(say(words.FITTED_LEAD)) not in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("fitted, path, value", [(text, path, value) for text, given in FITTED_BY.items()
                                                 for path, value in given])
def test_a_fitted_paragraph_is_there_exactly_when_its_answer_was_given(store, language, fitted, path, value):
    say = Words(language, "consent")
    text = _text(countersigned_pdf(store, with_answer(healthy_answers(), path, value), language))
    assert _bare(say(fitted)) in text and _bare(say(words.FITTED_LEAD)) in text
    for other in set(FITTED_BY) - {fitted}:
        assert _bare(say(other)) not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_decision_word_flag_title_or_rule_id_is_ever_in_it(store, language):
    answers = healthy_answers()
    for path, value in (("skin.fitzpatrick_type", 6), ("neurology.migraine", "with_aura"),
                        ("neurology.right_to_left_shunt", "symptomatic"), ("reproductive.pregnancy", "yes")):
        answers = with_answer(answers, path, value)
    assert assess(intake_of(answers), AS_OF).decision == "not_eligible"
    text = _text(countersigned_pdf(store, answers, language)).lower()
    everyones = _text(countersigned_pdf(store, healthy_answers(), language)).lower()
    # A title that is a word every patient reads ("Migraine": foam may bring one on) says nothing of theirs.
    titles = [rule.title for rule in ALL_RULES if _bare(rule.title).lower() not in everyones]
    rule_ids = [rule.rule_id for rule in ALL_RULES]  # as written: "MIGRAINE", not the word "migraine"
    banned = [*DECISION_LABELS.values(), *DECISION_LABELS, "eligib", *titles]
    assert [word for word in banned if _bare(word).lower() in text] == []
    assert [rule_id for rule_id in rule_ids if rule_id in _text(countersigned_pdf(store, answers, language))] == []


def test_the_english_reads_at_or_below_us_grade_8():
    from textstat.textstat import textstatistics

    read = [group.title + ". " + " ".join(group.paragraphs) for group in GROUPS]
    read += [paragraph.text for paragraph in words.FITTED]
    grade = textstatistics().flesch_kincaid_grade(" ".join(read))
    assert grade <= 8, grade


def test_the_pdf_names_the_signers_times_version_questions_and_answer(store):
    pdf = countersigned_pdf(store, healthy_answers(), "es", decision="questions",
                            questions="¿Puedo nadar después? <b> & \"comillas\"", answer="Sí, a las 48 horas.")
    text = _text(pdf)
    for shown in ("¿Puedonadardespués?<b>&\"comillas\"", "Sí,alas48horas.", "AdaExample(ada)", "AlexExample",
                  "21November2026,09:45UTC", "21November2026,08:30UTC", _bare(words.CONSENT_WORDING_VERSION),
                  _bare(Words("es", "consent")(words.CHOICES["questions"]))):
        assert shown in text, shown
    reader = PdfReader(BytesIO(pdf))
    assert "Alex" not in str(reader.metadata) and "Example" not in str(reader.metadata)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (Debian poppler-utils)")
def test_the_drawn_signature_shows_on_the_page_as_an_image(store, tmp_path):
    signed = countersigned_pdf(store, healthy_answers(), "en")
    unsigned = countersigned_pdf(store, healthy_answers(), "en", signature=None)
    marks = dark_marks_only_in(signed, unsigned, tmp_path)
    assert marks and all(darkest < 80 for _, darkest in marks), marks


def test_one_changed_byte_of_the_stored_pdf_makes_verify_fail_and_the_pdf_is_never_rendered_again(store):
    kept = countersigned(store, healthy_answers(), "en")
    assert store.consents.verify(kept.id)[0] is True
    with pytest.raises(Exception, match="already countersigned"):
        store.consents.countersign(kept.id, by="someone", at=kept.countersigned_at, answer="",
                                   render=lambda *_: b"%PDF-1.4 another")
    changed = bytearray(kept.pdf)
    changed[len(changed) // 2] ^= 0x01
    with store._writer.begin() as conn:
        conn.execute(update(consents).where(consents.c.id == kept.id).values(pdf=bytes(changed)))
    matches, message = store.consents.verify(kept.id)
    assert matches is False and "has changed" in message


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_blank_paper_form_holds_every_part_and_the_three_choices_in_its_language(language):
    say = Words(language, "consent")
    text = _text(render_consent_form(language))
    for message in [group.title for group in GROUPS] + [text for group in GROUPS for text in group.paragraphs] + \
            list(words.CHOICES.values()) + [words.QUESTIONS_LABEL, words.NAME_LABEL]:
        assert _bare(say(message)) in text, message
    assert all(_bare(say(fitted.text)) not in text for fitted in words.FITTED)


def _placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name is not None}


@pytest.mark.parametrize("language", [language for language in LANGUAGES if language != "en"])
def test_every_consent_message_is_translated_with_the_same_placeholders(language):
    with catalog_path(language, "consent").open("rb") as po:
        catalog = read_po(po, locale=language.replace("-", "_"), domain="consent")
    entries = {message.id: message for message in catalog if message.id}
    assert set(entries) == set(consent_messages())
    for msgid, message in entries.items():
        assert message.string.strip() and not message.fuzzy, msgid
        assert _placeholders(message.string) == _placeholders(msgid), msgid
