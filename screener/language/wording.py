"""The version of the words a patient reads, and what a submission records of them.

``WORDING_VERSION`` names the questionnaire's words in every shipped language. Change
any patient-facing text (the English in questionnaire.py or a validation message, or a
translation in any catalog) and the version must change with it:
``tests/test_wording_version.py`` ties each version to a fingerprint of the words, as
``tests/test_rules_version.py`` does for the rules. So a stored record says exactly
which words its patient answered and signed.
"""

from __future__ import annotations

import hashlib
import json

from .i18n import ENGLISH_NAMES, LANGUAGE_NAMES, SOURCE_LANGUAGE, Words, check_language

WORDING_VERSION = "2026.12.09-1"


def wording_fingerprint() -> str:
    """A digest of every patient message and its translation in every shipped language."""
    from .catalogs import DOMAIN, read_catalog, extract_messages, translated_languages
    from .i18n import catalog_path

    # Sorted: the version names the words, not the order the modules declare them in.
    messages = {SOURCE_LANGUAGE: sorted((message.id for message in extract_messages()), key=json.dumps)}
    for language in translated_languages():
        path = catalog_path(language, DOMAIN)
        catalog = read_catalog(path, language) if path.exists() else []
        messages[language] = sorted(([message.id, message.string] for message in catalog if message.id), key=json.dumps)
    return hashlib.sha256(json.dumps(messages, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def consent_fingerprint() -> str:
    """A digest of the consent to the treatment's words in English and in every translation shipped: what
    ``screener.clinical.consent.CONSENT_WORDING_VERSION`` names (tests/language/test_consent_version.py)."""
    from ..clinical.consent import consent_messages
    from .catalogs import read_catalog, translated_languages
    from .i18n import catalog_path

    words = {SOURCE_LANGUAGE: sorted(consent_messages())}
    for language in translated_languages():
        path = catalog_path(language, "consent")
        catalog = read_catalog(path, language) if path.exists() else []
        words[language] = sorted([message.id, message.string] for message in catalog if message.id)
    return hashlib.sha256(json.dumps(words, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def capture_for(language: str, entered: dict[str, str] | None = None):
    """The ``Capture`` of a submission answered in ``language``: the language, this wording
    version and the consent statement in the words the patient saw."""
    from ..clinical.questionnaire import CONSENT_STATEMENT
    from ..storage.records import Capture

    return Capture(language=check_language(language), wording_version=WORDING_VERSION,
                   consent_statement=Words(language)(CONSENT_STATEMENT), entered=dict(entered or {}))


def language_named(language: str) -> str:
    """A stored language for the clinician: ``Spanish, Español``; a code no longer shipped, as stored."""
    english = ENGLISH_NAMES.get(language, language)
    own = LANGUAGE_NAMES.get(language, english)
    return english if own == english else f"{english}, {own}"


def consent_statements(capture) -> list[tuple[str, str]]:
    """(label, statement): the consent as the patient read it and, when that was not English, the
    English beside it, saying so when the English is today's rather than the wording signed under."""
    from ..clinical.questionnaire import CONSENT_STATEMENT

    if capture is None or not capture.consent_statement:
        return [("Statement shown", CONSENT_STATEMENT)]
    if capture.language == SOURCE_LANGUAGE:
        return [("Statement shown", capture.consent_statement)]
    english = "Statement in English"
    if capture.wording_version != WORDING_VERSION:
        english += f" (wording {WORDING_VERSION}; signed under {capture.wording_version or 'an unrecorded wording'})"
    return [(f"Statement shown, in {ENGLISH_NAMES.get(capture.language, capture.language)}", capture.consent_statement),
            (english, CONSENT_STATEMENT)]
