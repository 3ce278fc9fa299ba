"""FHIR commands: ``fhir questionnaire``, ``fhir bundle FILE`` and ``from-fhir FILE``.

Same exit codes as the rest of the command line: 0 done, 2 bad input (each problem as
``linkId: message`` on standard error), 1 any other failure, never a traceback.
"""

from __future__ import annotations

import argparse
import json

from .common import parse_as_of, read_input, read_intake, write_stdout
from ..clinical.engine import assess
from ..config import time_zone

TIMEZONE_HELP = ("the clinic's time zone (IANA name, e.g. Europe/London) for a signing time given without an "
                 "offset (default: SCREENER_TIMEZONE, else this machine's zone)")


def _write_json(resource: dict) -> None:
    write_stdout(json.dumps(resource, ensure_ascii=False, indent=2) + "\n")


def _command_questionnaire(args: argparse.Namespace) -> int:
    from ..fhir import questionnaire

    _write_json(questionnaire())
    return 0


def _command_bundle(args: argparse.Namespace) -> int:
    from ..fhir import bundle

    zone = time_zone(name=args.timezone, variable="--timezone")
    intake, as_of = read_intake(args)
    _write_json(bundle(intake, assess(intake, as_of), zone=zone))
    return 0


def _command_from_fhir(args: argparse.Namespace) -> int:
    from ..fhir.response import MAX_INPUT_BYTES, read_response

    as_of = parse_as_of(args.as_of)
    intake = read_response(read_input(args.file, MAX_INPUT_BYTES), as_of)
    _write_json(intake.model_dump(mode="json", exclude_none=True))
    return 0


def register(commands) -> None:
    as_of_help = "assessment date, YYYY-MM-DD (default: today)"
    fhir = commands.add_parser("fhir", help="the intake and submissions as HL7 FHIR R4")
    fhir_commands = fhir.add_subparsers(dest="fhir_command", required=True, parser_class=type(fhir))

    questionnaire_cmd = fhir_commands.add_parser("questionnaire", help="print the intake as an R4 Questionnaire (JSON)")
    questionnaire_cmd.set_defaults(run=_command_questionnaire)

    bundle_cmd = fhir_commands.add_parser(
        "bundle", help="print an intake and its assessment as an R4 Bundle (Patient, QuestionnaireResponse, "
                       "Consent, RiskAssessment, DetectedIssue)")
    bundle_cmd.add_argument("file", help="intake JSON file, or - for standard input")
    bundle_cmd.add_argument("--as-of", help=as_of_help)
    bundle_cmd.add_argument("--timezone", help=TIMEZONE_HELP)
    bundle_cmd.set_defaults(run=_command_bundle)

    from_cmd = commands.add_parser(
        "from-fhir", help="read a QuestionnaireResponse (alone or in a Bundle) and print the intake JSON")
    from_cmd.add_argument("file", help="QuestionnaireResponse or Bundle JSON file, or - for standard input")
    from_cmd.add_argument("--as-of", help=as_of_help)
    from_cmd.set_defaults(run=_command_from_fhir)
