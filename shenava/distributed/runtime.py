"""What one worker process loads once: the store, the model, the alert engine, the listeners.

``shenava worker`` calls ``prepare`` in the main process before Celery forks its pool; each
forked process then builds its own ``Runtime`` on ``worker_process_init`` (database connections
and the model must not be shared across a fork), so the model is loaded once per process, not
once per task.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from celery.signals import worker_process_init, worker_process_shutdown
from sqlalchemy import func, select, tuple_

from domain.mention import RawMention

if TYPE_CHECKING:
    from config.settings import Settings
    from listeners.base import Listener
    from shenava.service.pipeline import Pipeline

log = logging.getLogger("shenava.distributed")


@dataclass
class Runtime:
    settings: Settings
    #: load the model at process start (workers consuming the nlp queue); else on first use
    eager_model: bool = False
    _listeners: dict[str, Listener] | None = field(default=None, repr=False)

    @cached_property
    def pipeline(self) -> Pipeline:
        from shenava.service.pipeline import Pipeline

        pipeline = Pipeline.from_settings(self.settings)
        if self.clock_mode == "wall":
            pipeline.clock_mode = "wall"
            if pipeline.alerts is not None:  # catching up after a pause pages only the present
                pipeline.alerts.backfill_guard = True
        return pipeline

    @cached_property
    def engine(self):  # type: ignore[no-untyped-def]
        from storage.db import create_engine_from_url

        return create_engine_from_url(self.settings.storage.url)

    @property
    def listeners(self) -> dict[str, Listener]:
        """The configured listeners by key, built once per process (a replay keeps its file open)."""
        if self._listeners is None:
            from shenava.service.sources import build_service_listeners

            built, _ = build_service_listeners(self.settings)
            self._listeners = {lst.key: lst for lst in built}
        return self._listeners

    @cached_property
    def clock_mode(self) -> str:
        """ "event" while a replay runs (detection follows the data), "wall" for live sources."""
        from listeners.replay import ReplayListener

        return "event" if any(isinstance(lst, ReplayListener) for lst in self.listeners.values()) else "wall"

    def detection_time(self, now: datetime) -> datetime | None:
        """Where detection closes buckets up to: the newest stored ``created_at`` in event time
        (what every worker stored, not one process's watermark), else the wall clock."""
        from storage.models import Mention

        if self.clock_mode == "wall":
            return now
        with self.engine.connect() as conn:
            newest = conn.execute(select(func.max(Mention.created_at))).scalar()
        if newest is not None and newest.tzinfo is None:
            newest = newest.replace(tzinfo=UTC)
        return newest

    def ids_of(self, mentions: Sequence[RawMention]) -> list[int]:
        """Stored ids of ``mentions`` (a redelivered batch: its rows were stored by the first try)."""
        from storage.models import Mention

        if not mentions:
            return []
        keys = [(m.source, m.external_id) for m in mentions]
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(Mention.id).where(tuple_(Mention.source, Mention.external_id).in_(keys))
            ).scalars()
            return sorted(rows.all())

    def close(self) -> None:
        if "pipeline" in self.__dict__ and self.pipeline.alerts is not None:
            self.pipeline.alerts.close()
        if "engine" in self.__dict__:
            self.engine.dispose()


_prepared: Runtime | None = None
_current: Runtime | None = None


def prepare(settings: Settings, *, eager_model: bool) -> None:
    """Called once in the worker's main process, before the pool forks."""
    global _prepared
    _prepared = Runtime(settings, eager_model=eager_model)
    # imported once here and shared by the forked processes (copy-on-write), not once per process
    import alerts.engine  # noqa: F401
    import nlp.analyzer  # noqa: F401
    import shenava.service.pipeline  # noqa: F401


def prepared() -> Runtime | None:
    """What ``prepare`` set up in this worker (None outside ``shenava worker``)."""
    return _prepared


def current() -> Runtime:
    """This process's runtime (built on first use where no pool forked, e.g. ``--pool solo``)."""
    global _current
    if _current is None:
        if _prepared is None:
            raise RuntimeError("shenava.distributed.runtime.prepare() was not called")
        _current = Runtime(_prepared.settings, eager_model=_prepared.eager_model)
    return _current


@worker_process_init.connect
def _on_process_init(**_: object) -> None:
    global _current
    if _prepared is None:
        return
    _current = Runtime(_prepared.settings, eager_model=_prepared.eager_model)
    if _current.eager_model:
        started = datetime.now(UTC)
        analyzer = _current.pipeline.analyzer
        # one mention through the model, so the first real batch pays no lazy loading
        analyzer.analyze([RawMention("warmup", "warmup", "سلام", started)])
        seconds = (datetime.now(UTC) - started).total_seconds()
        log.info("model %s loaded in %.1f s", analyzer.sentiment_model.name, seconds)


@worker_process_shutdown.connect
def _on_process_shutdown(**_: object) -> None:
    if _current is not None:
        _current.close()
