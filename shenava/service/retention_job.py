"""The service's retention job: ``storage.retention.rules`` applied every ``interval_hours``
(first run one interval after start, so a restart loop never turns into a deletion loop)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

if TYPE_CHECKING:
    from config.settings import Settings

log = logging.getLogger("shenava.retention")


def retention_pass(settings: Settings, engine: Engine) -> None:
    from storage.db import session_factory
    from storage.retention import apply_retention

    rules = settings.storage.retention.rules
    outcomes = apply_retention(session_factory(engine), rules, tz=settings.timezone)
    for outcome in outcomes:
        if outcome.mentions:
            log.info("retention: %s: %d mention(s)", outcome.label, outcome.mentions)


def register_retention_job(
    scheduler: Any, settings: Settings, engine: Engine, guarded: Callable[[str, Callable[[], Any]], Any]
) -> None:
    retention = settings.storage.retention
    if not retention.rules:
        return
    interval = timedelta(hours=retention.interval_hours)
    scheduler.add_job(
        guarded("retention", lambda: retention_pass(settings, engine)),
        IntervalTrigger(seconds=interval.total_seconds()),
        id="retention",
        next_run_time=datetime.now(UTC) + interval,
    )
