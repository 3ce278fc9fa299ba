"""Invitations from the command line: ``invite`` makes a personal link to answer at home, ``invitation-erase``
erases one (with its draft).

``invite --name "…" --dob YYYY-MM-DD [--patient ID] [--hours 72] [--lang es]`` prints the link on standard
output and, on standard error, the invitation's id and until when it works. ``--qr FILE`` also writes the link
as a QR code (``.svg`` or ``.png``, readable by its owner only: it opens the answers with the date of birth).
``--email ADDRESS`` sends it through ``SCREENER_SMTP_URL``; ``--send`` sends it to the e-mail address staff
entered on the patient record. The e-mail holds the link, the clinic's name and until when: nothing else.
Every step is audited under ``cli:<operating-system user>``.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime, timezone

from .. import config
from ..clinical.errors import Problem
from .common import BadInput, actor, parse_as_of, write_stdout

QR_KINDS = {".svg": "svg", ".png": "png"}


def register(commands) -> None:
    from ..storage.invitations import DEFAULT_HOURS, MAX_HOURS

    invite = commands.add_parser("invite", help="make a personal link for a patient to answer at home")
    invite.add_argument("--name", required=True, help="the patient's full name")
    invite.add_argument("--dob", required=True, help="the patient's date of birth, YYYY-MM-DD (the link asks for it)")
    invite.add_argument("--patient", help="the patient record's id (its name and date of birth must be these)")
    invite.add_argument("--hours", type=int, default=DEFAULT_HOURS,
                        help=f"how long the link works, 1 to {MAX_HOURS} (default {DEFAULT_HOURS})")
    invite.add_argument("--lang", default="en", help="the language the pages and the e-mail start in (default en)")
    invite.add_argument("--email", help="send the link to this address (needs SCREENER_SMTP_URL)")
    invite.add_argument("--send", action="store_true", help="send the link to the patient record's e-mail address")
    invite.add_argument("--qr", metavar="FILE", help="also write the link as a QR code, FILE.svg or FILE.png")
    invite.set_defaults(run=_command_invite)
    erase = commands.add_parser("invitation-erase", help="erase an invitation and the answers saved under it")
    erase.add_argument("invitation_id")
    erase.add_argument("--reason", required=True, choices=("patient_request", "entered_in_error"))
    erase.set_defaults(run=_command_erase)


def _birth(text: str) -> date:
    try:
        return parse_as_of(text)
    except BadInput:
        raise BadInput([Problem("--dob", f"Enter the date of birth as YYYY-MM-DD, not {text!r}.")]) from None


def _checked(args: argparse.Namespace) -> tuple[str, date, str]:
    from ..language.i18n import LANGUAGE_NAMES
    from ..storage.invitations import MAX_HOURS
    from ..storage.patients import contact_problems

    problems = []
    if not args.name.strip():
        problems.append(Problem("--name", "Give the patient's full name."))
    if not 1 <= args.hours <= MAX_HOURS:
        problems.append(Problem("--hours", f"A link works from 1 to {MAX_HOURS} hours (14 days)."))
    if args.lang not in LANGUAGE_NAMES:
        problems.append(Problem("--lang", f"{args.lang!r} is not a language this screener ships "
                                          f"(known: {', '.join(LANGUAGE_NAMES)})."))
    if args.email and (found := contact_problems(None, args.email)):
        problems.append(Problem("--email", found[0]))
    if args.send and (args.email or not args.patient):
        problems.append(Problem("--send", "Give --send with --patient (it sends to the record's address), "
                                          "or --email ADDRESS instead."))
    if args.qr and os.path.splitext(args.qr)[1].lower() not in QR_KINDS:
        problems.append(Problem("--qr", "Give a file name ending in .svg or .png."))
    if problems:
        raise BadInput(problems)
    public = config.public_url()
    if public is None:
        raise config.ConfigError("SCREENER_PUBLIC_URL", "Set the https:// address the proxy publishes the home "
                                                        "pages at before making invitations (see docs/home-answering.md).")
    return public, _birth(args.dob), args.name.strip()


def _write_qr(path: str, link: str) -> None:
    import segno

    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            segno.make(link, error="m").save(out, kind=QR_KINDS[os.path.splitext(path)[1].lower()], scale=8)
    except OSError as exc:
        raise BadInput([Problem(path, f"Cannot be written ({exc.strerror}).")]) from None


def _command_invite(args: argparse.Namespace) -> int:
    from ..invitations import home_link, invitation_email, send, until_words
    from ..storage import InvitationRefused, NotFound, Store
    from ..storage.invitations import INVITATION_SENT

    public, birth, name = _checked(args)
    mail = config.mail_server() if (args.email or args.send) else None
    if (args.email or args.send) and mail is None:
        raise config.ConfigError("SCREENER_SMTP_URL", "Set the mail server before sending invitations by e-mail.")
    clinic, zone, now = config.clinic_name(), config.time_zone(), datetime.now(timezone.utc)
    with Store(config.database_url(must_exist=True)) as store:
        address = args.email
        if args.send:
            try:
                address = store.patients.get(args.patient).email
            except NotFound as exc:
                raise BadInput([Problem("--patient", str(exc))]) from None
            if not address:
                raise BadInput([Problem("--send", "The patient record has no e-mail address; give --email.")])
        try:
            made = store.invitations.make(name, birth, by=actor(), at=now, hours=args.hours, language=args.lang,
                                          patient_id=args.patient)
        except InvitationRefused as exc:  # the name and hours are checked before: the patient record is left
            raise BadInput([Problem("--patient", str(exc))]) from None
        link, until = home_link(public, made.token), until_words(made.expires_at, zone, made.language)
        write_stdout(f"{link}\n")
        sys.stderr.write(f"Invitation {made.id}, valid until {until}.\n")
        if args.qr:
            _write_qr(args.qr, link)
        if address:
            send(invitation_email(to=address, sender=mail.sender, link=link, clinic=clinic, until=until,
                                  language=made.language), mail)
            store.record_event(staff=actor(), action=INVITATION_SENT, at=datetime.now(timezone.utc),
                               detail=f"invitation {made.id}: by e-mail")
            sys.stderr.write("Sent by e-mail.\n")
    return 0


def _command_erase(args: argparse.Namespace) -> int:
    from ..storage import NotFound, Store

    with Store(config.database_url(must_exist=True)) as store:
        try:
            store.invitations.erase(args.invitation_id, staff=actor(), reason=args.reason,
                                    at=datetime.now(timezone.utc))
        except NotFound as exc:
            raise BadInput([Problem(args.invitation_id, str(exc))]) from None
    write_stdout(f"Erased invitation {args.invitation_id} and the answers saved under it.\n")
    return 0
