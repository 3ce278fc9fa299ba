"""``python -m screener i18n extract|check``: the patient catalogs kept in step with the words."""

from __future__ import annotations

import argparse

from .common import write_stdout
from ..clinical.errors import ScreenerError


def _command_extract(args: argparse.Namespace) -> int:
    from ..language.catalogs import LOCALE_DIR, check, extract

    changed = extract()
    root = LOCALE_DIR.parent.parent
    lines = [f"updated {path.relative_to(root)}" for path in changed] or ["the catalogs are up to date with the words"]
    left = check()
    if left:
        lines.append(f"{len(left)} messages still need a translator (python -m screener i18n check lists them)")
    write_stdout("\n".join(lines) + "\n")
    return 0


def _command_check(args: argparse.Namespace) -> int:
    from ..language.catalogs import check

    problems = check()
    if problems:  # listed on standard output; the failure itself is one line, as for every command
        write_stdout("\n".join(problems) + "\n")
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise ScreenerError(f"i18n check: {count} in the patient catalogs (listed above)")
    write_stdout("every shipped language translates every patient message\n")
    return 0


def register(commands) -> None:
    i18n = commands.add_parser("i18n", help="extract and check the patient catalogs (screener/language/locale)")
    actions = i18n.add_subparsers(dest="i18n_command", required=True, parser_class=type(i18n))
    extract = actions.add_parser("extract", help="write patient.pot and bring each language's patient.po up to it")
    extract.set_defaults(run=_command_extract)
    check = actions.add_parser("check", help="fail when patient.pot is stale or a catalog lacks or breaks a translation")
    check.set_defaults(run=_command_check)
