"""The link of an invitation, its QR code, the e-mail that carries it, and sending that through SMTP."""

from __future__ import annotations

import smtplib
import socket
import ssl
from datetime import datetime, tzinfo
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Optional

from ..clinical.errors import ScreenerError
from ..config import HOME_PATH, MailServer
from ..language import formats, screens
from ..language.i18n import Words

SMTP_TIMEOUT_S = 20


class MailError(ScreenerError):
    """The e-mail could not be sent; the message says why without the server's address or password."""


def home_link(public_url: str, token: str) -> str:
    """The address a patient opens: the home app's page with the token as its one query parameter."""
    return f"{public_url}{HOME_PATH}?t={token}"


def until_words(expires_at: datetime, zone: Optional[tzinfo], language: str) -> str:
    """When a link stops working, in the patient's language and the clinic's time: ``24 November 2026, 09:00``."""
    local = expires_at.astimezone(zone) if zone else expires_at.astimezone()
    return f"{formats.long_date(local.date(), language)}, {local:%H:%M}"


def invitation_email(*, to: str, sender: str, link: str, clinic: str, until: str, language: str) -> EmailMessage:
    """The e-mail of one invitation in the patient's language: the clinic, the link and until when, nothing else."""
    say = Words(language)
    message = EmailMessage()
    message["Subject"] = say(screens.INVITATION_SUBJECT, clinic=clinic)
    message["From"], message["To"] = sender, to
    message["Date"], message["Message-ID"] = formatdate(localtime=True), make_msgid(domain="screener.invalid")
    message["Content-Language"] = language
    message.set_content(say(screens.INVITATION_TEXT, clinic=clinic, link=link, until=until))
    return message


def send(message: EmailMessage, server: MailServer, timeout: float = SMTP_TIMEOUT_S) -> None:
    """Hand the message to the mail server; MailError (in plain words) when it cannot be sent."""
    try:
        if server.security == "ssl":
            connection = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout,
                                          context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(server.host, server.port, timeout=timeout)
        with connection:
            if server.security == "starttls":
                connection.starttls(context=ssl.create_default_context())
            if server.username:
                connection.login(server.username, server.password)
            connection.send_message(message)
        return
    except smtplib.SMTPAuthenticationError:
        reason = "the mail server refused the user name or password of SCREENER_SMTP_URL"
    except smtplib.SMTPRecipientsRefused:
        reason = "the mail server refused the address"
    except (smtplib.SMTPException, ssl.SSLError) as error:
        reason = f"the mail server answered with an error ({type(error).__name__})"
    except (socket.timeout, OSError):
        reason = "the mail server of SCREENER_SMTP_URL cannot be reached"
    raise MailError(f"The e-mail could not be sent ({reason}).")


def qr_svg(link: str) -> str:
    """The link as a QR code, an SVG ``data:`` URI to show or print."""
    import segno

    return segno.make(link, error="m").svg_data_uri(scale=4)
