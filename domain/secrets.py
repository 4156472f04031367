"""Secrets come from environment variables only; the YAML holds the variables' *names*.

Settings fields that name a variable end in ``_env`` (e.g. ``bot_token_env``). Never log the
value a variable holds; log its name.
"""

from __future__ import annotations

import os


class MissingSecretError(RuntimeError):
    """A required secret's environment variable is unset or empty."""


def secret(name: str) -> str | None:
    """The value of environment variable ``name``; None when unset or blank."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def require_secret(name: str, purpose: str) -> str:
    """Like ``secret`` but raises ``MissingSecretError`` naming the variable and what needs it."""
    value = secret(name)
    if value is None:
        raise MissingSecretError(f"environment variable {name} is not set; {purpose} needs it")
    return value


def redact(value: str | None) -> str:
    """A loggable stand-in for a secret: only whether it is set and its length."""
    return "<unset>" if not value else f"<secret, {len(value)} chars>"
