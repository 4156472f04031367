"""Reading credentials: from the environment only, never logged."""

from __future__ import annotations

import os


def secret(name: str) -> str | None:
    """The value of environment variable ``name`` (A's ``config.secrets.secret`` when present)."""
    try:
        from config.secrets import secret as config_secret
    except ImportError:  # config package without a secrets module: read the environment directly
        value = os.environ.get(name)
        return value.strip() or None if value else None
    return config_secret(name)
