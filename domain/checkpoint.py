"""Where a listener resumes, and the batch that carries it.

Each batch carries the checkpoint that covers it: storage commits the batch's mentions and that
checkpoint in one transaction, so a crash between batches loses nothing and repeats nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.mention import RawMention

CHECKPOINT_VERSION = 1


class CheckpointVersionError(ValueError):
    """A stored checkpoint was written by an incompatible version."""


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
