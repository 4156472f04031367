"""The one read model of listener health, behind ``shenava status``, ``shenava sources`` and the
API's ``/listeners``.

Per listener key: its source, last run and last success, last error, counts, and its stored
checkpoint (and whether this version can read it). Per source name: whether it is configured
(and why not), its listeners, and the items it stored in the last 24 hours. Read-only over the
storage rows and the source registry: safe while the service runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.checkpoint import Checkpoint, CheckpointVersionError
from listeners.settings import ListenerSettingsView
from shenava.service.sources import describe_sources
from storage.models import ListenerCheckpoint, ListenerState, Mention


@dataclass(frozen=True)
class ListenerHealth:
    """One listener key: what its runs recorded (``listener_states``) and where it resumes."""

    key: str
    #: False for a key with a checkpoint but no recorded run (e.g. a run that died mid-way)
    has_run: bool = False
    source: str | None = None
    last_run_at: datetime | None = None
    last_ok_at: datetime | None = None
    last_error_at: datetime | None = None
    last_error_kind: str | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    items_last_run: int = 0
    items_total: int = 0
    #: the stored checkpoint state as written; None before the first stored batch
    checkpoint: dict[str, Any] | None = None
    checkpoint_at: datetime | None = None
    #: why this version cannot resume from the stored checkpoint (an incompatible version)
    checkpoint_error: str | None = None


@dataclass(frozen=True)
class SourceHealth:
    """One source name (``x``, ``web``, …, ``replay``): on or off, and its listeners."""

    name: str
    configured: bool
    #: why it is off (plain words: what to set)
    reason: str | None
    items_24h: int = 0
    #: its configured keys first (in build order), then keys that ran before and are gone now
    listeners: list[ListenerHealth] = field(default_factory=list)


def _health(key: str, state: ListenerState | None, cp: ListenerCheckpoint | None) -> ListenerHealth:
    run: dict[str, Any] = {}
    if state is not None:
        run = {
            "has_run": True,
            "source": state.source,
            "last_run_at": state.last_run_at,
            "last_ok_at": state.last_ok_at,
            "last_error_at": state.last_error_at,
            "last_error_kind": state.last_error_kind,
            "last_error": state.last_error,
            "consecutive_failures": state.consecutive_failures or 0,
            "items_last_run": state.items_last_run or 0,
            "items_total": state.items_total or 0,
        }
    if cp is not None:
        try:
            Checkpoint.from_json(key, {"version": cp.version, "state": cp.state})
        except CheckpointVersionError as err:
            run["checkpoint_error"] = str(err)
        run |= {"checkpoint": cp.state, "checkpoint_at": cp.updated_at}
    return ListenerHealth(key, **run)


def listener_health(session: Session) -> list[ListenerHealth]:
    """Every listener key that has run or stored a checkpoint, ordered by key."""
    # "<key>#published" rows are the Celery polls' cursors (shenava.distributed.tasks), not listeners
    listed = select(ListenerCheckpoint).where(ListenerCheckpoint.key.not_like("%#published"))
    checkpoints = {cp.key: cp for cp in session.scalars(listed)}
    states = {st.key: st for st in session.scalars(select(ListenerState))}
    return [
        _health(key, states.get(key), checkpoints.get(key)) for key in sorted(set(checkpoints) | set(states))
    ]


def source_health(
    settings: ListenerSettingsView, session: Session, now: datetime | None = None
) -> list[SourceHealth]:
    """One entry per registered source name, then the replay, each with its listeners."""
    now = now or datetime.now(UTC)
    _, statuses = describe_sources(settings)
    known = {h.key: h for h in listener_health(session)}
    counts = dict(
        session.execute(
            select(Mention.source, func.count())
            .where(Mention.collected_at >= now - timedelta(hours=24))
            .group_by(Mention.source)
        ).all()
    )
    sources = []
    for status in statuses:
        gone = sorted(k for k, h in known.items() if h.source == status.name and k not in status.keys)
        sources.append(
            SourceHealth(
                status.name,
                status.configured,
                status.reason,
                items_24h=int(counts.get(status.name, 0)),
                listeners=[known.get(key) or ListenerHealth(key) for key in [*status.keys, *gone]],
            )
        )
    return sources
