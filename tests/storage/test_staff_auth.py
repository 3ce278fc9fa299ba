"""Staff secrets: password hashing and rules, one-time codes, the brake on guessing, and configuration.

- A hash is an Argon2id PHC string with OWASP's parameters and a fresh salt; only the
  same password matches, whatever the keyboard's accent composition; a broken hash matches nothing.
- Passwords follow NIST SP 800-63B: 12 characters at least, any characters, not containing
  the username, not one of the common passwords shipped with the project.
- A one-time code (RFC 6238) is accepted for its time step and the steps either side, once.
- Sign-in pauses after five failures in fifteen minutes: 30 s, then doubling, at most 15 min.
- The old password hash setting is still read (to say it opens nothing); no secrets file is not an error.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pyotp
import pytest

from app import runtime
from app.settings import SettingsError, load
from screener.storage.staff_auth import (
    DEFAULT_THROTTLE, ThrottlePolicy, accepted_totp_step, common_passwords, describe_wait,
    display_name_problem, hash_password, new_totp_secret, password_problem, retry_after, totp_step, totp_uri,
    username_problem, verify_password,
)

T0 = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)
CHEAP = {"cost": {"time_cost": 1, "memory_cost": 64, "parallelism": 1}}


def test_a_hash_is_argon2id_with_owasp_parameters_and_a_fresh_salt():
    first, second = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert first != second, "a fresh salt each time"
    assert first.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_only_the_same_password_matches():
    stored = hash_password("correct horse battery", **CHEAP)
    assert verify_password("correct horse battery", stored)
    for other in ("correct horse batter", "Correct horse battery", "correct horse battery ", "", "x" * 10_000):
        assert not verify_password(other, stored)


def test_composed_and_decomposed_accents_are_the_same_password():
    assert verify_password("cafe\u0301 au lait!", hash_password("caf\u00e9 au lait!", **CHEAP))


@pytest.mark.parametrize("stored", ["", "hunter2", "scrypt$32768$8$1$c2FsdA==$AAAA", "$argon2id$v=19$m=65536"])
def test_a_broken_hash_matches_nothing(stored):
    assert not verify_password("correct horse battery", stored)


@pytest.mark.parametrize("password, problem", [
    ("short", "A password must have at least 12 characters."),
    ("eleven char", "A password must have at least 12 characters."),
    ("x" * 257, "A password can have at most 256 characters."),
    ("my name is ada, hi!", "A password cannot contain the username."),
    ("password1234", "This password is on the list of the most common passwords; choose another."),
    ("Password2026!!", "This password is on the list of the most common passwords; choose another."),
    ("qwertyqwertyqwerty", "This password is on the list of the most common passwords; choose another."),
    ("iloveyou12345", "This password is on the list of the most common passwords; choose another."),
    ("correct horse battery", None), ("            ", None), ("王秀英的密码很长很长很长", None), ("tab\tand\nnewline!", None),
])
def test_password_rules_follow_nist_800_63b(password, problem):
    assert password_problem(password, "ada") == problem


def test_the_shipped_common_password_list_has_five_thousand_entries():
    assert len(common_passwords()) == 5000 and {"password", "123456", "qwerty"} <= common_passwords()


@pytest.mark.parametrize("username, ok", [
    ("ada", True), ("a.lovelace-2", True), ("x" * 32, True), ("a", False), ("x" * 33, False), ("Ada", False),
    ("ada lovelace", False), (".ada", False), ("ádá", False), ("", False),
])
def test_usernames_are_short_plain_and_lower_case(username, ok):
    assert (username_problem(username) is None) == ok


@pytest.mark.parametrize("name, problem", [
    ("Dr Ada Example", None), ("王秀英", None), ("  ", "Enter the person's name."),
    ("x" * 81, "Enter at most 80 characters."), ("Ada\nEvil", "Enter the name on one line."),
])
def test_a_display_name_is_one_line(name, problem):
    assert display_name_problem(name) == problem


# One-time codes


def test_a_code_is_accepted_once_for_its_time_step_and_the_steps_either_side():
    secret = new_totp_secret()
    code = pyotp.TOTP(secret).at(T0)
    step = accepted_totp_step(secret, code, T0, None)
    assert step == totp_step(T0)
    assert accepted_totp_step(secret, code, T0, step) is None, "a used code is refused"
    assert accepted_totp_step(secret, code, T0 + timedelta(seconds=30), None) == step, "the clock may drift a step"
    assert accepted_totp_step(secret, code, T0 + timedelta(seconds=90), None) is None
    later = pyotp.TOTP(secret).at(T0 + timedelta(seconds=30))
    assert accepted_totp_step(secret, later, T0 + timedelta(seconds=30), step) == step + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "１２３４５６"])
def test_a_malformed_code_is_refused(code):
    assert accepted_totp_step(new_totp_secret(), code, T0, None) is None


def test_the_enrolment_address_names_the_account_and_the_app():
    uri = totp_uri("JBSWY3DPEHPK3PXPJBSWY3DPEH", "ada")
    assert uri.startswith("otpauth://totp/Vein%20screener:ada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEH")


# The brake on guessing


def _failures(count: int, every: timedelta = timedelta(seconds=10)) -> list[datetime]:
    return [T0 + every * number for number in range(count)]


def test_four_failures_do_not_slow_anyone_down():
    assert retry_after(_failures(4), T0 + timedelta(seconds=40)) == timedelta(0)


@pytest.mark.parametrize("failures, delay", [
    (5, timedelta(seconds=30)), (6, timedelta(seconds=60)), (7, timedelta(minutes=2)), (8, timedelta(minutes=4)),
    (9, timedelta(minutes=8)), (10, timedelta(minutes=15)), (40, timedelta(minutes=15)),
])
def test_the_wait_doubles_from_thirty_seconds_up_to_fifteen_minutes(failures, delay):
    assert DEFAULT_THROTTLE.delay_after(failures) == delay
    times = _failures(failures, timedelta(seconds=1))
    assert retry_after(times, times[-1]) == delay
    assert retry_after(times, times[-1] + delay) == timedelta(0)


def test_failures_older_than_the_window_do_not_count():
    old = _failures(5)
    assert retry_after(old, T0 + timedelta(minutes=15, seconds=41)) == timedelta(0)
    assert retry_after(old, T0 + timedelta(seconds=45)) == timedelta(seconds=25)


def test_the_policy_can_be_tightened():
    policy = ThrottlePolicy(allowed=1, first_delay=timedelta(seconds=5))
    assert retry_after([T0], T0, policy=policy) == timedelta(seconds=5)


@pytest.mark.parametrize("wait, words", [
    (timedelta(seconds=0.2), "1 second"), (timedelta(seconds=30), "30 seconds"), (timedelta(seconds=89), "89 seconds"),
    (timedelta(seconds=90), "2 minutes"), (timedelta(minutes=15), "15 minutes"),
])
def test_the_wait_in_words(wait, words):
    assert describe_wait(wait) == words


# Configuration


def test_the_environment_wins_over_the_secrets_file(tmp_path):
    environ = {"SCREENER_DATA_DIR": str(tmp_path), "SCREENER_STAFF_PASSWORD_HASH": " from-env "}
    settings = load(environ, {"staff_password_hash": "from-secrets"})
    assert (settings.staff_password_hash, settings.staff_password_source) == ("from-env",
                                                                             "SCREENER_STAFF_PASSWORD_HASH")
    settings = load({"SCREENER_DATA_DIR": str(tmp_path)}, {"staff_password_hash": "from-secrets"})
    assert settings.staff_password_hash == "from-secrets"
    assert settings.staff_password_source == "staff_password_hash in .streamlit/secrets.toml"


def test_no_hash_anywhere_means_none_and_the_hash_is_kept_out_of_repr(tmp_path):
    assert load({"SCREENER_DATA_DIR": str(tmp_path), "SCREENER_STAFF_PASSWORD_HASH": "  "}).staff_password_hash is None
    assert load({"SCREENER_DATA_DIR": str(tmp_path)}, {"staff_password_hash": ""}).staff_password_hash is None
    settings = load({"SCREENER_DATA_DIR": str(tmp_path), "SCREENER_STAFF_PASSWORD_HASH": "scrypt$secret"})
    assert "scrypt$secret" not in repr(settings)


def test_the_staff_inactivity_limit(tmp_path):
    assert load({"SCREENER_DATA_DIR": str(tmp_path)}).staff_idle_minutes == 15
    assert load({"SCREENER_DATA_DIR": str(tmp_path), "SCREENER_STAFF_IDLE_MINUTES": "2.5"}).staff_idle_minutes == 2.5
    for bad in ("0", "-1", "soon", "nan", "100000"):
        with pytest.raises(SettingsError, match="SCREENER_STAFF_IDLE_MINUTES"):
            load({"SCREENER_DATA_DIR": str(tmp_path), "SCREENER_STAFF_IDLE_MINUTES": bad})


@pytest.fixture
def secrets_file(tmp_path, monkeypatch):
    """Point Streamlit's secrets at a file of the test's own (absent until written)."""
    import streamlit as st
    from streamlit import config

    path = tmp_path / "secrets.toml"
    previous = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(path)])
    st.secrets._reset()
    yield path
    st.secrets._reset()
    config.set_option("secrets.files", previous)


def test_no_secrets_file_is_not_an_error(secrets_file):
    assert runtime._secrets() == ()


def test_the_hash_is_read_from_the_secrets_file(secrets_file):
    secrets_file.write_text('staff_password_hash = "scrypt$from$file"\nother = 1\n', encoding="utf-8")
    assert runtime._secrets() == (("staff_password_hash", "scrypt$from$file"),)


def test_one_time_codes_are_required_only_when_set_to_1(tmp_path):
    assert load({"SCREENER_DATA_DIR": str(tmp_path)}).staff_require_totp is False
    assert load({"SCREENER_DATA_DIR": str(tmp_path), "SCREENER_STAFF_REQUIRE_TOTP": "1"}).staff_require_totp
    with pytest.raises(SettingsError, match="SCREENER_STAFF_REQUIRE_TOTP must be 1"):
        load({"SCREENER_DATA_DIR": str(tmp_path), "SCREENER_STAFF_REQUIRE_TOTP": "yes"})
