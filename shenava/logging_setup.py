"""Logging for the service: one line per batch, optional JSON, and secrets never written.

``RedactingFilter`` sits on every handler, so it sees every record from every logger. It
replaces the values of the configured secret environment variables and token-looking parts of
URLs (``?access_token=…``, ``user:password@host``, Telegram's ``/bot<token>/``, ``Bearer …``)
in the message, its arguments and any traceback before anything is formatted.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

MASK = "***"
#: shorter values are not secrets worth masking (and would mask innocent words)
MIN_SECRET_CHARS = 6

_QUERY_SECRET = re.compile(
    r"([?&;](?:access_token|refresh_token|token|api_key|apikey|key|secret|client_secret|password|passwd|pwd|"
    r"sig|signature|auth|sessionid|session_id|code)=)[^&;#\s\"']+",
    re.IGNORECASE,
)
_URL_USERINFO = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]*:)[^/\s@]+@")
_TELEGRAM_BOT = re.compile(r"(/bot)\d+:[A-Za-z0-9_-]+")
_AUTH_HEADER = re.compile(r"\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)

_secret_values: set[str] = set()


def register_secret_values(values: Iterable[str | None]) -> None:
    """Values to mask wherever they appear (the contents of secret environment variables)."""
    for value in values:
        if value and len(value) >= MIN_SECRET_CHARS:
            _secret_values.add(value)


def register_secret_env(names: Iterable[str]) -> None:
    """Mask the current values of these environment variables."""
    register_secret_values(os.environ.get(name) for name in names)


def secret_env_names(settings: Any) -> set[str]:
    """Names of the environment variables the settings point at (every ``*_env`` field)."""
    found: set[str] = set()

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, str(k))
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item, key)
        elif isinstance(node, str) and (key.endswith("_env") or key.endswith("_envs")):
            found.add(node)

    dump = settings.model_dump() if hasattr(settings, "model_dump") else settings
    walk(dump)
    return found


def redact(text: str) -> str:
    """``text`` with every known secret value and token-looking URL part masked."""
    if not text:
        return text
    for value in sorted(_secret_values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    text = _QUERY_SECRET.sub(rf"\1{MASK}", text)
    text = _URL_USERINFO.sub(rf"\1{MASK}@", text)
    text = _TELEGRAM_BOT.sub(rf"\1{MASK}", text)
    return _AUTH_HEADER.sub(rf"\1 {MASK}", text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and traceback) with secrets masked; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_redacted", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        record._redacted = True
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; a batch record carries its counts and timings as fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        batch = getattr(record, "batch", None)
        if isinstance(batch, dict):
            data.update(batch)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["exc"] = record.exc_text
        return json.dumps(data, ensure_ascii=False, default=str)


def configure_logging(
    *, level: str = "INFO", json_format: bool = False, secret_env: Iterable[str] = (), stream: Any = None
) -> logging.Handler:
    """Install one handler on the root logger (replacing ours from an earlier call)."""
    register_secret_env(secret_env)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_shenava", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._shenava = True  # type: ignore[attr-defined]
    handler.addFilter(RedactingFilter())
    text_format = logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    handler.setFormatter(JsonFormatter() if json_format else text_format)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # third-party chatter that says nothing a user needs
    for noisy in ("alembic", "gensim", "httpx", "urllib3", "transformers", "filelock"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    # "skipped: maximum number of running instances reached" is max_instances=1 doing its job
    logging.getLogger("apscheduler").setLevel(max(logging.ERROR, root.level))
    return handler
