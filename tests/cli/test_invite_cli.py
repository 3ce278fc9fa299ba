"""``python -m screener invite`` and sending an invitation by e-mail, as a clinic runs them: a subprocess on the
app's database, a real SMTP server (aiosmtpd) on the loopback.

- ``invite`` prints a link with a 256-bit token (never stored as such) under ``SCREENER_PUBLIC_URL``'s ``/home/``,
  and says until when it works; ``--qr`` writes it as a QR code only its owner can read.
- ``--email`` sends it through ``SCREENER_SMTP_URL``, logging in with the URL's user and password: the message
  reaches the server with the link, the clinic's name and until when, in the patient's language, and nothing
  else: no name, no date of birth, no health answer.
- Bad input exits 2 naming the option, before anything is made; a mail server that cannot be reached exits 1
  in one line without its password.
- ``purge`` also erases what expired invitations still hold; ``invitation-erase`` erases one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from local_smtp import inbox, mail_settings  # noqa: F401  (inbox: a fixture)
from real_browser import free_port

from screener import config
from screener.storage import Store
from screener.storage.invitations import INVITATION_SENT, token_hash

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "https://forms.clinic.example"
LINK = re.compile(r"https://forms\.clinic\.example/home/\?t=([A-Za-z0-9_-]{43})\n")
NAME, BIRTH = "Emilia Mailworthy", "1979-06-14"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    path = tmp_path / "data"
    Store(Store.default_url(path)).dispose()
    return path


def screener(data_dir: Path, *args: str, **settings: str) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("SCREENER_")}
    environment.update({"SCREENER_DATA_DIR": str(data_dir), "SCREENER_PUBLIC_URL": PUBLIC,
                        "SCREENER_CLINIC_NAME": "Clínica Venas Claras", "SCREENER_TIMEZONE": "Europe/Madrid"})
    environment.update(settings)
    result = subprocess.run([sys.executable, "-m", "screener", *args], capture_output=True, text=True, cwd=ROOT,
                            timeout=60, env={name: value for name, value in environment.items() if value})
    assert "Traceback" not in result.stderr
    return result


def test_invite_prints_a_link_whose_token_is_stored_only_as_a_hash(data_dir, tmp_path):
    made = screener(data_dir, "invite", "--name", NAME, "--dob", BIRTH, "--hours", "48", "--qr",
                    str(tmp_path / "link.svg"))
    assert made.returncode == 0, made.stderr
    token = LINK.fullmatch(made.stdout).group(1)
    assert re.fullmatch(r"Invitation [0-9a-f]{32}, valid until \d+ \w+ 20\d\d, \d\d:\d\d\.\n", made.stderr)
    with Store(Store.default_url(data_dir)) as store:
        assert store.invitations.landing(token, at=datetime.now(timezone.utc)).outcome == "live"
        assert store.invitations.landing(token, at=datetime.now(timezone.utc) + timedelta(hours=49)).outcome == "closed"
        [event] = store.audit_events(action="invitation_made")
    assert event.staff.startswith("cli:") and "for a new patient, valid 48 hours" in event.detail
    stored = b"".join(path.read_bytes() for path in data_dir.glob("screener.sqlite3*"))
    assert token.encode() not in stored and token_hash(token).encode() in stored
    qr = tmp_path / "link.svg"
    assert qr.read_bytes().lstrip().startswith(b"<?xml") and qr.stat().st_mode & 0o777 == 0o600


def test_the_email_reaches_the_server_with_the_link_and_no_health_data(data_dir, inbox):
    sent = screener(data_dir, "invite", "--name", NAME, "--dob", BIRTH, "--lang", "es",
                    "--email", "emilia@example.org", **mail_settings(inbox))
    assert sent.returncode == 0, sent.stderr
    assert sent.stderr.endswith("Sent by e-mail.\n")
    token = LINK.fullmatch(sent.stdout).group(1)
    assert inbox.logins == [("forms@clinic", "s3cret:pass")], "the URL's user and password, percent-decoded"
    [(sender, recipients, message)] = inbox.messages
    assert (sender, recipients) == ("forms@clinic.example", ["emilia@example.org"])
    assert message["Subject"] == "Preguntas antes de su visita a Clínica Venas Claras"
    body = message.get_content()
    assert f"{PUBLIC}/home/?t={token}" in body and "Clínica Venas Claras" in body
    assert re.search(r"El enlace funciona hasta el \d+ de \w+ de 20\d\d, \d\d:\d\d\.", body)
    whole = message.as_string()
    for secret in ("Emilia", "Mailworthy", BIRTH, "1979", "14 de junio"):
        assert secret not in whole, secret
    with Store(Store.default_url(data_dir)) as store:
        [event] = store.audit_events(action=INVITATION_SENT)
    assert event.detail.endswith(": by e-mail") and "example.org" not in event.detail


def test_send_uses_the_address_staff_entered_on_the_patient_record(data_dir, inbox):
    with Store(Store.default_url(data_dir)) as store:
        patient = store.patients.add(NAME, date.fromisoformat(BIRTH), by="ada", at=datetime.now(timezone.utc),
                                     email="recorded@example.org")
    sent = screener(data_dir, "invite", "--name", NAME, "--dob", BIRTH, "--patient", patient.id, "--send",
                    **mail_settings(inbox))
    assert sent.returncode == 0, sent.stderr
    assert [recipients for _, recipients, _ in inbox.messages] == [["recorded@example.org"]]
    assert inbox.messages[0][2]["Subject"] == "Questions before your visit to Clínica Venas Claras"


@pytest.mark.parametrize("arguments, settings, problem", [
    (("--hours", "337"), {}, "--hours: A link works from 1 to 336 hours (14 days)."),
    (("--dob", "14/06/1979"), {}, "--dob: Enter the date of birth as YYYY-MM-DD, not '14/06/1979'."),
    (("--lang", "fr"), {}, "--lang: 'fr' is not a language this screener ships (known: en, es, zh-Hans)."),
    (("--email", "not-an-address"), {}, "--email: The e-mail address is not one"),
    (("--email", "emilia@example.org"), {}, "SCREENER_SMTP_URL: Set the mail server before sending"),
    (("--qr", "link.gif"), {}, "--qr: Give a file name ending in .svg or .png."),
    (("--patient", "0" * 32), {}, "--patient: This patient does not exist"),
    ((), {"SCREENER_PUBLIC_URL": ""}, "SCREENER_PUBLIC_URL: Set the https:// address"),
    ((), {"SCREENER_PUBLIC_URL": "http://forms.clinic.example"}, "a link must not travel unencrypted"),
])
def test_bad_input_exits_2_naming_the_option_and_makes_nothing(data_dir, arguments, settings, problem):
    values = {"--name": NAME, "--dob": BIRTH}
    values.update(dict(zip(arguments[::2], arguments[1::2])))
    result = screener(data_dir, "invite", *[part for pair in values.items() for part in pair], **settings)
    assert result.returncode == 2 and problem in result.stderr and result.stdout == ""
    with Store(Store.default_url(data_dir)) as store:
        assert store.audit_events(action="invitation_made") == []


def test_a_mail_server_that_cannot_be_reached_fails_in_one_line_without_its_password(data_dir):
    result = screener(data_dir, "invite", "--name", NAME, "--dob", BIRTH, "--email", "emilia@example.org",
                      SCREENER_SMTP_URL=f"smtp://forms:hunter2secret@127.0.0.1:{free_port()}",
                      SCREENER_MAIL_FROM="forms@clinic.example")
    assert result.returncode == 1 and LINK.fullmatch(result.stdout), "the link is still given, to copy"
    assert result.stderr.splitlines()[-1] == ("The e-mail could not be sent (the mail server of SCREENER_SMTP_URL "
                                              "cannot be reached).")
    assert "hunter2secret" not in result.stderr


@pytest.mark.parametrize("url, problem", [
    ("smtp://mail.clinic.example:25", "plain smtp:// is for a relay on this machine only"),
    ("imap://mail.clinic.example", "(the value set is not one of these)"),
    ("smtps://user:pa55word@mail.clinic.example:port", "(the value set is not one of these)"),
])
def test_an_unusable_mail_server_setting_is_named_without_repeating_it(url, problem):
    with pytest.raises(config.ConfigError) as raised:
        config.mail_server({"SCREENER_SMTP_URL": url, "SCREENER_MAIL_FROM": "forms@clinic.example"})
    assert raised.value.variable == "SCREENER_SMTP_URL" and problem in raised.value.message
    assert "pa55word" not in str(raised.value)


def test_the_mail_server_setting_reads_each_kind_of_security():
    found = {url: config.mail_server({"SCREENER_SMTP_URL": url, "SCREENER_MAIL_FROM": "forms@clinic.example"})
             for url in ("smtps://u:p@mail.clinic.example", "smtp+starttls://mail.clinic.example",
                         "smtp://localhost:2525")}
    assert [(server.security, server.port) for server in found.values()] == [("ssl", 465), ("starttls", 587),
                                                                            ("plain", 2525)]
    assert "p" != repr(found["smtps://u:p@mail.clinic.example"]).split("password")[-1][:3]
    assert config.mail_server({}) is None
    with pytest.raises(config.ConfigError, match="SCREENER_MAIL_FROM"):
        config.mail_server({"SCREENER_SMTP_URL": "smtp://localhost"})


def test_purge_erases_what_expired_invitations_hold_and_invitation_erase_erases_one(data_dir):
    now = datetime.now(timezone.utc)
    with Store(Store.default_url(data_dir)) as store:
        store.invitations.make(NAME, date.fromisoformat(BIRTH), by="ada", at=now - timedelta(hours=5), hours=1)
        live = store.invitations.make(NAME, date.fromisoformat(BIRTH), by="ada", at=now)
    dry = screener(data_dir, "purge", "--older-than", "365")
    assert dry.stdout.splitlines()[-1] == ("The drafts, names and dates of birth of 1 expired invitation would be "
                                           "erased.")
    done = screener(data_dir, "purge", "--older-than", "365", "--yes")
    assert done.stdout == ("Erased 0 submissions older than 365 days.\nThe drafts, names and dates of birth of 1 "
                           "expired invitation were erased.\n")
    assert screener(data_dir, "invitation-erase", live.id, "--reason", "patient_request").returncode == 0
    assert screener(data_dir, "invitation-erase", live.id, "--reason", "patient_request").returncode == 2
    for path in data_dir.glob("screener.sqlite3*"):
        assert b"Mailworthy" not in path.read_bytes()
