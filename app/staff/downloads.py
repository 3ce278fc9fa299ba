"""Downloads of patient data: made only when Download is pressed, audited then, for this signed-in session only.

How Streamlit 1.67 serves a download (``runtime/media_file_manager.py``): bytes given to
``st.download_button`` go into the media store at once, at ``/media/<sha224 of the
bytes>.<ext>``, which answers any request without cookies until two script runs have
found the file unreferenced. A callable given as ``data`` is kept instead and run, in a
server thread outside the script, when the browser asks for it by a random id sent
only to that browser; its bytes then go to the same kind of address, unreferenced, and
are forgotten only after two more script runs of any session, which may never come.

So ``offer_download`` passes Streamlit a callable that first checks this session's
grant (revoked at sign-out, idle expiry, leaving the submission, or when the account
is disabled or its password changed), then makes the bytes and audits the download,
and schedules the media store's sweep ``FORGET_AFTER_SECONDS`` later, so the address
stops answering seconds after the browser has fetched it, whatever the session does.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Optional

import streamlit as st
from streamlit import runtime

from screener.storage import Store

GRANTS = "staff_download_grants"
# Long enough for the browser to fetch the file it was just given; short enough that
# the address is dead within 5 s of any sign-out, expiry or leaving.
FORGET_AFTER_SECONDS = 3.0


class DownloadRefused(Exception):
    """The session behind a download is no longer allowed it; Streamlit tells the browser it failed."""


@dataclass
class Grant:
    """One session's permission to make downloads; shared with the callables it has handed out."""

    username: str
    credentials_version: int
    last_active: Callable[[], datetime]
    idle_limit: timedelta
    clock: Callable[[], datetime]
    store: Store
    revoked: bool = field(default=False)

    def check(self) -> None:
        if self.revoked or self.clock() - self.last_active() > self.idle_limit:
            raise DownloadRefused("the staff session behind this download has ended")
        account = self.store.accounts.get(self.username)
        if account is None or account.disabled or account.credentials_version != self.credentials_version:
            raise DownloadRefused("the account behind this download was disabled or changed")


def forget_served_files() -> None:
    """Drop every download file no session's page refers to from Streamlit's media store now.

    The store marks such a file on one sweep and deletes it on the next; deferred
    downloads are never referenced, so two sweeps remove them."""
    if runtime.exists():
        manager = runtime.get_instance().media_file_mgr
        manager.remove_orphaned_files()
        manager.remove_orphaned_files()


def _forget_soon() -> None:
    timer = threading.Timer(FORGET_AFTER_SECONDS, forget_served_files)
    timer.daemon = True
    timer.start()


def grant_for_session(grant: Grant) -> None:
    """Start this signed-in session's grant (at sign-in)."""
    revoke_all()
    st.session_state[GRANTS] = grant


def revoke_all() -> None:
    """End every download this session was offered (sign-out, expiry, leaving a submission)."""
    grant: Optional[Grant] = st.session_state.get(GRANTS)
    if grant is not None:
        grant.revoked = True
        st.session_state[GRANTS] = Grant(**{**grant.__dict__, "revoked": False})  # a fresh one for what follows
    forget_served_files()


def end_session_grant() -> None:
    grant: Optional[Grant] = st.session_state.pop(GRANTS, None)
    if grant is not None:
        grant.revoked = True
    forget_served_files()


def offer_download(label: str, file_name: str, mime: str, produce: Callable[[], bytes], audit_action: str, *,
                   submission_id: Optional[str], key: str, icon: Optional[str] = None) -> None:
    """A download button for data that must stay behind sign-in (a PDF, a FHIR bundle, a handout…).

    ``produce`` makes the bytes; it runs only when Download is pressed, in a server
    thread (so it must not use ``st.*``; close over what it needs). Before it runs, the
    session's grant is checked; after it, the download is put on the audit trail as
    ``audit_action`` under the signed-in account (with ``submission_id``), and the file
    is dropped from Streamlit's media store ``FORGET_AFTER_SECONDS`` later. A session
    without a grant (not signed in) gets a disabled button. Use one ``key`` per button.
    """
    grant: Optional[Grant] = st.session_state.get(GRANTS)

    def checked() -> bytes:
        grant.check()
        data = produce()
        grant.store.record_event(staff=grant.username, action=audit_action, at=grant.clock(),
                                 submission_id=submission_id, detail=file_name)
        _forget_soon()
        return data

    st.download_button(label, data=checked, file_name=file_name, mime=mime, key=key, on_click="ignore",
                       icon=icon, type="primary", disabled=grant is None or grant.revoked)

