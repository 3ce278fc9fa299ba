"""Driving the staff area through AppTest: a page with its own store and clock, and a member of staff.

The staff page is ``app.staff.show(settings, store, clock)``; ``new_staff_app`` runs it
from a two-line script, so each test chooses the database, the password hash, the
inactivity limit and the time. ``recorded_downloads`` catches the bytes a download
button would hand the browser.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator, Optional

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from app.settings import Settings
from factories import AS_OF, healthy_answers, intake_of, with_answer
from screener import assess
from screener.staff_auth import hash_password
from screener.storage import Store

PASSWORD = "correct horse battery staple"
# Cheap scrypt parameters keep the tests fast; the format and the check are the real ones.
PASSWORD_HASH = hash_password(PASSWORD, n=2**8)
STAFF = "Dr Ada Example"
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


def staff_page(settings, store, clock) -> None:
    from app import staff

    staff.show(settings, store, clock)


def settings_for(password_hash: Optional[str] = PASSWORD_HASH, idle_minutes: float = 15) -> Settings:
    return Settings(database_url="unused://", idle_minutes=10, staff_password_hash=password_hash,
                    staff_password_source="SCREENER_STAFF_PASSWORD_HASH", staff_idle_minutes=idle_minutes)


def new_staff_app(store: Any, clock: Clock, settings: Optional[Settings] = None) -> AppTest:
    at = AppTest.from_function(staff_page, default_timeout=30,
                               kwargs={"settings": settings or settings_for(), "store": store, "clock": clock})
    return at.run()


def try_sign_in(at: AppTest, name: str = STAFF, password: str = PASSWORD) -> AppTest:
    at.text_input(key="staff-name").input(name)
    at.text_input(key="staff-password").input(password)
    return at.button[0].click().run()  # the form's only button


def on_screen(at: AppTest, kind: str, key: str) -> bool:
    """Whether a widget of ``kind`` with ``key`` is drawn now."""
    return any(element.key == key for element in getattr(at, kind))


def is_signed_in(at: AppTest) -> bool:
    return on_screen(at, "button", "staff-sign-out")


def signed_in_app(store: Any, clock: Clock, settings: Optional[Settings] = None, name: str = STAFF) -> AppTest:
    at = try_sign_in(new_staff_app(store, clock, settings), name)
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


def save(store: Store, name: str = "Alex Example", *, answers=None, at: datetime = SUBMITTED) -> str:
    intake = intake_of(with_answer(answers or healthy_answers(), "patient.full_name", name))
    return store.save_submission(intake, assess(intake, AS_OF), at)


@contextmanager
def recorded_downloads(monkeypatch) -> Iterator[dict[str, bytes]]:
    """While open, every file a download button registers: its URL → its bytes."""
    files: dict[str, bytes] = {}

    class Recording(MemoryMediaFileStorage):
        def load_and_get_id(self, path_or_data, mimetype, kind, filename=None) -> str:
            file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
            files[self.get_url(file_id)] = self.get_file(file_id).content
            return file_id

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Recording)
    yield files


def download_bytes(at: AppTest, files: dict[str, bytes], key: str = "staff-download") -> bytes:
    button = next(element for element in at.get("download_button") if element.key == key)
    return files[button.proto.url]
