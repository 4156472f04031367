"""The digest arrives by real SMTP (aiosmtpd) as RTL HTML with a text part; failures are clear."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from alerts.digest import DigestNotConfigured, DigestPeriod, make_digest, send_digest
from alerts.digest.service import run_digest
from alerts.notifiers import DeliveryError
from tests.digest.conftest import digest_settings
from tests.digest.test_render import NOW
from tests.ports import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd hook name
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    # aiosmtpd logs from its own thread, possibly after pytest closed the stream another test's
    # logging setup points at: keep its chatter out of the root handlers
    server_log = logging.getLogger("mail.log")
    server_log.propagate = False
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
        server_log.propagate = True


def _email_settings(port: int, tmp_path: Path, **digest: object):
    settings = digest_settings(out_dir=str(tmp_path / "digests"), **digest)
    channel = {
        "type": "email", "name": "marketing-mail", "host": "127.0.0.1", "port": port, "security": "none",
        "sender": "Shenava <digest@shenava.local>", "recipients": ["marketing@example.com"],
    }  # fmt: skip
    return settings.model_copy(
        update={"notifications": settings.notifications.model_validate({"channels": [channel]})}
    )


def test_digest_arrives_as_rtl_html_with_text_part(
    engine: Engine, digest_archive: dict[str, int], smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp
    settings = _email_settings(port, tmp_path, recipients=["cmo@example.com", "team@example.com"])
    rendered = make_digest(settings, engine, DigestPeriod.for_day("1403-09-01"), now=NOW)
    assert send_digest(settings, rendered) == ["cmo@example.com", "team@example.com"]
    ((rcpts, message),) = inbox.messages
    assert rcpts == ["cmo@example.com", "team@example.com"]
    assert message["Subject"] == "گزارش روزانه شنوا — پنجشنبه ۱ آذر ۱۴۰۳"
    assert message["X-Shenava-Digest"] == "daily-1403-09-01"
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert '<html dir="rtl" lang="fa">' in html and "<svg" in html and "<img" not in html
    assert "سبزینو" in text and "احساس خالص" in text and "<svg" not in text


def test_an_english_digest_arrives_in_english(
    engine: Engine, digest_archive: dict[str, int], smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp
    settings = _email_settings(port, tmp_path, language="en")
    send_digest(settings, make_digest(settings, engine, DigestPeriod.for_day("1403-09-01"), now=NOW))
    ((_, message),) = inbox.messages
    assert message["Subject"] == "Shenava daily digest — Thursday 1 Azar 1403"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert '<html dir="ltr" lang="en">' in html and "<h3>Main complaints</h3>" in html
    assert "■ Sabzino" in text and "Net sentiment: -29%" in text


def test_scheduled_run_writes_the_file_then_sends(
    engine: Engine, digest_archive: dict[str, int], smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp
    settings = _email_settings(port, tmp_path)
    rendered = run_digest(settings, engine, "daily", now=NOW)
    assert (tmp_path / "digests" / "daily-1403-09-01.html").read_text(encoding="utf-8") == rendered.html
    assert [r for r, _ in inbox.messages] == [["marketing@example.com"]]


def test_smtp_down_is_a_clear_error_and_the_file_is_kept(
    engine: Engine, digest_archive: dict[str, int], tmp_path: Path
) -> None:
    settings = _email_settings(free_port(), tmp_path)  # nothing listens there
    with pytest.raises(DeliveryError, match="failed") as caught:
        run_digest(settings, engine, "weekly", now=NOW)
    assert caught.value.retryable
    assert (tmp_path / "digests" / "weekly-1403-08-19.html").exists()


def test_no_email_channel_is_reported(engine: Engine, digest_archive: dict[str, int]) -> None:
    rendered = make_digest(digest_settings(), engine, DigestPeriod.for_day("1403-09-01"), now=NOW)
    with pytest.raises(DigestNotConfigured, match="no enabled e-mail channel"):
        send_digest(digest_settings(), rendered)
