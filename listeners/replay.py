"""Replays a file of mentions (JSONL or CSV) as if they were arriving now, at a chosen speed.

The simulated clock starts at the first pending mention's ``created_at`` (after a restart: the
last stored one's) and runs ``speed`` times faster than the wall clock; each ``fetch`` yields
every mention the clock has passed. The checkpoint is the position in the file (lines read,
plus the line and id of the last mention), so a restart resumes exactly after the last stored
batch, and a changed file is detected instead of silently skipping or repeating mentions.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from domain.checkpoint import Checkpoint, ListenerBatch
from domain.errors import ListenerError, NotConfigured
from domain.mention import RawMention
from listeners.base import Listener
from listeners.mention_file import FileRecord, IdDeriver, iter_file
from listeners.settings import ListenerSettingsView

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def resolve_replay_file(name: str | Path) -> Path:
    """A relative path is looked up from the working directory, then from the project root."""
    path = Path(name).expanduser()
    if path.is_absolute() or path.exists():
        return path
    return PROJECT_ROOT / path


class ReplayListener(Listener):
    """Feeds a mention file through the pipeline; each line keeps its own ``source`` if it has one."""

    source: ClassVar[str] = "replay"

    def __init__(
        self,
        key: str,
        path: str | Path,
        *,
        speed: float = 5000.0,
        batch_size: int = 200,
        clock: Callable[[], float] = time.monotonic,
        derive_id: IdDeriver | None = None,
    ) -> None:
        super().__init__(key)
        if speed <= 0:
            raise ValueError("replay speed must be > 0")
        self.path = Path(path)
        self.speed = speed
        self.batch_size = batch_size
        self._clock = clock
        self._derive_id = derive_id
        self._records: Iterator[FileRecord] | None = None
        self._pending: FileRecord | None = None
        self._state: dict[str, Any] = {}
        self._anchor: tuple[float, datetime] | None = None
        self._eof = False
        #: how often the scheduler runs this listener
        self.interval_seconds = 2.0
        #: lines that could not be read, as (line, reason); reported in the log, not retried
        self.bad_lines: list[tuple[int, str]] = []

    @classmethod
    def from_settings(
        cls, settings: ListenerSettingsView, *, live_sources_configured: bool = False
    ) -> list[Listener]:
        """The replay of ``sources.replay`` (a one-item list, as the registry expects).

        Raises ``NotConfigured`` when it is off or its file is missing.

        With ``enabled: auto`` the replay runs only when no live source is configured
        (the registry says so through ``live_sources_configured``).
        """
        cfg = settings.sources.replay
        enabled = cfg.enabled
        if isinstance(enabled, str):
            if enabled.lower() == "auto":
                enabled = not live_sources_configured
            else:
                enabled = enabled.lower() in ("true", "yes", "on", "1")
        if not enabled:
            reason = "live sources are configured" if live_sources_configured else "disabled in the config"
            raise NotConfigured(f"replay is off ({reason})")
        path = resolve_replay_file(cfg.file)
        if not path.is_file():
            raise NotConfigured(f"replay file {cfg.file!r} not found")
        listener = cls(f"replay:{path.stem}", path, speed=cfg.speed)
        listener.interval_seconds = cfg.interval_seconds
        return [listener]

    @property
    def exhausted(self) -> bool:
        """True once every line of the file has been handed out."""
        return self._eof and self._pending is None

    def simulated_now(self) -> datetime | None:
        """The replay's clock (None before the first mention is seen)."""
        if self._anchor is None:
            return None
        wall0, sim0 = self._anchor
        return sim0 + timedelta(seconds=(self._clock() - wall0) * self.speed)

    def fetch(self, checkpoint: Checkpoint | None) -> Iterator[ListenerBatch]:
        state = dict(checkpoint.state) if checkpoint else {}
        if self._records is None or state != self._state:
            self._open_at(state)
        while True:
            batch = self._take_due()
            if not batch:
                return
            yield ListenerBatch(mentions=batch, checkpoint=Checkpoint(key=self.key, state=dict(self._state)))

    # -- positioning -------------------------------------------------------------------------

    def _open_at(self, state: dict[str, Any]) -> None:
        """(Re)open the file and skip to the position ``state`` describes, verifying it."""
        if not self.path.is_file():
            raise ListenerError("unavailable", f"replay file {self.path} is missing")
        self._records = iter_file(self.path, default_source=self.source, derive_id=self._derive_id)
        self._pending, self._eof, self._anchor = None, False, None
        lines = int(state.get("lines", 0))
        last_line, last_id = state.get("last_line"), state.get("last_id")
        last_seen: FileRecord | None = None
        while True:
            record = self._next_record()
            if record is None or record.line > lines:
                self._pending = record
                break
            if record.mention is not None:
                last_seen = record
        if last_line is not None:
            seen_id = last_seen.mention.external_id if last_seen and last_seen.mention else None
            if last_seen is None or last_seen.line != last_line or seen_id != last_id:
                raise ListenerError(
                    "bad_payload",
                    f"replay file {self.path.name} changed since the checkpoint: line {last_line} "
                    f"should hold id {last_id!r}; reset the checkpoint to replay it from the start",
                )
        self._state = dict(state)
        if last_seen is not None and last_seen.mention is not None:
            self._anchor = (self._clock(), last_seen.mention.created_at)

    def _next_record(self) -> FileRecord | None:
        assert self._records is not None
        for record in self._records:
            if record.error is None:
                return record
            self.bad_lines.append((record.line, record.error.reason))
            log.warning("replay %s: skipped %s", self.path.name, record.error)
        self._eof = True
        return None

    def _take_due(self) -> list[RawMention]:
        """The next batch of mentions the simulated clock has passed, advancing the state."""
        if self._pending is None and not self._eof:
            self._pending = self._next_record()
        if self._pending is None:
            return []
        if self._anchor is None:
            self._anchor = (self._clock(), self._pending.mention.created_at)
        now = self.simulated_now()
        batch = []
        while self._pending is not None and len(batch) < self.batch_size:
            mention = self._pending.mention
            if mention.created_at > now:
                break
            batch.append(mention)
            self._state = {
                "file": self.path.name,
                "lines": self._pending.line,
                "last_line": self._pending.line,
                "last_id": mention.external_id,
                "last_created_at": mention.created_at.isoformat(),
            }
            self._pending = self._next_record()
        return batch
