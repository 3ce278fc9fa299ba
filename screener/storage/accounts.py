"""Personal staff accounts and signing in with them, each check made in the transaction that records it.

``StaffDirectory.sign_in`` serialises attempts for one username (SQLite: the write lock
that ``BEGIN IMMEDIATE`` takes; PostgreSQL: a transaction-scoped advisory lock per
username, and one for the pool of unknown usernames), and inside that one transaction
reads the pause, checks the password and the one-time code, and records the outcome. So
parallel attempts cannot slip between the check and its record.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import Connection, func, insert, select, text, update

from .staff_auth import (
    DEFAULT_THROTTLE, UNKNOWN_NAMES_THROTTLE, StaffAuthError, ThrottlePolicy, accepted_totp_step,
    display_name_problem, hash_password, password_problem, retry_after, role_problem, spend_a_check,
    username_problem, verify_password,
)
from .errors import guarded
from .schema import audit_events, staff_accounts

SIGN_IN, SIGN_IN_FAILED, SIGN_IN_PAUSED = "sign_in", "sign_in_failed", "sign_in_paused"
ACCOUNT_ADDED, ACCOUNT_DISABLED, ACCOUNT_ENABLED = "account_added", "account_disabled", "account_enabled"
PASSWORD_RESET, PASSWORD_CHANGED = "password_reset", "password_changed"
TOTP_ENROLLED, TOTP_REMOVED = "totp_enrolled", "totp_removed"
NO_SUCH_ACCOUNT = "no such account"
_UNKNOWN_POOL = "\x00unknown usernames"
MAX_TYPED_USERNAME = 64


@dataclass(frozen=True)
class StaffAccount:
    """One person's account, without its secrets."""

    username: str
    display_name: str
    role: str
    disabled: bool
    totp_enabled: bool
    credentials_version: int
    created_at: datetime


@dataclass(frozen=True)
class SignIn:
    """The outcome of one attempt: ``signed_in`` (with the account), ``refused`` or ``paused``.

    ``wait`` is how long sign-in for this username is paused now (after a refusal too)."""

    outcome: str
    account: Optional[StaffAccount] = None
    wait: timedelta = timedelta(0)


def _account_from(row) -> StaffAccount:
    return StaffAccount(username=row.username, display_name=row.display_name, role=row.role,
                        disabled=bool(row.disabled), totp_enabled=row.totp_secret is not None,
                        credentials_version=row.credentials_version, created_at=row.created_at)


def typed_username(typed: str) -> str:
    """A username as typed at sign-in, folded as accounts are named, bounded in length."""
    return typed.strip().lower()[:MAX_TYPED_USERNAME]


def _checked(*problems: Optional[str]) -> None:
    found = [problem for problem in problems if problem]
    if found:
        raise StaffAuthError(" ".join(found))


class StaffDirectory:
    """The staff accounts of one database (made by ``Store.accounts``)."""

    def __init__(self, engine, writer) -> None:
        self._engine, self._writer = engine, writer

    def _audit(self, conn: Connection, staff: str, action: str, at: datetime, detail: str = "") -> None:
        conn.execute(insert(audit_events).values(at=at, staff=staff, action=action, submission_id=None,
                                                  detail=detail))

    @staticmethod
    def _row(conn: Connection, username: str):
        return conn.execute(select(staff_accounts).where(staff_accounts.c.username == username)).first()

    def _existing(self, conn: Connection, username: str):
        row = self._row(conn, username)
        if row is None:
            raise StaffAuthError(f"There is no account named {username!r}.")
        return row

    @guarded("The staff accounts could not be read")
    def count(self) -> int:
        with self._engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(staff_accounts))

    @guarded("The staff accounts could not be read")
    def list(self) -> list[StaffAccount]:
        with self._engine.connect() as conn:
            return [_account_from(row) for row in conn.execute(select(staff_accounts).order_by(staff_accounts.c.username))]

    @guarded("The staff account could not be read")
    def get(self, username: str) -> Optional[StaffAccount]:
        with self._engine.connect() as conn:
            row = self._row(conn, username)
        return None if row is None else _account_from(row)

    @guarded("The account could not be saved")
    def add(self, username: str, display_name: str, role: str, password: str, *, by: str, at: datetime,
            cost: Optional[dict] = None) -> StaffAccount:
        """A new account; StaffAuthError naming every problem (taken username, unknown role, weak password)."""
        _checked(username_problem(username), display_name_problem(display_name), role_problem(role),
                 password_problem(password, username))
        hashed = hash_password(password, cost=cost)
        with self._writer.begin() as conn:
            if self._row(conn, username) is not None:
                raise StaffAuthError(f"An account named {username!r} already exists.")
            conn.execute(insert(staff_accounts).values(
                username=username, display_name=display_name.strip(), role=role, password_hash=hashed,
                disabled=False, credentials_version=0, created_at=at))
            self._audit(conn, by, ACCOUNT_ADDED, at, f"{username} as {role}")
            return _account_from(self._row(conn, username))

    @guarded("The account could not be changed")
    def set_disabled(self, username: str, disabled: bool, *, by: str, at: datetime) -> None:
        """Disable (its open sessions end at their next action) or enable again."""
        with self._writer.begin() as conn:
            self._existing(conn, username)
            conn.execute(update(staff_accounts).where(staff_accounts.c.username == username).values(
                disabled=disabled, credentials_version=staff_accounts.c.credentials_version + 1))
            self._audit(conn, by, ACCOUNT_DISABLED if disabled else ACCOUNT_ENABLED, at, username)

    @guarded("The password could not be saved")
    def set_password(self, username: str, password: str, *, by: str, at: datetime,
                     current: Optional[str] = None, cost: Optional[dict] = None) -> None:
        """A new password (an admin's reset, or with ``current`` the person's own change); ends open sessions."""
        _checked(password_problem(password, username))
        hashed = hash_password(password, cost=cost)
        with self._writer.begin() as conn:
            row = self._existing(conn, username)
            if current is not None and not verify_password(current, row.password_hash):
                raise StaffAuthError("The current password is not right; nothing was changed.")
            conn.execute(update(staff_accounts).where(staff_accounts.c.username == username).values(
                password_hash=hashed, credentials_version=staff_accounts.c.credentials_version + 1))
            self._audit(conn, by, PASSWORD_CHANGED if current is not None else PASSWORD_RESET, at, username)

    @guarded("The one-time codes could not be set up")
    def enrol_totp(self, username: str, secret: str, code: str, *, at: datetime) -> None:
        """Turn on one-time codes with ``secret`` once ``code`` shows the person's app has it."""
        with self._writer.begin() as conn:
            self._existing(conn, username)
            step = accepted_totp_step(secret, code, at, None)
            if step is None:
                raise StaffAuthError("That code is not the one your app shows now; nothing was changed.")
            conn.execute(update(staff_accounts).where(staff_accounts.c.username == username).values(
                totp_secret=secret, totp_last_step=step))
            self._audit(conn, username, TOTP_ENROLLED, at, username)

    @guarded("The one-time codes could not be turned off")
    def remove_totp(self, username: str, *, by: str, at: datetime) -> None:
        """Turn one-time codes off (a lost phone); the person enrols again."""
        with self._writer.begin() as conn:
            self._existing(conn, username)
            conn.execute(update(staff_accounts).where(staff_accounts.c.username == username).values(
                totp_secret=None, totp_last_step=None,
                credentials_version=staff_accounts.c.credentials_version + 1))
            self._audit(conn, by, TOTP_REMOVED, at, username)

    @staticmethod
    def _lock(conn: Connection, key: str) -> None:
        # SQLite needs nothing: BEGIN IMMEDIATE already holds the one write lock.
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"),
                         {"a": 0x5C1E, "b": zlib.crc32(key.encode("utf-8")) - 2**31})

    @staticmethod
    def _failures(conn: Connection, at: datetime, policy: ThrottlePolicy, *conditions) -> list[datetime]:
        query = (select(audit_events.c.at).where(audit_events.c.action == SIGN_IN_FAILED,
                                                 audit_events.c.at > at - policy.window, *conditions)
                 .order_by(audit_events.c.at.desc()).limit(policy.allowed + 32))
        return list(conn.scalars(query))

    def _wait(self, conn: Connection, username: str, at: datetime, policy: ThrottlePolicy,
              unknown_policy: ThrottlePolicy) -> timedelta:
        last_success = conn.scalar(select(func.max(audit_events.c.at)).where(
            audit_events.c.action == SIGN_IN, audit_events.c.staff == username))
        own = retry_after(self._failures(conn, at, policy, audit_events.c.staff == username), at,
                          last_success=last_success, policy=policy)
        unknown = retry_after(self._failures(conn, at, unknown_policy, audit_events.c.detail == NO_SUCH_ACCOUNT),
                              at, policy=unknown_policy)
        return max(own, unknown)

    @guarded("The sign-in could not be checked")
    def sign_in(self, typed: str, password: str, code: str, *, at: datetime,
                policy: ThrottlePolicy = DEFAULT_THROTTLE,
                unknown_policy: ThrottlePolicy = UNKNOWN_NAMES_THROTTLE) -> SignIn:
        """One sign-in attempt, checked and recorded in one transaction serialised per username.

        An unknown or disabled username costs the time of a real check and is refused alike."""
        username = typed_username(typed)
        with self._writer.begin() as conn:
            self._lock(conn, username)
            row = self._row(conn, username)
            if row is None:
                self._lock(conn, _UNKNOWN_POOL)
            wait = self._wait(conn, username, at, policy, unknown_policy)
            if wait:
                self._audit(conn, username, SIGN_IN_PAUSED, at, f"paused for {int(wait.total_seconds()) + 1} s more")
                return SignIn("paused", wait=wait)
            reason = self._refusal(conn, row, password, code, at)
            if reason is None:
                self._audit(conn, username, SIGN_IN, at)
                return SignIn("signed_in", account=_account_from(row))
            self._audit(conn, username, SIGN_IN_FAILED, at, reason)
            return SignIn("refused", wait=self._wait(conn, username, at, policy, unknown_policy))

    def _refusal(self, conn: Connection, row, password: str, code: str, at: datetime) -> Optional[str]:
        """Why this attempt is refused (for the audit trail only), or None; records a used code."""
        if row is None:
            spend_a_check(password)
            return NO_SUCH_ACCOUNT
        if not verify_password(password, row.password_hash):
            return "wrong password"
        if row.disabled:
            return "account disabled"
        if row.totp_secret is not None:
            step = accepted_totp_step(row.totp_secret, code, at, row.totp_last_step)
            if step is None:
                return "wrong or reused one-time code"
            conn.execute(update(staff_accounts).where(staff_accounts.c.username == row.username)
                         .values(totp_last_step=step))
        return None
