"""``python -m screener staff …`` (personal staff accounts) and ``python -m screener purge`` (retention).

The database is the app's: ``SCREENER_DATABASE_URL``, or the SQLite file in
``SCREENER_DATA_DIR`` (default ``./data``). A password is read without echo from a
terminal (typed twice), or from the first line of standard input when it is piped.
Changes go on the audit trail as ``cli:<operating-system user>``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Iterator

from ..config import data_dir
from .common import BadInput, Problem, actor, write_stdout

MAX_RETENTION_DAYS = 100 * 366


def _store():
    from ..storage import Store

    url = (os.environ.get("SCREENER_DATABASE_URL") or "").strip()
    return Store(url or Store.default_url(data_dir()))


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _read_new_password(username: str) -> str:
    from ..storage.staff_auth import password_problem

    if sys.stdin.isatty():
        password = getpass.getpass(f"New password for {username}: ")
        if getpass.getpass("The same password again: ") != password:
            raise BadInput([Problem("password", "The two passwords differ; nothing was changed.")])
    else:
        lines = sys.stdin.read().splitlines()  # piped: the first line is the password
        password = lines[0] if lines else ""
    problem = password_problem(password, username)
    if problem:
        raise BadInput([Problem("password", problem)])
    return password


@contextmanager
def _refusals_as_bad_input() -> Iterator[None]:
    """A request the accounts refuse (unknown username, weak password) is bad input: exit 2."""
    from ..storage.staff_auth import StaffAuthError

    try:
        yield
    except StaffAuthError as exc:
        raise BadInput([Problem("", str(exc))]) from None


def _command_add(args: argparse.Namespace) -> int:
    from ..storage.staff_auth import display_name_problem, role_problem, username_problem

    problems = [Problem(field, problem) for field, problem in (
        ("USERNAME", username_problem(args.username)), ("--name", display_name_problem(args.name)),
        ("--role", role_problem(args.role))) if problem]
    if problems:
        raise BadInput(problems)
    with _store() as store:
        if store.accounts.get(args.username) is not None:
            raise BadInput([Problem("USERNAME", f"An account named {args.username!r} already exists.")])
        password = _read_new_password(args.username)
        with _refusals_as_bad_input():
            store.accounts.add(args.username, args.name, args.role, password, by=actor(), at=_now())
    write_stdout(f"Added {args.username} ({args.role}).\n")
    return 0


def _command_list(_args: argparse.Namespace) -> int:
    with _store() as store:
        accounts = store.accounts.list()
    lines = ["username\tname\trole\tstatus\tone-time codes"]
    lines += [f"{account.username}\t{account.display_name}\t{account.role}\t"
              f"{'disabled' if account.disabled else 'active'}\t{'on' if account.totp_enabled else 'off'}"
              for account in accounts]
    write_stdout("\n".join(lines) + "\n")
    return 0


def _switch(disabled: bool):
    def run(args: argparse.Namespace) -> int:
        with _store() as store, _refusals_as_bad_input():
            store.accounts.set_disabled(args.username, disabled, by=actor(), at=_now())
        write_stdout(f"{'Disabled' if disabled else 'Enabled'} {args.username}.\n")
        return 0

    return run


def _command_reset_password(args: argparse.Namespace) -> int:
    with _store() as store:
        if store.accounts.get(args.username) is None:
            raise BadInput([Problem("USERNAME", f"There is no account named {args.username!r}.")])
        password = _read_new_password(args.username)
        with _refusals_as_bad_input():
            store.accounts.set_password(args.username, password, by=actor(), at=_now())
    write_stdout(f"Reset the password of {args.username}; their open sessions end at their next action.\n")
    return 0


def _command_purge(args: argparse.Namespace) -> int:
    if not 1 <= args.older_than <= MAX_RETENTION_DAYS:
        raise BadInput([Problem("--older-than", f"Give a number of days from 1 to {MAX_RETENTION_DAYS}.")])
    now = _now()
    before = now - timedelta(days=args.older_than)
    with _store() as store:
        if not args.yes:
            count, expired = store.count_submitted_before(before), store.invitations.count_expired(at=now)
            write_stdout(f"{count} submission{'s' if count != 1 else ''} older than {args.older_than} days "
                         "would be erased. Nothing was erased; add --yes to erase them.\n"
                         + _expired_line(expired, "would be"))
            return 0
        count = store.purge_submitted_before(before, staff=actor(), at=now)
        expired = store.invitations.purge_expired(staff=actor(), at=now)
    write_stdout(f"Erased {count} submission{'s' if count != 1 else ''} older than {args.older_than} days.\n"
                 + _expired_line(expired, "were"))
    return 0


def _expired_line(count: int, verb: str) -> str:
    """Invitations that expired unused: their drafts, names and dates of birth go whatever their age."""
    if not count:
        return ""
    return (f"The drafts, names and dates of birth of {count} expired invitation{'s' if count != 1 else ''} "
            f"{verb} erased.\n")


def register(commands) -> None:
    """Add ``staff`` (with its subcommands) and ``purge`` to the command line."""
    staff = commands.add_parser("staff", help="personal staff accounts: add, list, disable, enable, reset-password")
    actions = staff.add_subparsers(dest="staff_command", required=True, parser_class=type(staff))
    add = actions.add_parser("add", help="add an account (the password is typed twice, or piped)")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="the person's name, as the staff area shows it")
    add.add_argument("--role", required=True, help="admin or clinician")
    add.set_defaults(run=_command_add)
    actions.add_parser("list", help="every account: username, name, role, status").set_defaults(run=_command_list)
    for name, disabled in (("disable", True), ("enable", False)):
        switch = actions.add_parser(name, help=f"{name} an account")
        switch.add_argument("username")
        switch.set_defaults(run=_switch(disabled))
    reset = actions.add_parser("reset-password", help="set a new password for an account")
    reset.add_argument("username")
    reset.set_defaults(run=_command_reset_password)

    purge = commands.add_parser("purge", help="erase submissions older than a number of days (a retention policy), "
                                           "and what expired invitations still hold")
    purge.add_argument("--older-than", type=int, required=True, metavar="DAYS")
    purge.add_argument("--yes", action="store_true", help="erase them; without it, only say how many")
    purge.set_defaults(run=_command_purge)
