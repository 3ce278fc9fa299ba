"""The consent to the treatment from the command line.

``consent-form --lang L -o FORM.pdf`` prints the blank paper consent in a language, for a patient who cannot
use the tablet. ``consent record-paper SUBMISSION_ID --by USERNAME [--lang L]`` records that form as signed
with the submission and countersigns it in the clinician's name (audited; exit 2 for an unknown submission
or account). ``consent verify CONSENT_ID`` recomputes the SHA-256 of the stored, countersigned PDF and
compares it with the one the audit trail recorded at countersigning: exit 0 when they match, 1 when not.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

from ..clinical.errors import Problem, ScreenerError
from ..config import database_url
from ..language.i18n import LANGUAGE_NAMES, SOURCE_LANGUAGE, UnknownLanguage, check_language
from .common import EXIT_FAILURE, BadInput, actor, read_input, write_stdout

DECISIONS = ("agreed", "questions", "declined")
_LANGUAGES = f"{', '.join(LANGUAGE_NAMES)} (default: {SOURCE_LANGUAGE})"


def register(commands) -> None:
    form = commands.add_parser("consent-form", help="write the blank paper consent to the treatment (PDF)")
    form.add_argument("--lang", default=SOURCE_LANGUAGE, help=f"the patient's language: {_LANGUAGES}")
    form.add_argument("-o", "--output", required=True, help="the PDF file to write")
    form.set_defaults(run=_command_form)

    consent = commands.add_parser("consent", help="record a paper consent, or check a signed one")
    actions = consent.add_subparsers(dest="consent_command", required=True, parser_class=type(consent))
    paper = actions.add_parser("record-paper", help="record a paper consent as signed, countersigned by --by")
    paper.add_argument("submission_id")
    paper.add_argument("--by", required=True, help="the username of the clinician who countersigns")
    paper.add_argument("--lang", default=None, help=f"the form's language: {', '.join(LANGUAGE_NAMES)} "
                                                    "(default: the language the patient answered in)")
    paper.add_argument("--decision", choices=DECISIONS, default="agreed", help="the decision ticked on the form")
    paper.add_argument("--name", help="the name written on the form (default: the name in the answers)")
    paper.add_argument("--questions", default="", help="the questions written on the form")
    paper.add_argument("--answer", default="", help="how the questions were answered (needed with questions)")
    paper.add_argument("--scan", help="a scan of the signed form: PDF, PNG or JPEG, at most 10 MB")
    paper.set_defaults(run=_command_record_paper)
    verify = actions.add_parser("verify", help="check a countersigned consent's PDF against the audit trail")
    verify.add_argument("consent_id")
    verify.set_defaults(run=_command_verify)


def _language(text: str) -> str:
    try:
        return check_language(text)
    except UnknownLanguage as exc:
        raise BadInput([Problem("--lang", f"{exc}.")]) from None


def _command_form(args: argparse.Namespace) -> int:
    language = _language(args.lang)
    from ..documents.consent import render_consent_form  # reportlab and the fonts load only for a valid request

    try:
        Path(args.output).write_bytes(render_consent_form(language))  # blank: it holds nobody's data
    except OSError as exc:
        raise ScreenerError(f"{args.output}: cannot be written ({exc.strerror}).") from None
    return 0


def _command_record_paper(args: argparse.Namespace) -> int:
    from ..documents.consent import consent_renderer
    from ..storage import NotFound, StorageError, Store
    from ..storage.consents import MAX_SCAN_BYTES, paper_consent, scan_type

    scan = read_input(args.scan, MAX_SCAN_BYTES) if args.scan else None
    if scan is not None and len(scan) > MAX_SCAN_BYTES:
        raise BadInput([Problem("--scan", "The scan is larger than 10 MB: scan it at a lower resolution.")])
    if scan is not None and scan_type(scan) is None:
        raise BadInput([Problem("--scan", "The scan must be a PDF, PNG or JPEG file.")])
    now = datetime.now(timezone.utc)
    with Store(database_url(must_exist=True)) as store:
        account = store.accounts.get(args.by)
        if account is None or account.disabled:
            raise BadInput([Problem("--by", f"There is no enabled staff account named {args.by!r}.")])
        try:
            stored = store.get_submission(args.submission_id)
        except NotFound as exc:
            raise BadInput([Problem(args.submission_id, str(exc))]) from None
        language = _language(args.lang or stored.capture.language)
        name = (args.name or stored.intake.patient.full_name).strip()
        consent = paper_consent(stored, language, args.decision, name, args.questions.strip(), now)
        try:
            saved = store.consents.record_paper(stored.id, consent, by=f"{account.display_name} ({account.username})",
                                                at=now, render=consent_renderer(stored.intake), answer=args.answer,
                                                scan=scan, scan_type=scan_type(scan) if scan else None)
        except StorageError as exc:
            raise BadInput([Problem("--answer" if args.decision == "questions" else args.submission_id, str(exc))]) \
                from None
    write_stdout(f"{saved.id}\n")
    return 0


def _command_verify(args: argparse.Namespace) -> int:
    from ..storage import NotFound, Store
    from ..storage.consents import CONSENT_VERIFIED

    with Store(database_url(must_exist=True)) as store:
        try:
            consent = store.consents.get(args.consent_id)
            matches, message = store.consents.verify(args.consent_id)
        except NotFound as exc:
            raise BadInput([Problem(args.consent_id, str(exc))]) from None
        store.record_event(staff=actor(), action=CONSENT_VERIFIED, at=datetime.now(timezone.utc),
                           submission_id=consent.submission_id,
                           detail=f"consent {args.consent_id}: {'matches' if matches else 'does not match'}")
    write_stdout(f"{'OK' if matches else 'CHANGED'}: {message}\n")
    return 0 if matches else EXIT_FAILURE
