"""Logs: secrets never written (message, arguments, tracebacks, JSON), batch fields in JSON."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from shenava.logging_setup import (
    MASK,
    configure_logging,
    redact,
    register_secret_env,
    secret_env_names,
)

TOKEN = "123456:AAH-secret-bot-token_value"
BEARER = "AAAAAAAAAAAAAAAAAAAAAbearer-token-xyz"


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[io.StringIO, logging.Handler]]:
    monkeypatch.setenv("SHENAVA_TEST_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SHENAVA_TEST_BEARER", BEARER)
    stream = io.StringIO()
    handler = configure_logging(
        level="INFO",
        secret_env=["SHENAVA_TEST_BOT_TOKEN", "SHENAVA_TEST_BEARER", "UNSET_VAR_X"],
        stream=stream,
    )
    yield stream, handler
    logging.getLogger().removeHandler(handler)


def test_secret_values_are_masked_in_messages_args_and_tracebacks(captured) -> None:
    stream, _ = captured
    log = logging.getLogger("shenava.test")
    log.info("calling with token %s", TOKEN)
    log.warning("bearer=%s done", BEARER)
    try:
        raise RuntimeError(f"request failed: https://api.telegram.org/bot{TOKEN}/sendMessage")
    except RuntimeError:
        log.exception("delivery failed")
    out = stream.getvalue()
    assert TOKEN not in out and BEARER not in out
    assert "AAH-secret" not in out
    assert out.count(MASK) >= 3
    assert "RuntimeError" in out  # the traceback itself is kept


def test_other_loggers_are_redacted_too(captured) -> None:
    stream, _ = captured
    logging.getLogger("httpx.somewhere").warning("GET https://h/x?access_token=abcdef123456&page=2")
    out = stream.getvalue()
    assert "abcdef123456" not in out and "page=2" in out


@pytest.mark.parametrize(
    ("text", "leaked"),
    [
        ("https://user:hunter2pass@db.example/x", "hunter2pass"),
        ("https://api.telegram.org/bot987654:ZZsecretZZ/getMe", "ZZsecretZZ"),
        ("url https://x.example/cb?code=abc123xyz&state=1", "abc123xyz"),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "eyJhbGciOiJIUzI1NiJ9"),
        ("https://hooks.example/?sig=deadbeefcafe", "deadbeefcafe"),
    ],
)
def test_token_looking_url_parts_are_masked(text: str, leaked: str) -> None:
    assert leaked not in redact(text)
    assert MASK in redact(text)


def test_ordinary_text_is_untouched() -> None:
    text = "batch listener=replay:mentions fetched=200 new=198 key=value سبزینو"
    assert redact(text) == text


def test_short_values_are_not_treated_as_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHENAVA_TEST_SHORT", "ab")
    register_secret_env(["SHENAVA_TEST_SHORT"])
    assert redact("about abc") == "about abc"


def test_json_lines_carry_batch_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHENAVA_TEST_BOT_TOKEN", TOKEN)
    stream = io.StringIO()
    handler = configure_logging(json_format=True, secret_env=["SHENAVA_TEST_BOT_TOKEN"], stream=stream)
    try:
        fields = {"listener": "replay:s", "fetched": 3, "new": 2, "duplicates": 1, "analyse_ms": 4.2}
        logging.getLogger("shenava.pipeline").info("batch %s", TOKEN, extra={"batch": fields})
    finally:
        logging.getLogger().removeHandler(handler)
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["level"] == "info" and line["logger"] == "shenava.pipeline"
    assert line["fetched"] == 3 and line["new"] == 2 and line["duplicates"] == 1
    assert TOKEN not in stream.getvalue()


def test_secret_env_names_come_from_every_env_field_of_the_settings() -> None:
    from config.settings import Settings
    from domain.brands import BrandSettings

    settings = Settings(brands=[BrandSettings(name="sabzino")])
    names = secret_env_names(settings)
    assert "SHENAVA_X_BEARER_TOKEN" in names
    assert all(n and " " not in n for n in names)
