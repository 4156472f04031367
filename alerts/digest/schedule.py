"""APScheduler jobs for the digest: daily at ``digest.time``, weekly on ``digest.weekly_day``."""

from __future__ import annotations

import logging
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from alerts.digest.service import DigestNotConfigured, run_digest

log = logging.getLogger("shenava.digest")
_CRON_DAYS = {"saturday": "sat", "sunday": "sun", "monday": "mon", "tuesday": "tue", "wednesday": "wed",
              "thursday": "thu", "friday": "fri"}  # fmt: skip


def _job(settings: Any, engine: Engine, kind: str) -> None:
    try:
        run_digest(settings, engine, kind)
    except DigestNotConfigured as exc:
        log.warning("%s digest written but not sent: %s", kind, exc)
    except Exception:  # a failed digest must not stop the service; the next run tries again
        log.exception("%s digest failed", kind)


def register_digest_jobs(scheduler: Any, settings: Any, engine: Engine) -> list[str]:
    """Add the digest jobs to ``scheduler`` (any APScheduler 3 scheduler); returns their ids."""
    if not settings.digest.enabled:
        return []
    hour, minute = (int(part) for part in settings.digest.time.split(":"))
    tz = settings.timezone
    jobs = [("digest-daily", "daily", CronTrigger(hour=hour, minute=minute, timezone=tz))]
    if settings.digest.weekly:
        day = _CRON_DAYS[settings.digest.weekly_day]
        jobs.append(
            ("digest-weekly", "weekly", CronTrigger(day_of_week=day, hour=hour, minute=minute, timezone=tz))
        )
    for job_id, kind, trigger in jobs:
        scheduler.add_job(
            _job, trigger, args=(settings, engine, kind), id=job_id, name=f"{kind} digest",
            replace_existing=True, max_instances=1, coalesce=True, misfire_grace_time=3600,
        )  # fmt: skip
    return [job_id for job_id, _, _ in jobs]
