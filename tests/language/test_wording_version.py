"""``WORDING_VERSION`` must change whenever any word a patient reads changes (issue 13).

The fingerprint covers the English of every patient message (as extracted) and every
translation in every shipped catalog. After changing any of them, run
``python -m screener i18n extract``, have the translations done, bump ``WORDING_VERSION``
in screener/language/wording.py and record the new fingerprint printed by the failing test in
tests/wording_fingerprints.json. A stored record names the version its patient read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fingerprints import assert_fingerprints_distinct, assert_version_recorded
from screener.language import screens
from screener.clinical.questionnaire import CONSENT_STATEMENT
from screener.language.wording import WORDING_VERSION, capture_for, wording_fingerprint

RECORDED = Path(__file__).parent / "wording_fingerprints.json"


def test_wording_version_matches_the_words():
    assert_version_recorded("WORDING_VERSION", WORDING_VERSION, wording_fingerprint(), RECORDED, "screener/language/wording.py")


def test_each_recorded_wording_version_has_its_own_fingerprint():
    assert_fingerprints_distinct(RECORDED)


def test_a_change_to_an_english_word_changes_the_fingerprint(monkeypatch):
    before = wording_fingerprint()
    monkeypatch.setattr(screens, "THANK_YOU_TITLE", "Thanks")
    assert wording_fingerprint() != before


def test_a_change_to_a_translation_changes_the_fingerprint(monkeypatch):
    from screener.language import catalogs

    before = wording_fingerprint()
    read = catalogs.read_catalog

    def retranslated(path, language=None):
        catalog = read(path, language)
        if language == "es":
            catalog[CONSENT_STATEMENT].string += " "
        return catalog

    monkeypatch.setattr(catalogs, "read_catalog", retranslated)
    assert wording_fingerprint() != before


@pytest.mark.parametrize("language, starts", [
    ("en", "I confirm that my answers"), ("es", "Confirmo que mis respuestas"), ("zh-Hans", "我确认")])
def test_a_submission_records_its_language_wording_and_consent_in_the_patients_words(language, starts):
    capture = capture_for(language, {"patient.height_cm": "5 ft 6 in"})
    assert capture.language == language and capture.wording_version == WORDING_VERSION
    assert capture.consent_statement.startswith(starts)
    assert capture.entered == {"patient.height_cm": "5 ft 6 in"}


def test_a_capture_for_a_language_not_shipped_is_refused():
    from screener.language.i18n import UnknownLanguage

    with pytest.raises(UnknownLanguage):
        capture_for("fr")
