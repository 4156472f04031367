"""Live updates: one poller per process watches the database, open pages hear about changes (SSE).

Alerts are written by ``shenava run`` (another process) and actions by colleagues on other servers,
so nothing in this process knows when the inbox changed: the only shared truth is the database.
While at least one page listens, a single task per process reads a small fingerprint of the inbox
tables every ``web.live_poll_seconds`` (counts, newest ids and change times, the newest audit row)
and wakes every listener when it differs; each page then re-fetches its own queue.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import anyio
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.accounts import AuditEntry
from storage.models import Incident, UrgentAlert

STREAM_SECONDS = 300.0  # a stream ends after this; EventSource reconnects (frees proxies and shutdowns)
KEEPALIVE_SECONDS = 15.0


def fingerprint(session: Session) -> tuple[Any, ...]:
    """Changes whenever an alert is raised, grows, or a person or the detector acts on one."""
    parts: list[Any] = [session.scalar(select(func.max(AuditEntry.id)))]
    for model in (Incident, UrgentAlert):
        parts.extend(
            session.execute(
                select(
                    func.count(),
                    func.max(model.id),
                    func.max(model.updated_at),
                    func.max(model.acknowledged_at),
                    func.max(model.resolved_at),
                    func.count().filter(model.status == "open"),
                    func.count(model.assigned_to),
                )
            ).one()
        )
    return tuple(parts)


class ChangeWatcher:
    def __init__(self, sessions: sessionmaker[Session], interval: float) -> None:
        self.sessions = sessions
        self.interval = interval
        self.version = 0
        self.listeners = 0
        self._last: tuple[Any, ...] | None = None
        self._changed: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    def _read(self) -> tuple[Any, ...]:
        with self.sessions() as session:
            return fingerprint(session)

    async def _poll(self) -> None:
        while self.listeners > 0:
            try:
                current = await anyio.to_thread.run_sync(self._read)
            except Exception:  # the database is briefly unavailable: try again next round
                current = self._last
            if self._last is not None and current != self._last:
                self.version += 1
                assert self._changed is not None
                self._changed.set()
                self._changed = asyncio.Event()
            self._last = current
            await asyncio.sleep(self.interval)
        self._task = None

    def _ensure_running(self) -> None:
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._task.get_loop() is not loop:
            self._changed = asyncio.Event()
            self._last = None
            self._task = loop.create_task(self._poll())

    async def stream(self) -> AsyncIterator[str]:
        """Server-sent events: ``change`` at once (the page may have missed one), then on every change."""
        self.listeners += 1
        try:
            self._ensure_running()
            yield "retry: 2000\n\n"
            yield f"event: change\ndata: {self.version}\n\n"
            loop = asyncio.get_running_loop()
            deadline = loop.time() + STREAM_SECONDS
            while loop.time() < deadline:
                seen = self.version
                changed = self._changed
                assert changed is not None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), KEEPALIVE_SECONDS)
                if self.version != seen:
                    yield f"event: change\ndata: {self.version}\n\n"
                else:
                    yield ": keep-alive\n\n"
        finally:
            self.listeners -= 1
