"""``CONSENT_WORDING_VERSION`` must change whenever any word of the consent to the treatment changes, in
English or in a translation (issue 22): a stored consent names the words its patient signed, and an older
one must read as "signed on an older version", never as agreement to words the patient never saw.

After changing any consent message or translation, bump ``CONSENT_WORDING_VERSION`` in
screener/clinical/consent.py and record the fingerprint the failing test prints in consent_fingerprints.json.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file

from fingerprints import assert_fingerprints_distinct, assert_version_recorded
from screener.clinical import consent
from screener.clinical.consent import CONSENT_WORDING_VERSION, consent_messages
from screener.language.wording import consent_fingerprint
from screener.language import catalogs

RECORDED = Path(__file__).parent / "consent_fingerprints.json"
SOURCE = Path(consent.__file__)


def test_the_consent_wording_version_matches_the_words():
    assert_version_recorded("CONSENT_WORDING_VERSION", CONSENT_WORDING_VERSION, consent_fingerprint(), RECORDED,
                            "screener/clinical/consent.py")


def test_each_recorded_consent_version_has_its_own_fingerprint():
    assert_fingerprints_distinct(RECORDED)


def test_the_fingerprint_covers_every_marked_message():
    marked = {message for _, message, _, _ in extract_from_file("python", str(SOURCE))}
    assert marked and set(consent_messages()) == marked


def test_a_changed_english_word_changes_the_fingerprint(monkeypatch):
    before = consent_fingerprint()
    monkeypatch.setattr(consent, "READ", "I read this")
    assert consent_fingerprint() != before


def test_a_changed_translation_changes_the_fingerprint(monkeypatch):
    before = consent_fingerprint()
    read = catalogs.read_catalog

    def retranslated(path, language=None):
        catalog = read(path, language)
        if language == "zh-Hans" and path.stem == "consent":
            catalog[consent.READ].string += "。"
        return catalog

    monkeypatch.setattr(catalogs, "read_catalog", retranslated)
    assert consent_fingerprint() != before
