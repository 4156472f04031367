"""The service's SLA job (issue 12 item 6): every ``sla.check_interval_seconds`` one pass of
``alerts.sla_tracker`` — deadlines for new incidents and urgent mentions, outcomes for the answered
ones, and the one escalation of each breach queued in the notification outbox, which the dispatch
job delivers. Everything lives in the database, so a restart picks up where the last pass stopped."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

if TYPE_CHECKING:
    from config.settings import Settings

log = logging.getLogger("shenava.sla")


def register_sla_job(
    scheduler: Any,
    settings: Settings,
    engine: Engine,
    guarded: Callable[[str, Callable[[], Any]], Any],
) -> None:
    if not settings.sla.enabled:
        return
    from alerts.sla_tracker import SlaTracker

    tracker = SlaTracker.from_settings(settings, engine)

    def run() -> None:
        report = tracker.run()
        for event in report.escalated:
            log.info("SLA breached, escalated: %s", event.title)

    interval = IntervalTrigger(seconds=settings.sla.check_interval_seconds)
    scheduler.add_job(guarded("sla", run), interval, id="sla")
