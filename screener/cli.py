"""The command line of SCREENING.md section 6: ``assess``, ``pdf`` and ``rules``; and the command groups.

Exit codes: 0 done; 2 bad input (invalid intake, malformed JSON, missing file, bad
``--as-of``), each problem as ``dotted.path: message`` on standard error; 1 any other
failure, in one line. Never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import re
import json
import sys
from datetime import date
from pathlib import Path
from typing import Optional, Sequence

from .engine import assess
from .errors import InvalidIntake, Problem, ScreenerError
from .intake import MAX_INTAKE_BYTES, parse_intake
from .models import Intake
from .rules import ALL_RULES

# Further command groups, each a module with ``register(commands)`` that adds its subcommands.
# They import anything heavy inside their commands, so ``assess`` starts as fast as before.
COMMAND_GROUPS: tuple[str, ...] = (
    "screener.cli_i18n",
    "screener.cli_handout",
    "screener.cli_backup",
    "screener.cli_fhir",
    "screener.cli_staff",
    "screener.cli_reassess",
)

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1
MAX_PROBLEMS_SHOWN = 50


class BadInput(ScreenerError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(map(str, problems)))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would exit; we report like any other bad input
        raise BadInput([Problem("", f"{message} (see: python -m screener --help)")])


def parse_as_of(text: Optional[str]) -> date:
    if text is None:
        return date.today()
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput([Problem("--as-of", f"Enter a date as YYYY-MM-DD, not {text!r}.")]) from None


def read_input(file: str) -> bytes:
    """The bytes of ``file`` (``-``: standard input), at most one past ``MAX_INTAKE_BYTES``,
    so an endless or huge input ends at once and ``parse_intake`` refuses it by its size."""
    if file == "-":
        return _read_standard_input()
    try:
        with open(file, "rb") as stream:
            return stream.read(MAX_INTAKE_BYTES + 1)
    except FileNotFoundError:
        raise BadInput([Problem(file, "No such file.")]) from None
    except IsADirectoryError:
        raise BadInput([Problem(file, "This is a folder, not a file.")]) from None
    except OSError as exc:
        raise BadInput([Problem(file, f"Cannot be read ({exc.strerror}).")]) from None


def _read_standard_input() -> bytes:
    if sys.stdin is None:  # Python's stand-in when the process was started with it closed
        raise BadInput([Problem("-", "Standard input is closed; pipe the intake in or give a file.")])
    try:
        return sys.stdin.buffer.read(MAX_INTAKE_BYTES + 1)
    except (OSError, ValueError) as exc:  # ValueError: a stream Python already considers closed
        raise BadInput([Problem("-", f"Standard input cannot be read ({getattr(exc, 'strerror', None) or exc}).")]) from None


def read_intake(args: argparse.Namespace) -> tuple[Intake, date]:
    as_of = parse_as_of(args.as_of)
    return parse_intake(read_input(args.file), as_of), as_of


def write_stdout(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _command_assess(args: argparse.Namespace) -> int:
    intake, as_of = read_intake(args)
    write_stdout(json.dumps(assess(intake, as_of).model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    return 0


def _command_pdf(args: argparse.Namespace) -> int:
    intake, as_of = read_intake(args)  # before loading reportlab: bad input is refused at once
    from .pdf import render_pdf

    pdf = render_pdf(intake, assess(intake, as_of))
    try:
        Path(args.output).write_bytes(pdf)
    except OSError as exc:  # not bad input (exit 2) but a failure of its own: exit 1, one line
        raise ScreenerError(f"{args.output}: cannot be written ({exc.strerror}).") from None
    return 0


def _command_rules(args: argparse.Namespace) -> int:
    if args.format == "markdown":
        from .rule_card import card_markdown

        write_stdout(card_markdown())
        return 0
    if args.format == "json":
        from .rule_card import card_data

        write_stdout(json.dumps(card_data(), ensure_ascii=False, indent=2) + "\n")
        return 0
    lines = ["rule_id\tseverity\ttitle\tsource"]
    lines += [f"{rule.rule_id}\t{rule.severity}\t{rule.title}\t{rule.source}" for rule in ALL_RULES]
    write_stdout("\n".join(lines) + "\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m screener", description="Microsclerotherapy eligibility screening.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
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

    for group in COMMAND_GROUPS:
        importlib.import_module(group).register(commands)
    return parser


def _report(problems: list[Problem]) -> None:
    """Every problem, one a line, up to ``MAX_PROBLEMS_SHOWN``; then how many more there are."""
    lines = [f"{problem}\n" for problem in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more problems.\n")
    sys.stderr.write("".join(lines))


def main(argv: Optional[Sequence[str]] = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return args.run(args)
    except (InvalidIntake, BadInput) as exc:
        _report(exc.problems)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        return EXIT_FAILURE
    except ScreenerError as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_FAILURE
    except Exception as exc:  # the promise is one line, never a traceback
        sys.stderr.write(f"Failed: {type(exc).__name__}: {exc}".splitlines()[0] + "\n")
        return EXIT_FAILURE
