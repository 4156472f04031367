"""The one interface every listener implements, and the records it yields.

A listener reads from its source *after* the checkpoint it is given and yields batches. Each
batch carries the checkpoint that covers it: storage commits the batch's mentions and that
checkpoint in one transaction, so a crash between batches loses nothing and repeats nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

CHECKPOINT_VERSION = 1


@dataclass(frozen=True)
class RawMention:
    """One public post or comment as a source gave it, before any NLP.

    ``created_at`` is timezone-aware. ``external_id`` is unique within ``source``; a listener
    that has no native id derives one from the content (see ``storage`` for the rule).
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


@dataclass(frozen=True)
class Checkpoint:
    """Where a listener resumes: versioned JSON state, stored as a row, never pickled."""

    key: str
    state: dict[str, Any]
    version: int = CHECKPOINT_VERSION

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "state": self.state}

    @classmethod
    def from_json(cls, key: str, data: dict[str, Any]) -> Checkpoint:
        version = data.get("version")
        if version != CHECKPOINT_VERSION:
            raise CheckpointVersionError(
                f"checkpoint {key!r} has version {version!r}; this Shenava reads version {CHECKPOINT_VERSION}"
            )
        return cls(key=key, state=dict(data.get("state") or {}), version=version)


@dataclass(frozen=True)
class ListenerBatch:
    """Mentions fetched in one step and the checkpoint to store with them (atomically)."""

    mentions: list[RawMention]
    checkpoint: Checkpoint


class NotConfigured(Exception):
    """Raised by ``from_settings`` when a listener lacks what it needs (credentials, targets)."""


class CheckpointVersionError(ValueError):
    """A stored checkpoint was written by an incompatible version."""


#: every ``ListenerError.kind``
ERROR_KINDS = frozenset({"rate_limited", "auth", "login_required", "usage_cap", "unavailable", "bad_payload",
                         "bad_request", "not_found", "forbidden"})
#: kinds only a person can fix (token, login, config, robots.txt): retried hourly, never in a tight loop
NEEDS_A_PERSON = frozenset({"auth", "login_required", "bad_request", "not_found", "forbidden"})
PERSON_RETRY_SECONDS = 3600.0


class ListenerError(Exception):
    """A source failed in a way the scheduler should report, not crash on.

    ``kind`` is one of: ``rate_limited``, ``auth``, ``login_required``, ``usage_cap``,
    ``unavailable`` (5xx, timeouts, connection errors after retries), ``bad_payload``,
    ``bad_request`` (the source rejected our request, e.g. an invalid query: fix the config),
    ``not_found`` (a configured profile/page does not exist), ``forbidden`` (401/403 from a web
    site, or its robots.txt disallows the URL).
    ``retry_after`` (seconds) says when trying again makes sense, if the source said so; for the
    kinds in ``NEEDS_A_PERSON`` it defaults to an hour.
    """

    def __init__(self, kind: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        if retry_after is None and kind in NEEDS_A_PERSON:
            retry_after = PERSON_RETRY_SECONDS
        self.retry_after = retry_after


class Listener(ABC):
    """A source of mentions. Concrete listeners are mostly declarations."""

    #: registry name, also the ``source`` of the mentions it yields
    source: ClassVar[str]

    def __init__(self, key: str) -> None:
        #: unique per configured target, e.g. ``x:search:digikala``; names its checkpoint
        self.key = key

    @abstractmethod
    def fetch(self, checkpoint: Checkpoint | None) -> Iterator[ListenerBatch]:
        """Yield batches of mentions newer than ``checkpoint`` (None: first run).

        Must never yield a mention at or before the checkpoint; raises ``ListenerError``.
        """
