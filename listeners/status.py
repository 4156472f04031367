"""Each listener's state for ``shenava sources``: configured or not, last run, last checkpoint,
last error and items stored in the last 24 hours. Read-only over storage."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from domain.checkpoint import CheckpointVersionError
from domain.errors import NotConfigured
from listeners.registry import describe_listeners

CHECKPOINT_CHARS = 160


@dataclass
class TargetReport:
    key: str
    last_run_at: datetime | None = None
    last_ok_at: datetime | None = None
    last_error_kind: str | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    items_last_run: int = 0
    items_total: int = 0
    checkpoint: str | None = None


@dataclass
class SourceReport:
    name: str
    configured: bool
    reason: str | None
    items_24h: int = 0
    targets: list[TargetReport] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return json.loads(json.dumps(asdict(self), default=lambda v: v.isoformat()))


def _summary(state: dict[str, Any]) -> str:
    text = json.dumps(state, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= CHECKPOINT_CHARS else text[: CHECKPOINT_CHARS - 1] + "…"


def _replay_status(settings: Any, live: bool) -> tuple[bool, str | None, list[str]]:
    try:
        from listeners.replay import ReplayListener
    except ImportError:
        return False, "replay listener not installed", []
    try:
        built = ReplayListener.from_settings(settings, live_sources_configured=live)
    except NotConfigured as err:
        return False, str(err), []
    return True, None, [b.key for b in built]


def sources_report(settings: Any, engine: Engine, now: datetime | None = None) -> list[SourceReport]:
    """One report per listener name (plus replay), with every configured or previously run key."""
    from storage.models import Mention
    from storage.repository import MentionStore

    now = now or datetime.now(UTC)
    built, statuses = describe_listeners(settings)
    rows = [(s.name, s.configured, s.reason, s.keys) for s in statuses]
    rows.append(("replay", *_replay_status(settings, live=bool(built))))
    store = MentionStore(engine)
    states = {s.key: s for s in store.listener_states()}
    with engine.connect() as conn:
        counts = dict(
            conn.execute(
                select(Mention.source, func.count())
                .where(Mention.collected_at >= now - timedelta(hours=24))
                .group_by(Mention.source)
            ).all()
        )
    reports = []
    for name, configured, reason, keys in rows:
        known = list(keys) + sorted(k for k, s in states.items() if s.source == name and k not in keys)
        report = SourceReport(name, configured, reason, items_24h=int(counts.get(name, 0)))
        for key in known:
            target = TargetReport(key)
            state = states.get(key)
            if state is not None:
                target.last_run_at, target.last_ok_at = state.last_run_at, state.last_ok_at
                target.last_error_kind, target.last_error = state.last_error_kind, state.last_error
                target.consecutive_failures = state.consecutive_failures or 0
                target.items_last_run, target.items_total = state.items_last_run or 0, state.items_total or 0
            try:
                checkpoint = store.load_checkpoint(key)
            except CheckpointVersionError as err:
                target.checkpoint = f"unreadable: {err}"
            else:
                target.checkpoint = _summary(checkpoint.state) if checkpoint else None
            report.targets.append(target)
        reports.append(report)
    return reports
