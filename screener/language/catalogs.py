"""The patient catalogs kept in step with the words: extract the template, update each language, check them.

Every message comes from the modules a patient reads: :mod:`screener.clinical.questionnaire`
(its constants, dicts, tuples, ``Step`` and ``Question`` objects and ``Plural`` entries), the
wizard's screen texts in :mod:`screener.language.screens` and the validation messages of
:mod:`screener.language.patient_messages`. ``extract`` writes
``screener/language/locale/patient.pot`` and updates every shipped language's ``patient.po``
(new messages untranslated, removed ones dropped); ``check`` lists what keeps the
catalogs from being complete. Both are ``python -m screener i18n extract|check``.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Iterator, Union

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from . import patient_messages, screens
from ..clinical import questionnaire
from .i18n import LANGUAGE_NAMES, LOCALE_DIR, SOURCE_LANGUAGE, Plural, babel_locale_name, catalog_path
from ..clinical.questionnaire import Question, Step

DOMAIN = "patient"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
PROJECT = "Microsclerotherapy screener"
# Names of questionnaire.py not read for words: those only the clinician side reads (it stays
# in English), and STEP_BY_SECTION, an index of STEPS.
NOT_PATIENT_WORDS = frozenset({"DECISION_LABELS", "SEVERITY_LABELS", "AGENT_LABELS", "TECHNIQUE_LABELS",
                               "STEP_BY_SECTION", "ENTERED_AS", "OWN_WORDS_TITLE", "NOT_ASKED_THEN",
                               "NOT_ASKED_THIS_TIME"})
# Where a message is used, told to the translator; a message used in many places lists the first few.
MAX_PLACES = 4

MessageId = Union[str, tuple[str, str]]


@dataclass(frozen=True)
class Message:
    """One catalog entry: the English words (a pair for a plural) and where a patient reads them."""

    id: MessageId
    places: tuple[str, ...]


def _words_in(value: object, place: str) -> Iterator[tuple[MessageId, str]]:
    if isinstance(value, str):
        if value.strip():
            yield value, place
    elif isinstance(value, Plural):
        yield (value.singular, value.plural), place
    elif isinstance(value, Step):
        yield from _words_in(value.title, f"{place}.title")
        yield from _words_in(value.intro, f"{place}.intro")
        for question in value.questions:
            yield from _words_in(question, f"{place}.{question.name}")
    elif isinstance(value, Question):
        for part in ("gate", "text", "help"):
            yield from _words_in(getattr(value, part), f"{place}.{part}")
        for key, label in value.choices.items():
            yield from _words_in(label, f"{place}.choices[{key!r}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _words_in(item, f"{place}[{key!r}]")
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            key = item.section if isinstance(item, Step) else index
            yield from _words_in(item, f"{place}[{key!r}]")


def _module_words(module, skip: frozenset = frozenset()) -> Iterator[tuple[MessageId, str]]:
    for name, value in vars(module).items():
        if name.isupper() and name not in skip:
            yield from _words_in(value, f"{module.__name__.rsplit('.', 1)[-1]}.{name}")


def extract_messages() -> list[Message]:
    """Every message a patient can read, once each, in the order the modules declare them."""
    places: dict[MessageId, list[str]] = {}
    found = [*_module_words(questionnaire, NOT_PATIENT_WORDS), *_module_words(screens),
             *_module_words(patient_messages)]
    for message_id, place in found:
        places.setdefault(message_id, []).append(place)
    return [Message(message_id, tuple(where)) for message_id, where in places.items()]


def placeholders(text: str) -> frozenset[str]:
    """The named placeholders of a message: ``{count}`` and the like."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def template_catalog(messages: list[Message]) -> Catalog:
    catalog = Catalog(project=PROJECT, domain=DOMAIN, fuzzy=False, creation_date=None)
    for message in messages:
        shown = list(message.places[:MAX_PLACES])
        if len(message.places) > MAX_PLACES:
            shown.append(f"and {len(message.places) - MAX_PLACES} more")
        catalog.add(message.id, auto_comments=shown)
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    out = BytesIO()
    write_po(out, catalog, width=100, omit_header=False, ignore_obsolete=True, sort_output=False)
    return out.getvalue()


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=babel_locale_name(language) if language else None, domain=DOMAIN)


def _ids(catalog: Catalog) -> set[MessageId]:
    return {message.id for message in catalog if message.id}


def _write_if_changed(path: Path, content: bytes) -> bool:
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def translated_languages() -> list[str]:
    return [language for language in LANGUAGE_NAMES if language != SOURCE_LANGUAGE]


def extract() -> list[Path]:
    """Write the template and bring every language's catalog up to it; the files that changed."""
    template = template_catalog(extract_messages())
    if TEMPLATE.exists():  # the same words give the same file
        template.creation_date = read_catalog(TEMPLATE).creation_date
    changed = [TEMPLATE] if _write_if_changed(TEMPLATE, _po_bytes(template)) else []
    for language in translated_languages():
        path = catalog_path(language, DOMAIN)
        if path.exists():
            catalog = read_catalog(path, language)
            catalog.update(template, update_header_comment=False, update_creation_date=False)
        else:
            catalog = Catalog(locale=babel_locale_name(language), domain=DOMAIN, project=PROJECT, creation_date=None)
            catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        if _write_if_changed(path, _po_bytes(catalog)):
            changed.append(path)
    return changed


def _forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]


def _placeholder_problem(message) -> str:
    sources = [message.id] if isinstance(message.id, str) else list(message.id)
    expected = frozenset().union(*map(placeholders, sources))
    forms = _forms(message)
    for number, form in enumerate(forms, start=1):
        found = placeholders(form)
        # A plural's forms before the last may say "one" instead of showing {count}.
        singular_words = isinstance(message.id, tuple) and number < len(forms) and found == expected - {"count"}
        if found != expected and not singular_words:
            shown = ", ".join(sorted(f"{{{name}}}" for name in expected)) or "none"
            return f"the placeholders must be {shown}, as in English"
    return ""


def catalog_problems(language: str, expected: set[MessageId]) -> list[str]:
    """What keeps ``language``'s catalog from giving every message correctly; each line names the message."""
    path = catalog_path(language, DOMAIN)
    if not path.exists():
        return [f"{language}: no catalog at {path}; run: python -m screener i18n extract"]
    catalog = read_catalog(path, language)
    problems = []
    for message in catalog:
        if not message.id or message.id not in expected:
            continue
        english = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy:
            problems.append(f"{language}: {english!r} is marked fuzzy (check the translation, then remove the mark)")
        elif not all(form.strip() for form in _forms(message)):
            problems.append(f"{language}: {english!r} is not translated")
        elif problem := _placeholder_problem(message):
            problems.append(f"{language}: {english!r}: {problem}")
    missing = expected - _ids(catalog)
    problems += [f"{language}: {message_id!r} is missing; run: python -m screener i18n extract" for message_id in missing]
    return problems


def check() -> list[str]:
    """Every problem of the template and the catalogs; empty when all are complete and current."""
    messages = extract_messages()
    expected = {message.id for message in messages}
    problems = []
    if not TEMPLATE.exists() or _ids(read_catalog(TEMPLATE)) != expected:
        problems.append(f"{TEMPLATE.name} is stale: the words changed; run: python -m screener i18n extract")
    for language in translated_languages():
        problems += catalog_problems(language, expected)
    return problems
