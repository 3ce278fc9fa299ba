"""A real SMTP server on the loopback (aiosmtpd) that keeps what it receives, for the invitation e-mails.

It accepts the login ``forms@clinic`` / ``s3cret:pass`` only; ``mail_settings`` is the screener's setting for it.
"""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from real_browser import free_port


class Inbox:
    """What the local SMTP server received: (envelope sender, recipients, message) per message."""

    def __init__(self) -> None:
        self.messages: list = []
        self.logins: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, message_from_bytes(envelope.content,
                                                                                         policy=policy.default)))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=(auth_data.login, auth_data.password) == (b"forms@clinic", b"s3cret:pass"))


@pytest.fixture
def inbox():
    received = Inbox()
    received.port = free_port()
    controller = Controller(received, hostname="127.0.0.1", port=received.port, authenticator=received.authenticate,
                            auth_require_tls=False)
    controller.start()
    try:
        yield received
    finally:
        controller.stop()


def mail_settings(inbox: Inbox) -> dict[str, str]:
    return {"SCREENER_SMTP_URL": f"smtp://forms%40clinic:s3cret%3Apass@127.0.0.1:{inbox.port}",
            "SCREENER_MAIL_FROM": "Clínica Venas Claras <forms@clinic.example>"}
