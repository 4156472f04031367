"""The derived id of a mention whose source gives none (shared by the file reader and storage)."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, datetime


def content_id(text: str, created_at: datetime, author: str | None) -> str:
    """The external id of a mention whose source gives none: a stable hash of its content.

    Whitespace runs and Unicode composition do not change it; the time is taken in UTC to the
    second, so the same post seen twice (in any time zone) gets the same id.
    """
    if created_at.tzinfo is None:
        raise ValueError("content_id needs a timezone-aware created_at")
    body = " ".join(unicodedata.normalize("NFC", text).split())
    stamp = created_at.astimezone(UTC).replace(microsecond=0).isoformat()
    digest = hashlib.sha256("\x1f".join((author or "", stamp, body)).encode("utf-8", "replace"))
    return "c:" + digest.hexdigest()[:32]
