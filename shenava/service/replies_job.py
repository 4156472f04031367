"""The service's reply job: replies that failed for a passing reason (timeout, 5xx, 429) are retried
when their backoff is due, and claims left by a process that died mid-send are settled
(``shenava.replies.outbox.send_due``). Runs beside the alerts' dispatch, at the same interval."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

if TYPE_CHECKING:
    from config.settings import Settings

log = logging.getLogger("shenava.replies")


def register_replies_job(
    scheduler: Any,
    settings: Settings,
    engine: Engine,
    guarded: Callable[[str, Callable[[], Any]], Any],
    interval: float,
) -> None:
    from shenava.replies.outbox import send_due
    from shenava.replies.senders import build_senders

    senders = build_senders(settings)

    def run() -> None:
        report = send_due(engine, senders, max_attempts=settings.web.reply_max_attempts)
        if report.sent or report.failed:
            log.info("replies: %d sent, %d failed for good", len(report.sent), report.failed)

    scheduler.add_job(guarded("replies", run), IntervalTrigger(seconds=interval), id="replies")
