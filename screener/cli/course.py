"""The course of treatment from the command line: ``treatment add``, ``treatment list`` and ``recall``.

``treatment add SUBMISSION_ID ...`` records one session against the submission that screened it,
checked as the staff area checks it; every refusal (an excluded agent or foam without a reason, an
expired lot, a volume or concentration outside the label's range, an unknown submission or account)
exits 2 with each problem as ``field: message``. ``recall --lot L`` lists every patient treated with
that lot, as CSV (JSON with ``--format json``), to standard output or a file private to its owner;
cells a spreadsheet would run as formulas are quoted. Both are audited under the clinician named
(``--by``) or ``cli:<operating-system user>``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, timezone

from ..clinical.errors import Problem
from ..config import database_url
from .common import BadInput, actor, parse_as_of, private_output, write_stdout

def register(commands) -> None:
    treatment = commands.add_parser("treatment", help="record and list treatment sessions")
    actions = treatment.add_subparsers(dest="treatment_command", required=True, parser_class=type(treatment))
    add = actions.add_parser("add", help="record one session against the submission that screened it")
    add.add_argument("submission_id")
    add.add_argument("--agent", required=True,
                     help="polidocanol, sodium_tetradecyl_sulfate, hypertonic_saline or glycerin")
    add.add_argument("--concentration", required=True, help="per cent, e.g. 0.5")
    add.add_argument("--form", required=True, help="liquid or foam")
    add.add_argument("--gas", help="with foam: air, co2 or co2_o2")
    add.add_argument("--volume-ml", required=True, help="total volume in mL")
    add.add_argument("--areas", required=True, help="comma-separated: left_thigh, left_knee, left_calf, "
                                                    "left_ankle_foot, right_..., face, other")
    add.add_argument("--lot", required=True)
    add.add_argument("--expires", required=True, help="the lot's expiry, YYYY-MM-DD")
    add.add_argument("--date", help="the session's date, YYYY-MM-DD (default: today)")
    add.add_argument("--reactions", default="", help="comma-separated reactions seen: allergic, "
                                                     "visual_or_neurological, stroke_or_heart_event, "
                                                     "skin_necrosis_or_ulcer, marked_pigmentation")
    add.add_argument("--notes")
    add.add_argument("--override-reason", help="why an agent or foam the screening excludes is used")
    add.add_argument("--by", required=True, help="the username of the clinician who gave the treatment")
    add.set_defaults(run=_command_add)
    listed = actions.add_parser("list", help="the sessions of a patient, or of one submission")
    listed.add_argument("id", help="a patient id or a submission id")
    listed.set_defaults(run=_command_list)

    recall = commands.add_parser("recall", help="every patient treated with a lot (a manufacturer's recall)")
    recall.add_argument("--lot", required=True)
    recall.add_argument("--format", choices=("csv", "json"), default="csv")
    recall.add_argument("--out", help="write to this file, readable by you only (default: standard output)")
    recall.set_defaults(run=_command_recall)


def _list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _number(text: str, option: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise BadInput([Problem(option, f"Give a number, not {text!r}.")]) from None


def _clinician(store, username: str) -> str:
    account = store.accounts.get(username)
    if account is None or account.disabled:
        raise BadInput([Problem("--by", f"There is no enabled staff account named {username!r}.")])
    return account.username


def _command_add(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from ..clinical.errors import problems_from
    from ..clinical.treatment import TreatmentRecord
    from ..storage import NotFound, Store, TreatmentRefused

    session_date = parse_as_of(args.date)
    values = {"session_date": session_date, "agent": args.agent,
              "concentration_percent": _number(args.concentration, "--concentration"), "form": args.form,
              "gas": args.gas, "volume_ml": _number(args.volume_ml, "--volume-ml"), "areas": _list(args.areas),
              "lot": args.lot, "lot_expires": parse_as_of(args.expires), "reactions": _list(args.reactions),
              "notes": args.notes, "override_reason": args.override_reason}
    try:
        record = TreatmentRecord.model_validate(values)
    except ValidationError as exc:
        raise BadInput(problems_from(exc)) from None
    now = datetime.now(timezone.utc)
    with Store(database_url(must_exist=True)) as store:
        by = _clinician(store, args.by)
        try:
            saved = store.treatments.record(args.submission_id, record, by=by, at=now, today=date.today())
        except NotFound as exc:
            raise BadInput([Problem(args.submission_id, str(exc))]) from None
        except TreatmentRefused as exc:
            raise BadInput(exc.problems) from None
    write_stdout(f"{saved.id}\n")
    return 0


def _command_list(args: argparse.Namespace) -> int:
    from ..storage import NotFound, Store
    from ..storage.treatments import TREATMENTS_LISTED

    with Store(database_url(must_exist=True)) as store:
        try:
            store.patients.get(args.id)
            found = store.treatments.for_patient(args.id)
        except NotFound:
            found = store.treatments.for_submission(args.id)
            if not found:
                try:
                    store.get_submission(args.id)
                except NotFound:
                    raise BadInput([Problem(args.id, "No patient and no submission has this id.")]) from None
        store.record_event(staff=actor(), action=TREATMENTS_LISTED, at=datetime.now(timezone.utc),
                           detail=f"{len(found)} sessions of {args.id}")
    lines = ["treatment_id\tsession_date\tagent\tconcentration_percent\tform\tgas\tvolume_ml\tareas\tlot\t"
             "lot_expires\treactions\trecorded_by"]
    for item in found:
        record = item.record
        lines.append("\t".join(map(str, (item.id, record.session_date.isoformat(), record.agent,
                                         f"{record.concentration_percent:g}", record.form, record.gas or "",
                                         f"{record.volume_ml:g}", ",".join(record.areas), record.lot,
                                         record.lot_expires.isoformat(), ",".join(record.reactions), item.recorded_by))))
    write_stdout("\n".join(lines) + "\n")
    return 0


def _command_recall(args: argparse.Namespace) -> int:
    from ..storage import Store
    from ..storage.treatments import RECALL_COLUMNS, recall_csv

    with Store(database_url(must_exist=True)) as store:
        rows = store.treatments.recall(args.lot, by=actor(), at=datetime.now(timezone.utc))
    with private_output(args.out) as out:
        if args.format == "json":
            out.write(json.dumps({"lot": args.lot, "sessions": [
                {column: (value.isoformat() if isinstance(value, date) else value)
                 for column, value in ((column, getattr(row, column)) for column in RECALL_COLUMNS)}
                for row in rows]}, ensure_ascii=False, indent=2) + "\n")
        else:
            out.write(recall_csv(rows).decode("utf-8"))
    patients = len({row.patient_id for row in rows})
    sessions = f"{len(rows)} session{'' if len(rows) == 1 else 's'}"
    sys.stderr.write(f"Lot {args.lot}: {sessions} of {patients} patient{'' if patients == 1 else 's'}.\n")
    return 0
