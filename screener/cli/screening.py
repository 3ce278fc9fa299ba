"""``assess``, ``pdf`` and ``rules``: SCREENING.md section 6."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..clinical.engine import assess
from ..clinical.errors import ScreenerError
from ..clinical.rules import ALL_RULES
from .common import read_intake, write_stdout


def _command_assess(args: argparse.Namespace) -> int:
    intake, as_of = read_intake(args)
    write_stdout(json.dumps(assess(intake, as_of).model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    return 0


def _command_pdf(args: argparse.Namespace) -> int:
    intake, as_of = read_intake(args)  # before loading reportlab: bad input is refused at once
    from ..documents.summary import render_pdf

    pdf = render_pdf(intake, assess(intake, as_of))
    try:
        Path(args.output).write_bytes(pdf)
    except OSError as exc:  # not bad input (exit 2) but a failure of its own: exit 1, one line
        raise ScreenerError(f"{args.output}: cannot be written ({exc.strerror}).") from None
    return 0


def _command_rules(args: argparse.Namespace) -> int:
    if args.format == "markdown":
        from ..clinical.rule_card import card_markdown

        write_stdout(card_markdown())
        return 0
    if args.format == "json":
        from ..clinical.rule_card import card_data

        write_stdout(json.dumps(card_data(), ensure_ascii=False, indent=2) + "\n")
        return 0
    lines = ["rule_id\tseverity\ttitle\tsource"]
    lines += [f"{rule.rule_id}\t{rule.severity}\t{rule.title}\t{rule.source}" for rule in ALL_RULES]
    write_stdout("\n".join(lines) + "\n")
    return 0


def register(commands) -> None:
    """Add ``assess``, ``pdf`` and ``rules`` to the command line."""
    as_of_help = "assessment date, YYYY-MM-DD (default: today)"

    assess_cmd = commands.add_parser("assess", help="print the assessment JSON of an intake")
    assess_cmd.add_argument("file", help="intake JSON file, or - for standard input")
    assess_cmd.add_argument("--as-of", help=as_of_help)
    assess_cmd.set_defaults(run=_command_assess)

    pdf_cmd = commands.add_parser("pdf", help="write the clinician summary PDF of an intake")
    pdf_cmd.add_argument("file", help="intake JSON file, or - for standard input")
    pdf_cmd.add_argument("-o", "--output", required=True, help="the PDF file to write")
    pdf_cmd.add_argument("--as-of", help=as_of_help)
    pdf_cmd.set_defaults(run=_command_pdf)

    rules_cmd = commands.add_parser("rules", help="list every rule: id, severity, title, source")
    rules_cmd.add_argument("--format", choices=("tsv", "markdown", "json"), default="tsv",
                           help="tsv (default): id, severity, title, source; markdown or json: the rule card "
                                "for review, with each rule's condition, exclusions and action")
    rules_cmd.set_defaults(run=_command_rules)
