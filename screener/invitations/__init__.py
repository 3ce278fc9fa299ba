"""Invitations to answer at home, outside the database: the link, its QR code, the e-mail and sending it.

What leaves the clinic holds the link, the clinic's name and when the link expires: never a health answer, a
name or a date of birth (the date of birth is what the link asks for)."""

from .message import MailError, home_link, invitation_email, qr_svg, send, until_words

__all__ = ["MailError", "home_link", "invitation_email", "qr_svg", "send", "until_words"]
