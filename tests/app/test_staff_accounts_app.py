"""Accounts, roles, one-time codes, erasure and guarded downloads in the staff area, through AppTest.

- A clinician sees the queue, submissions, the PDF and reviews, but no accounts, no audit
  trail and no erasure; an administrator sees all of them.
- An administrator adds an account (a weak password is refused in words) and disables one;
  a disabled account's open session ends at its next action.
- Everyone can change their own password, which ends the session.
- One-time codes: the QR code and key are shown once; a code computed from the key turns
  them on; sign-in then needs a code, and a code works once. When the clinic requires
  codes, a signed-in person without them sees only the enrolment.
- An administrator erases a submission with a reason; it is gone and the trail says so.
- The PDF is made only when Download is pressed; after sign-out, leaving the submission,
  idle expiry or the account being disabled, the same Download gets nothing and nothing is audited.
"""

from __future__ import annotations

import pyotp
import pytest
from staff_driver import clock, store  # noqa: F401  (fixtures)
from staff_driver import (
    PASSWORD, STAFF, Clock, click, download_button, is_signed_in, messages, new_staff_app, on_screen, press_download,
    recorded_downloads, save, settings_for, signed_in_app, texts, try_sign_in,
)

from app.staff import staff_texts
from app.staff.downloads import DownloadRefused
from screener.storage import NotFound, Store


def _actions(store: Store) -> list[str]:
    return [event.action for event in reversed(store.audit_events(limit=1000))]


# Roles


def test_a_clinician_sees_no_accounts_no_audit_trail_and_no_erasure(store, clock):
    submission = save(store)
    at = signed_in_app(store, clock, username="bea", role="clinician")
    assert on_screen(at, "button", "staff-to-queue") and on_screen(at, "button", "staff-to-my-account")
    assert not on_screen(at, "button", "staff-to-audit") and not on_screen(at, "button", "staff-to-accounts")
    click(at, f"staff-open-{submission}")
    assert on_screen(at, "download_button", "staff-download") and on_screen(at, "button", "staff-mark-reviewed")
    assert not on_screen(at, "button", "staff-erase")


def test_an_administrator_sees_accounts_audit_trail_and_erasure(store, clock):
    submission = save(store)
    at = signed_in_app(store, clock)
    assert on_screen(at, "button", "staff-to-audit") and on_screen(at, "button", "staff-to-accounts")
    assert on_screen(click(at, f"staff-open-{submission}"), "button", "staff-erase")


# Accounts


def _add_through_the_form(at, username: str, password: str):
    at.text_input(key="staff-new-username").input(username)
    at.text_input(key="staff-new-name").input("Cal <Example> & *Co*")
    at.selectbox(key="staff-new-role").select("clinician")
    at.text_input(key="staff-new-password").input(password)
    return next(button for button in at.button if button.label == staff_texts.ADD_BUTTON).click().run()


def test_an_administrator_adds_an_account_that_can_then_sign_in(store, clock):
    at = click(signed_in_app(store, clock), "staff-to-accounts")
    _add_through_the_form(at, "cal", "password123456")
    assert any("common passwords" in text for text in messages(at, "error"))
    assert store.accounts.get("cal") is None
    _add_through_the_form(at, "cal", "a long and unusual phrase")
    assert staff_texts.ACCOUNT_ADDED.format(username="cal") in messages(at, "success")
    assert list(at.dataframe[0].value["Name"]) == ["Ada Example", "Cal <Example> & *Co*"]
    assert ("account_added", STAFF) in [(e.action, e.staff) for e in store.audit_events()]
    assert is_signed_in(try_sign_in(new_staff_app(store, clock), "cal", "a long and unusual phrase"))


def test_disabling_an_account_ends_its_open_session_at_its_next_action(store, clock):
    save(store, "Private Patientname")
    clinician = signed_in_app(store, clock, username="bea", role="clinician")
    assert "Private Patientname" in texts(clinician)
    admin = click(signed_in_app(store, clock), "staff-to-accounts")
    admin.selectbox(key="staff-change-account").select("bea").run()
    click(admin, "staff-switch-account")
    assert store.accounts.get("bea").disabled
    clinician.run()
    assert not is_signed_in(clinician) and "Private Patientname" not in texts(clinician)
    assert staff_texts.ACCOUNT_CHANGED in messages(clinician, "warning")
    assert _actions(store)[-2:] == ["account_disabled", "session_ended"]
    assert not is_signed_in(try_sign_in(new_staff_app(store, clock), "bea"))


def test_changing_your_own_password_ends_the_session_and_the_new_one_works(store, clock):
    at = click(signed_in_app(store, clock, username="bea", role="clinician"), "staff-to-my-account")
    for key, value in zip(("staff-own-current", "staff-own-new", "staff-own-again"),
                          (PASSWORD, "another long passphrase", "another long passphrase")):
        at.text_input(key=key).input(value)
    next(button for button in at.button if button.label == staff_texts.CHANGE_PASSWORD_BUTTON).click().run()
    at.run()
    assert not is_signed_in(at)
    clock.advance(seconds=1)
    assert is_signed_in(try_sign_in(new_staff_app(store, clock), "bea", "another long passphrase"))


# One-time codes


def _enrol(at, clock: Clock) -> str:
    click(at, "staff-totp-start")
    [key_line] = [text for text in texts(at) if text.startswith(f"{staff_texts.TOTP_KEY}: ")]
    secret = key_line.split(": ", 1)[1]
    [qr_code] = at.image
    assert qr_code.value[0].startswith("data:image/svg+xml"), "inline: never an address the media store serves"
    at.text_input(key="staff-totp-code").input(pyotp.TOTP(secret).at(clock()))
    next(button for button in at.button if button.label == staff_texts.TOTP_CONFIRM_BUTTON).click().run()
    assert staff_texts.TOTP_ENROLLED in messages(at, "success")
    return secret


def test_enrolling_then_signing_in_with_a_code_that_works_once(store, clock):
    at = click(signed_in_app(store, clock, username="bea", role="clinician"), "staff-to-my-account")
    secret = _enrol(at, clock)
    assert not any(text.startswith(f"{staff_texts.TOTP_KEY}: ") for text in texts(at.run())), "shown only once"
    click(at, "staff-sign-out")
    clock.advance(seconds=30)
    assert not is_signed_in(try_sign_in(at, "bea")), "the code is required"
    code = pyotp.TOTP(secret).at(clock())
    assert is_signed_in(try_sign_in(at, "bea", code=code))
    click(at, "staff-sign-out")
    assert not is_signed_in(try_sign_in(at, "bea", code=code)), "a used code is refused"
    assert messages(at, "error") == [staff_texts.REFUSED]


def test_when_codes_are_required_a_person_without_them_sees_only_the_enrolment(store, clock):
    save(store, "Hidden Patientname")
    at = signed_in_app(store, clock, settings_for(require_totp=True), username="bea", role="clinician")
    assert staff_texts.TOTP_REQUIRED in messages(at, "warning")
    assert "Hidden Patientname" not in texts(at)
    _enrol(at, clock)
    assert "Hidden Patientname" in texts(at.run())


# Erasure


def test_an_administrator_erases_a_submission_with_a_reason(store, clock):
    submission = save(store, "Erase Mepatient")
    at = click(signed_in_app(store, clock), f"staff-open-{submission}")
    assert at.button(key="staff-erase").disabled, "nothing is erased without the confirmation"
    at.radio(key="staff-erase-reason").set_value("entered_in_error")
    at.checkbox(key="staff-erase-confirm").check().run()
    click(at, "staff-erase")
    assert staff_texts.ERASE_DONE in messages(at, "success")
    assert "Erase Mepatient" not in texts(at)
    with pytest.raises(NotFound):
        store.get_submission(submission)
    [event] = store.audit_events(action="submission_erased")
    assert (event.staff, event.submission_id, event.detail) == (STAFF, submission, "entered_in_error")


# Downloads


@pytest.mark.parametrize("ending", ["sign out", "back to the queue", "idle expiry", "account disabled"])
def test_a_download_offered_before_the_session_ended_gives_nothing(store, clock, monkeypatch, ending):
    submission = save(store)
    with recorded_downloads(monkeypatch) as offered:
        at = click(signed_in_app(store, clock, settings_for(idle_minutes=15)), f"staff-open-{submission}")
        assert press_download(at, offered)[:5] == b"%PDF-"
        downloads_before = _actions(store).count("pdf_downloaded")
        offered_before = offered[download_button(at).proto.deferred_file_id]
        if ending == "sign out":
            click(at, "staff-sign-out")
        elif ending == "back to the queue":
            click(at, "staff-back")
        elif ending == "idle expiry":
            clock.advance(minutes=15, seconds=1)
        else:
            store.accounts.set_disabled(STAFF, True, by="someone", at=clock())
        with pytest.raises(DownloadRefused):
            offered_before()
    assert _actions(store).count("pdf_downloaded") == downloads_before
