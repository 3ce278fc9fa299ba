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

from .i18n import SOURCE_LANGUAGE, Words, check_language

WORDING_VERSION = "2026.12.01-2"


def wording_fingerprint() -> str:
    """A digest of every patient message and its translation in every shipped language."""
    from .catalogs import DOMAIN, read_catalog, extract_messages, translated_languages
    from .i18n import catalog_path

    words = {SOURCE_LANGUAGE: [message.id for message in extract_messages()]}
    for language in translated_languages():
        path = catalog_path(language, DOMAIN)
        catalog = read_catalog(path, language) if path.exists() else []
        words[language] = sorted(([message.id, message.string] for message in catalog if message.id), key=json.dumps)
    return hashlib.sha256(json.dumps(words, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def capture_for(language: str, entered: dict[str, str] | None = None):
    """The ``Capture`` of a submission answered in ``language``: the language, this wording
    version and the consent statement in the words the patient saw."""
    from .questionnaire import CONSENT_STATEMENT
    from .storage.records import Capture

    return Capture(language=check_language(language), wording_version=WORDING_VERSION,
                   consent_statement=Words(language)(CONSENT_STATEMENT), entered=dict(entered or {}))
