"""Patient-facing words in the patient's language: gettext catalogs read through Babel.

The English words are the message ids (gettext's convention); each language has one
``.po`` catalog per domain in ``screener/language/locale/<language>/LC_MESSAGES/<domain>.po``,
which a translator's tool opens as it is. Catalogs are compiled in memory when first
asked for, so adding a language is adding its catalog files; there is no build step.
The contract's English (the model's messages, the CLI, the clinician side) is never
translated: translation happens where a patient reads.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import NamedTuple

LOCALE_DIR = Path(__file__).with_name("locale")
SOURCE_LANGUAGE = "en"
# Every language a catalog ships for, by its own name, as a patient looks for it.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "es": "Español", "zh-Hans": "中文（简体）"}
# The same names in English, for the clinician side.
ENGLISH_NAMES: dict[str, str] = {"en": "English", "es": "Spanish", "zh-Hans": "Chinese (Simplified)"}
DOMAINS = ("patient", "handout", "consent")


class UnknownLanguage(ValueError):
    """A language code with no shipped catalogs."""


def check_language(language: str) -> str:
    """``language`` itself when the project ships it; UnknownLanguage naming the known codes otherwise."""
    if language not in LANGUAGE_NAMES:
        known = ", ".join(LANGUAGE_NAMES)
        raise UnknownLanguage(f"{language!r} is not a language this screener ships (known: {known})")
    return language


def catalog_path(language: str, domain: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


@lru_cache(maxsize=None)  # catalogs are shipped words, never patient data
def translations(language: str, domain: str = "patient") -> gettext.NullTranslations:
    """The compiled catalog of ``domain`` in ``language``; English is the words themselves."""
    check_language(language)
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalog_path(language, domain).open("rb") as po:
        catalog = read_po(po, locale=babel_locale_name(language), domain=domain)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def babel_locale_name(language: str) -> str:
    """Babel's name for a language code (``zh-Hans`` is ``zh_Hans``)."""
    return language.replace("-", "_")


class Words:
    """The words of one language and domain: ``words("Next")``, ``words.plural("{n} day", "{n} days", n)``."""

    def __init__(self, language: str = SOURCE_LANGUAGE, domain: str = "patient") -> None:
        self.language = check_language(language)
        self.domain = domain
        self._translations = translations(language, domain)

    def __call__(self, message: str, **values: object) -> str:
        text = self._translations.gettext(message) if message else message
        return text.format(**values) if values else text

    def plural(self, singular: str, plural: str, count: int, **values: object) -> str:
        return self._translations.ngettext(singular, plural, count).format(count=count, **values)


class Plural(NamedTuple):
    """Words whose form depends on a count, as one catalog entry: ``Plural("{count} day", "{count} days")``."""

    singular: str
    plural: str
