"""``python -m screener handout FILE -o OUT.pdf [--as-of DATE] [--lang CODE]``: the patient's take-home sheet,
with the numbers of ``SCREENER_EMERGENCY_NUMBER`` and ``SCREENER_CLINIC_PHONE`` (``screener.config``)."""

from __future__ import annotations

import argparse
import os

from .common import BadInput, read_intake
from .. import config
from ..clinical.engine import assess
from ..clinical.errors import Problem, ScreenerError
from ..language.i18n import LANGUAGE_NAMES, SOURCE_LANGUAGE, UnknownLanguage, check_language

PRIVATE_FILE = 0o600  # the sheet holds notes from the patient's answers


def register(commands) -> None:
    handout = commands.add_parser(
        "handout", help="write the patient's take-home sheet (PDF) for an intake",
        epilog=f"The sheet prints SCREENER_EMERGENCY_NUMBER (default {config.DEFAULT_EMERGENCY_NUMBER}) and "
               "SCREENER_CLINIC_PHONE (unset: a line to write it on).")
    handout.add_argument("file", help="intake JSON file, or - for standard input")
    handout.add_argument("-o", "--output", required=True, help="the PDF file to write (created private to you)")
    handout.add_argument("--as-of", help="assessment date, YYYY-MM-DD (default: today)")
    handout.add_argument("--lang", default=SOURCE_LANGUAGE,
                         help=f"the patient's language: {', '.join(LANGUAGE_NAMES)} (default: {SOURCE_LANGUAGE})")
    handout.set_defaults(run=_command_handout)


def _command_handout(args: argparse.Namespace) -> int:
    try:
        language = check_language(args.lang)
    except UnknownLanguage as exc:
        raise BadInput([Problem("--lang", f"{exc}.")]) from None
    numbers = {"clinic_phone": config.clinic_phone(os.environ), "emergency_number": config.emergency_number(os.environ)}
    intake, as_of = read_intake(args)
    from ..documents.handout import render_handout  # reportlab and the fonts load only for a valid request

    pdf = render_handout(intake, assess(intake, as_of), language, **numbers)
    try:
        descriptor = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(descriptor, "wb") as output:
            output.write(pdf)
    except OSError as exc:  # not bad input (exit 2) but a failure of its own: exit 1, one line
        raise ScreenerError(f"{args.output}: cannot be written ({exc.strerror}).") from None
    return 0
