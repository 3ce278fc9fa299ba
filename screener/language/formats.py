"""Dates, numbers and units in a patient's language, by the conventions of CLDR (through Babel).

English is formatted as British English (``9 March 1984``), the spelling of the
questionnaire: day before month, never the ambiguous ``03/09/1984``.
"""

from __future__ import annotations

from datetime import date

from .i18n import babel_locale_name, check_language

# The locale whose conventions a language's patients read; English as the questionnaire writes it.
FORMAT_LOCALES = {"en": "en_GB"}
# The questionnaire's unit symbols, by CLDR's unit names.
CLDR_UNITS = {
    "mm": "length-millimeter",
    "cm": "length-centimeter",
    "m": "length-meter",
    "in": "length-inch",
    "ft": "length-foot",
    "kg": "mass-kilogram",
    "lb": "mass-pound",
    "st": "mass-stone",
}


def format_locale(language: str) -> str:
    """Babel's locale for formatting in ``language``."""
    return FORMAT_LOCALES.get(check_language(language), babel_locale_name(language))


def long_date(day: date, language: str) -> str:
    """``9 March 1984``, ``9 de marzo de 1984``, ``1984年3月9日``."""
    from babel.dates import format_date

    return format_date(day, "long", locale=format_locale(language))


def month_names(language: str) -> dict[int, str]:
    """The twelve months by number, as a date picker lists them (standing alone, not inside a date)."""
    from babel.dates import get_month_names

    return dict(get_month_names("wide", "stand-alone", locale=format_locale(language)))


def number(value: float, language: str) -> str:
    """A number with the language's decimal mark and grouping: ``172.5``, ``172,5``."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=format_locale(language))


def number_with_unit(value: float, unit: str, language: str) -> str:
    """A number with its unit, ordered and spaced as the language writes it: ``172,5 cm``, ``172.5厘米``."""
    from babel.units import format_unit

    if unit not in CLDR_UNITS:
        raise ValueError(f"no CLDR unit is known for {unit!r}; add it to screener.language.formats.CLDR_UNITS")
    return format_unit(value, CLDR_UNITS[unit], length="short", locale=format_locale(language))
