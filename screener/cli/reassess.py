"""``python -m screener reassess``: which stored submissions the current rules would screen differently.

Reads the database the app uses (``SCREENER_DATABASE_URL``, else the SQLite file in
``SCREENER_DATA_DIR``, default ``./data``), changes nothing in it, and writes the report
(CSV, or JSON with ``--format json``) to standard output or, with ``--out``, to a file
readable by its owner only, written whole or not at all. A progress bar (on a terminal,
for runs over a second) and a one-line summary go to standard error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, time
from typing import Optional

from .common import BadInput, parse_as_of, private_output
from ..clinical.errors import Problem
from ..clinical.rules import RULES_VERSION
from ..config import database_url, time_zone


def register(commands) -> None:
    command = commands.add_parser(
        "reassess", help="report stored submissions the current rules would screen differently",
        description="Assesses every stored intake under the current rules on its original assessment date and "
                    "reports each whose decision, flags or exclusions differ, or that can no longer be assessed. "
                    "Changes nothing stored.")
    command.add_argument("--since", help="only submissions from this date on, YYYY-MM-DD, in the clinic's time zone "
                                         "(SCREENER_TIMEZONE, else the computer's)")
    command.add_argument("--out", help="write the report to this file, readable by you only (default: standard output)")
    command.add_argument("--format", choices=("csv", "json"), default="csv", help="csv (default) or json")
    command.set_defaults(run=_command_reassess)


def since_moment(text: Optional[str], environ=os.environ) -> Optional[datetime]:
    """The start of the day ``--since`` names, in the clinic's time zone."""
    if text is None:
        return None
    try:
        day = parse_as_of(text)
    except BadInput as exc:
        raise BadInput([Problem("--since", problem.message) for problem in exc.problems]) from None
    zone = time_zone(environ)
    return datetime.combine(day, time(), tzinfo=zone) if zone else datetime.combine(day, time()).astimezone()


def _progress(submissions, total: int):
    from tqdm import tqdm

    return tqdm(submissions, total=total, file=sys.stderr, unit=" submissions", disable=None, delay=1.0,
                leave=False)


def _command_reassess(args: argparse.Namespace) -> int:
    from ..clinical.impact import ImpactSummary, csv_cells, csv_writer, impact_rows
    from ..storage import Store

    since = since_moment(args.since)
    url = database_url(must_exist=True)
    summary = ImpactSummary()
    with Store(url) as store, private_output(args.out) as out:
        rows = impact_rows(_progress(store.iter_submissions(since), store.count_submitted_since(since)), summary)
        if args.format == "csv":
            writer = csv_writer(out)
            for row in rows:
                writer.writerow(csv_cells(row))
        else:
            out.write(f'{{"rules_version": {json.dumps(RULES_VERSION)}, "submissions": [')
            for number, row in enumerate(rows):
                out.write(("," if number else "") + "\n  " + json.dumps(row.as_data(), ensure_ascii=False))
            out.write(f'\n], "summary": {json.dumps(summary.as_data())}}}\n')
    sys.stderr.write(summary.line() + "\n")
    return 0
