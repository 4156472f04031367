"""E-mail over SMTP: HTML (right-to-left) with a plain-text alternative.

``send_html`` sends any HTML message (the digest reuses it); ``send`` renders an alert event.
SMTP 4xx replies and connection problems are retryable; 5xx replies are permanent.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Literal

from alerts.notifiers.base import DeliveryError, Notifier
from alerts.render import render_email


class EmailNotifier(Notifier):
    type = "email"

    def __init__(
        self,
        name: str,
        *,
        host: str,
        port: int,
        sender: str,
        recipients: list[str],
        security: Literal["starttls", "ssl", "none"] = "starttls",
        username: str | None = None,
        password: str | None = None,
        timeout_s: float = 15.0,
        ca_file: str | None = None,
    ) -> None:
        super().__init__(name)
        self.host, self.port, self.sender, self.recipients = host, port, sender, list(recipients)
        self.security = security
        self._username, self._password = username, password
        self.timeout_s = timeout_s
        self.ca_file = ca_file

    def send(self, event: dict[str, Any], *, delivery_key: str) -> None:
        subject, html_body, text_body = render_email(event)
        self.send_html(subject, html_body, text_body, headers={"X-Shenava-Delivery": delivery_key})

    def send_html(
        self,
        subject: str,
        html_body: str,
        text_body: str,
        recipients: list[str] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Send one HTML message (with its text alternative) to ``recipients`` (default: the channel's)."""
        message = EmailMessage()
        message["Subject"] = subject.replace("\n", " ").replace("\r", " ")
        message["From"] = self.sender
        message["To"] = ", ".join(recipients or self.recipients)
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="shenava.local")
        for key, value in (headers or {}).items():
            message[key] = value
        message.set_content(text_body, charset="utf-8")
        message.add_alternative(html_body, subtype="html", charset="utf-8")
        self._deliver(message, recipients or self.recipients)

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)

    def _deliver(self, message: EmailMessage, recipients: list[str]) -> None:
        try:
            if self.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout_s, context=self._context()
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout_s)
            with smtp:
                if self.security == "starttls":
                    smtp.starttls(context=self._context())
                if self._username and self._password:
                    smtp.login(self._username, self._password)
                refused = smtp.send_message(message, to_addrs=recipients)
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(
                f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", retryable=400 <= exc.smtp_code < 500
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise DeliveryError(
                f"SMTP refused every recipient: {codes}", retryable=all(400 <= c < 500 for c in codes)
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(
                f"SMTP {self.host}:{self.port} failed: {type(exc).__name__}: {exc}",
                retryable=True,
                unreachable=isinstance(exc, OSError | smtplib.SMTPServerDisconnected),
            ) from None
        if refused:
            # Partial success: the message is out; resending would duplicate it for the others.
            return
