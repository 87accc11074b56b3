"""One mail service for every module: SMTP when configured, else written to a folder and logged.

Development and tests need no mail server: each message is saved as an ``.eml`` file under
``MAIL_FOLDER`` (default ``instance/mail``) and its subject and recipient are logged, so links
in invitations and password resets can be followed from there.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, has_request_context, request, url_for

from webapp.models import utcnow
from webapp.tenancy import normalise_host, platform_hosts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentMail:
    to: str
    subject: str
    text: str
    message_id: str
    path: Path | None = None


def absolute_url(endpoint: str, **values) -> str:
    """A full link for an e-mail, on a host the platform operator configured.

    The request's host is used only when it is a platform host: a link built from any other
    Host header (a merchant's own domain, a forged header) could hand a reset token to whoever
    controls that host. Otherwise, and outside requests, BASE_URL.
    """
    if has_request_context() and normalise_host(request.host) in platform_hosts():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return url_for(endpoint, _external=True, **values)



def build_message(to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="buttek.local")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send_mail(to: str, subject: str, text: str, html: str | None = None) -> SentMail:
    """Send (or, without SMTP, store) one message; returns what was sent."""
    message = build_message(to, subject, text, html)
    config = current_app.config
    if config.get("MAIL_SERVER"):
        _send_smtp(message, config)
        log.info("Mail '%s' sent to %s over SMTP", subject, to)
        return SentMail(to, subject, text, message["Message-ID"])
    folder = Path(config["MAIL_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{utcnow():%Y%m%d-%H%M%S-%f}-{abs(hash(message['Message-ID'])) % 10**8}.eml"
    path.write_bytes(bytes(message))
    log.info("Mail '%s' to %s written to %s (no MAIL_SERVER configured)", subject, to, path)
    return SentMail(to, subject, text, message["Message-ID"], path)


def _send_smtp(message: EmailMessage, config) -> None:
    port = int(config.get("MAIL_PORT") or 587)
    with smtplib.SMTP(config["MAIL_SERVER"], port, timeout=15) as smtp:
        if config.get("MAIL_USE_TLS", True):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(message)
