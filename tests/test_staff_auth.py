"""The staff password: hashing, checking, the brake on guessing, and where the hash is configured.

- A hash is a self-describing ``scrypt$n$r$p$salt$hash`` line with a fresh salt; only
  the same password matches, whatever the keyboard's accent composition.
- A hash that is not in that form is a clear configuration error that never quotes it.
- Sign-in pauses after five failures in fifteen minutes: 30 s, then doubling, at most 15 min.
- ``python -m screener hash-password`` prints the secrets line (or the environment form).
- The environment variable wins over the secrets file; no secrets file is not an error.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app import runtime
from app.settings import SettingsError, load
from screener.staff_auth import (
    DEFAULT_THROTTLE, ThrottlePolicy, StaffAuthConfigError, describe_wait, hash_password, parse_hash,
    password_problem, retry_after, staff_name_problem, verify_password,
)

PROJECT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)
CHEAP = {"n": 2**8}


def test_a_hash_is_self_describing_and_salted():
    first, second = hash_password("correct horse battery", **CHEAP), hash_password("correct horse battery", **CHEAP)
    assert first != second, "a fresh salt each time"
    scheme, n, r, p, salt, digest = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", "256", "8", "1")
    assert str(parse_hash(first)) == first


def test_the_default_cost_is_the_documented_one():
    assert hash_password("correct horse battery").startswith("scrypt$32768$8$1$")


def test_only_the_same_password_matches():
    stored = parse_hash(hash_password("correct horse battery", **CHEAP))
    assert verify_password("correct horse battery", stored)
    for other in ("correct horse batter", "Correct horse battery", "correct horse battery ", ""):
        assert not verify_password(other, stored)


def test_composed_and_decomposed_accents_are_the_same_password():
    stored = parse_hash(hash_password("caf\u00e9 au lait!", **CHEAP))
    assert verify_password("cafe\u0301 au lait!", stored)


@pytest.mark.parametrize("configured", [
    "", "hunter2", "scrypt$1$8$1$c2FsdHNhbHQ=$" + "A" * 44, "bcrypt$16384$8$1$c2FsdHNhbHQ=$" + "A" * 44,
    "scrypt$16384$8$1$not base64!$" + "A" * 44, "scrypt$16384$8$1$c2FsdHNhbHQ=", "scrypt$x$8$1$c2FsdHNhbHQ=$AAAA",
    "scrypt$16384$8$1$c2FsdA==$" + "A" * 44, "scrypt$1048576$64$16$c2FsdHNhbHQ=$" + "A" * 44,
])
def test_an_unusable_hash_is_a_clear_configuration_error_that_does_not_quote_it(configured):
    with pytest.raises(StaffAuthConfigError) as caught:
        parse_hash(configured)
    assert "python -m screener hash-password" in str(caught.value)
    assert not configured or configured not in str(caught.value)


def test_password_rules():
    assert password_problem("short") == "The staff password must have at least 10 characters."
    assert password_problem("          ") is not None
    assert password_problem("ten chars\n!!") is not None
    assert password_problem("correct horse battery") is None


@pytest.mark.parametrize("name, problem", [
    ("Dr Ada Example", None), ("王秀英", None), ("  ", "Enter your name: the audit trail records who did what."),
    ("x" * 81, "Enter at most 80 characters."), ("Ada\nEvil", "Enter your name on one line."),
])
def test_a_staff_name_must_say_who_acted(name, problem):
    assert staff_name_problem(name) == problem


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


# The command line


def _hash_password(stdin: str, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "screener", "hash-password", *arguments], input=stdin,
                          capture_output=True, text=True, cwd=PROJECT, timeout=60)


def test_hash_password_prints_the_line_for_the_secrets_file():
    result = _hash_password("correct horse battery staple\n")
    assert result.returncode == 0, result.stderr
    secrets = tomllib.loads(result.stdout)
    assert list(secrets) == ["staff_password_hash"]
    assert verify_password("correct horse battery staple", parse_hash(secrets["staff_password_hash"]))
    assert "correct horse" not in result.stdout + result.stderr


def test_hash_password_prints_the_environment_form():
    result = _hash_password("correct horse battery staple\n", "--env")
    name, _, quoted = result.stdout.strip().partition("=")
    assert name == "SCREENER_STAFF_PASSWORD_HASH" and quoted[0] == quoted[-1] == "'"
    assert verify_password("correct horse battery staple", parse_hash(quoted[1:-1]))


@pytest.mark.parametrize("stdin", ["", "short\n"])
def test_hash_password_refuses_a_weak_password(stdin):
    result = _hash_password(stdin)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "The staff password must have at least 10 characters.\n"


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


def test_a_hash_that_is_not_text_fails_the_staff_check(secrets_file):
    secrets_file.write_text("[staff_password_hash]\nvalue = 1\n", encoding="utf-8")
    [(name, value)] = runtime._secrets()
    with pytest.raises(StaffAuthConfigError):
        parse_hash(value)
