"""The raw mention: one public post or comment as a source gave it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class RawMention:
    """One public post or comment as a source gave it, before any NLP.

    ``created_at`` is timezone-aware. ``external_id`` is unique within ``source``; a listener
    that has no native id derives one from the content (see ``domain.identity.content_id``).
    """

    source: str
    external_id: str
    text: str
    created_at: datetime
    url: str | None = None
    author_id: str | None = None
    author_handle: str | None = None
    author_name: str | None = None
    author_followers: int | None = None
    lang_hint: str | None = None
    conversation_id: str | None = None
    metrics: dict[str, int] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
