"""Driving the staff area through AppTest: a page with its own store and clock, and a member of staff.

The staff page is ``app.staff.show(settings, store, clock)``; ``new_staff_app`` runs it
from a two-line script, so each test chooses the database, the accounts, the inactivity
limit and the time. ``recorded_downloads`` catches the callables a download button hands
Streamlit, to be called as the browser's Download would.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator, Optional

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from app.settings import Settings
from factories import AS_OF, healthy_answers, intake_of, with_answer
from screener import assess
from screener.storage.staff_auth import hash_password
from screener.storage import Store

PASSWORD = "correct horse battery staple"
# Cheap Argon2id parameters keep the tests fast; the format and the check are the real ones.
CHEAP = {"time_cost": 1, "memory_cost": 64, "parallelism": 1}
OLD_PASSWORD_HASH = hash_password(PASSWORD, cost=CHEAP)
STAFF = "ada"  # the username: who the audit trail says acted
STAFF_NAME = "Dr Ada Example"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)
SUBMITTED = datetime(2026, 11, 21, 9, 30, tzinfo=timezone.utc)


class Clock:
    """A clock the test moves by hand: aware UTC datetimes."""

    def __init__(self, now: datetime = NOW):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    """A fresh SQLite store in the test's folder (import this fixture into a test module)."""
    with Store(Store.default_url(tmp_path / "data")) as opened:
        yield opened


@pytest.fixture
def clock() -> Clock:
    return Clock()


def staff_page(settings, store, clock) -> None:
    from app import staff

    staff.show(settings, store, clock)


def settings_for(password_hash: Optional[str] = None, idle_minutes: float = 15, require_totp: bool = False) -> Settings:
    return Settings(database_url="unused://", idle_minutes=10, staff_password_hash=password_hash,
                    staff_password_source="SCREENER_STAFF_PASSWORD_HASH" if password_hash else "",
                    staff_idle_minutes=idle_minutes, staff_require_totp=require_totp)


def add_account(store: Store, username: str = STAFF, role: str = "admin", name: Optional[str] = None,
                password: str = PASSWORD) -> None:
    if store.accounts.get(username) is None:
        store.accounts.add(username, name or f"{username.title()} Example", role, password, by="test", at=NOW,
                           cost=CHEAP)


def new_staff_app(store: Any, clock: Clock, settings: Optional[Settings] = None) -> AppTest:
    at = AppTest.from_function(staff_page, default_timeout=30,
                               kwargs={"settings": settings or settings_for(), "store": store, "clock": clock})
    return at.run()


def try_sign_in(at: AppTest, username: str = STAFF, password: str = PASSWORD, code: str = "") -> AppTest:
    at.text_input(key="staff-username").input(username)
    at.text_input(key="staff-password").input(password)
    at.text_input(key="staff-code").input(code)
    return at.button[0].click().run()  # the form's only button


def on_screen(at: AppTest, kind: str, key: str) -> bool:
    """Whether a widget of ``kind`` with ``key`` is drawn now."""
    return any(element.key == key for element in getattr(at, kind))


def is_signed_in(at: AppTest) -> bool:
    return on_screen(at, "button", "staff-sign-out")


def signed_in_app(store: Any, clock: Clock, settings: Optional[Settings] = None, username: str = STAFF,
                  role: str = "admin") -> AppTest:
    add_account(store, username, role)
    at = try_sign_in(new_staff_app(store, clock, settings), username)
    assert is_signed_in(at), [element.value for element in at.error]
    return at


def click(at: AppTest, key: str) -> AppTest:
    return at.button(key=key).click().run()


def texts(at: AppTest) -> list[str]:
    """Every text on screen drawn with st.text (patient text is only ever drawn that way)."""
    return [element.value for element in at.text]


def messages(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


def walk(node) -> Iterator:
    """Every element and block under ``node``, depth first."""
    yield node
    children = getattr(node, "children", None) or {}
    for child in (children.values() if isinstance(children, dict) else children):
        yield from walk(child)


def keys_on_screen(at: AppTest) -> set[str]:
    return {node.key for node in walk(at.main) if getattr(node, "key", None)}


def save(store: Store, name: str = "Alex Example", *, answers=None, at: datetime = SUBMITTED, capture=None) -> str:
    intake = intake_of(with_answer(answers or healthy_answers(), "patient.full_name", name))
    return store.save_submission(intake, assess(intake, AS_OF), at, capture=capture)


class Offered(dict):
    """Download ids → the callable Download runs; ``files`` gives each id's (MIME type, file name)."""

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, tuple[Optional[str], Optional[str]]] = {}


@contextmanager
def recorded_downloads(monkeypatch) -> Iterator[Offered]:
    """While open, every deferred download a button registers: its id → the callable Download runs."""
    offered = Offered()
    register = MediaFileManager.add_deferred

    def recording(self, data_callable, mimetype, coordinates, file_name=None, **kwargs) -> str:
        file_id = register(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        offered[file_id] = data_callable
        offered.files[file_id] = (mimetype, file_name)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    yield offered


def download_button(at: AppTest, key: str = "staff-download"):
    return next(element for element in at.get("download_button") if element.key == key)


def press_download(at: AppTest, offered: dict[str, Callable[[], bytes]], key: str = "staff-download") -> bytes:
    """What the browser's Download gets: the callable behind the button as last drawn, run now."""
    return offered[download_button(at, key).proto.deferred_file_id]()
