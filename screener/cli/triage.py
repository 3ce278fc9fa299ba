"""``python -m screener urgent``: the urgent submissions (same-day triage) waiting for a clinician.

One line a submission on standard output, oldest first (the longest wait first): its id, when it
was submitted (UTC, ISO 8601), its decision and review status; no name, no answer. Standard error
gets one line with the count and nothing of any patient. The listing is on the audit trail as
``cli:<operating-system user>``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone

from ..config import database_url
from .common import actor, write_stdout

def register(commands) -> None:
    command = commands.add_parser(
        "urgent", help="list urgent submissions waiting for review (ids and times, no patient data)",
        description="Lists the submissions whose assessment is urgent (a current clot, an inflamed vein, an open "
                    "ulcer or a bleeding vein: the patient needs a clinician the same day) and that no clinician "
                    "has reviewed yet, oldest first: id, time submitted (UTC), decision, review status.")
    command.add_argument("--all", action="store_true", help="also those already reviewed")
    command.set_defaults(run=_command_urgent)


def _command_urgent(args: argparse.Namespace) -> int:
    from ..storage import URGENT_LISTED_ACTION, Store

    with Store(database_url(must_exist=True)) as store:
        urgent = store.list_urgent(waiting_only=not args.all)
        store.record_event(staff=actor(), action=URGENT_LISTED_ACTION, at=datetime.now(timezone.utc),
                           detail="all urgent submissions" if args.all else "urgent submissions waiting for review")
    lines = ["submission_id\tsubmitted_at\tdecision\treview_status"]
    lines += [f"{item.id}\t{item.submitted_at.astimezone(timezone.utc).isoformat()}\t{item.decision}\t"
              f"{item.review_status}" for item in urgent]
    write_stdout("\n".join(lines) + "\n")
    what = "urgent submission" if len(urgent) == 1 else "urgent submissions"
    sys.stderr.write(f"{len(urgent)} {what}{'' if args.all else ' waiting for review'}.\n")
    return 0
