"""The command line: ``python -m screener COMMAND``; each command group is a module of this package.

Exit codes: 0 done; 2 bad input (invalid intake, malformed JSON, missing file, bad
``--as-of``), each problem as ``dotted.path: message`` on standard error; 1 any other
failure, in one line. Never a traceback.
"""

from __future__ import annotations

import importlib
import sys
from typing import Optional, Sequence

from ..clinical.errors import InvalidIntake, Problem, ScreenerError
from ..config import ConfigError
from .common import EXIT_BAD_INPUT, EXIT_FAILURE, MAX_PROBLEMS_SHOWN, BadInput, Parser

# Further command groups, each a module with ``register(commands)`` that adds its subcommands.
# They import anything heavy inside their commands, so ``assess`` starts as fast as before.
COMMAND_GROUPS: tuple[str, ...] = (
    "screener.cli.screening",
    "screener.cli.i18n",
    "screener.cli.handout",
    "screener.cli.backup",
    "screener.cli.fhir",
    "screener.cli.staff",
    "screener.cli.reassess",
    "screener.cli.triage",
    "screener.cli.course",
    "screener.cli.invite",
    "screener.cli.cds",
    "screener.cli.consent",
)



def _parser() -> Parser:
    parser = Parser(prog="python -m screener", description="Microsclerotherapy eligibility screening.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
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
    except ConfigError as exc:  # a setting or option that cannot be used: bad input like any other
        _report([Problem(exc.variable, exc.message)])
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
