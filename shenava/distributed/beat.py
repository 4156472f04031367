"""``shenava beat``: sends each listener's poll once per interval, plus detection, dispatch and the
digests, from one process in the whole cluster (``leader.LeaderLock``).

Every job body checks the lock before sending, so a standby beat runs the same schedule and
sends nothing until it becomes the leader. Polls that overlap are harmless: one poll per
listener runs at a time (the poll's own lock) and storage skips anything sent twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from shenava.distributed import metrics, tasks
from shenava.distributed.leader import LeaderLock
from shenava.distributed.queues import DEAD, LISTEN, NLP
from shenava.service.scheduler import listener_interval, stop_on_signals

if TYPE_CHECKING:
    from celery import Celery

    from config.settings import Settings

log = logging.getLogger("shenava.beat")


class Beat:
    def __init__(self, settings: Settings, app: Celery, *, stop: threading.Event | None = None) -> None:
        from shenava.service.sources import build_service_listeners
        from storage.db import create_engine_from_url

        self.settings = settings
        self.app = app
        self.stop = stop or threading.Event()
        self.engine = create_engine_from_url(settings.storage.url)
        self.leader = LeaderLock(self.engine, f"shenava:beat:{settings.distributed.queue_prefix}")
        self.listeners, _ = build_service_listeners(settings)
        self.sent = 0
        #: polls waiting in the listen queue at the last look: past a few per listener, beat
        #: sends no more (no workers, or all busy) instead of piling polls up in the broker
        self.listen_waiting = 0
        self._scheduler = BackgroundScheduler(
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 60}, timezone=UTC
        )

    def _send(self, task: Any, *args: Any) -> Callable[[], None]:
        def job() -> None:
            if self.stop.is_set() or not self.leader.held:
                return
            if task is tasks.poll and self.listen_waiting > 2 * len(self.listeners) + 10:
                return
            try:
                task.delay(*args)
                self.sent += 1
            except Exception:
                log.exception("could not send %s; the next interval sends it again", task.name)

        return job

    def schedule(self) -> None:
        cfg, start = self.settings.distributed, datetime.now(UTC)
        for lst in self.listeners:
            self._scheduler.add_job(
                self._send(tasks.poll, lst.key),
                IntervalTrigger(seconds=listener_interval(lst, self.settings)),
                id=f"poll:{lst.key}",
                next_run_time=start,
            )
        soon = start + timedelta(seconds=1)
        for job_id, task, seconds in (
            ("detect", tasks.detect, cfg.detect_interval_seconds),
            ("dispatch", tasks.dispatch, cfg.dispatch_interval_seconds),
            ("sla", tasks.sla_check, self.settings.sla.check_interval_seconds),  # issue 12 item 6
        ):
            self._scheduler.add_job(
                self._send(task), IntervalTrigger(seconds=seconds), id=job_id, next_run_time=soon
            )
        self._schedule_digests()

    def _schedule_digests(self) -> None:
        """Same days and time as the embedded service's digest jobs, sending the task instead."""
        from alerts.digest import schedule as digest_schedule

        class Sender:  # register_digest_jobs adds ``_job(settings, engine, kind)``; ours sends it
            def __init__(self, beat: Beat) -> None:
                self.beat = beat

            def add_job(self, _fn: Any, trigger: Any, *, args: tuple[Any, ...], **kw: Any) -> None:
                self.beat._scheduler.add_job(self.beat._send(tasks.digest, args[2]), trigger, **kw)

        digest_schedule.register_digest_jobs(Sender(self), self.settings, self.engine)

    def observe(self) -> None:
        """Queue depths and backpressure into the metrics (the leader's view of the cluster)."""
        from shenava.distributed.monitor import queue_depths

        try:
            depths = queue_depths(self.app, self.settings.distributed.queue_prefix)
        except Exception as exc:
            log.warning("broker unreachable for queue depths (%s)", type(exc).__name__)
            return
        for depth in depths:
            metrics.QUEUE_DEPTH.labels(depth.name).set(depth.messages or 0)
            if depth.kind == DEAD:
                continue
            if depth.kind == LISTEN:
                self.listen_waiting = depth.messages or 0
            if depth.kind == NLP:
                over = (depth.messages or 0) > self.settings.distributed.nlp_queue_bound
                metrics.BACKPRESSURE.set(1 if over else 0)

    def drain_dead(self) -> None:
        """The dead queue's messages into the dead letters (RabbitMQ only: Redis has no limit)."""
        from shenava.distributed.app import is_rabbitmq
        from shenava.distributed.dead_queue import declare, drain

        if not is_rabbitmq(str(self.app.conf.broker_url)):
            return
        cfg = self.settings.distributed
        try:
            declare(self.app, cfg.queue_prefix)
            drain(self.app, cfg.queue_prefix, self.engine, cfg.delivery_limit)
        except Exception as exc:
            log.warning("could not drain the dead-letter queue (%s); next time", type(exc).__name__)

    def run(self, *, max_seconds: float | None = None, tick: float = 1.0) -> int:
        self.schedule()
        started = datetime.now(UTC)
        with stop_on_signals(self.stop):
            self._scheduler.start()
            last_observed = 0.0
            try:
                while not self.stop.is_set():
                    was = self.leader.held
                    if self.leader.refresh() and not was:
                        log.info("leading: sending %d listener polls per interval", len(self.listeners))
                    elapsed = (datetime.now(UTC) - started).total_seconds()
                    if elapsed - last_observed >= 5 and self.leader.held:
                        last_observed = elapsed
                        self.observe()
                        self.drain_dead()
                    if max_seconds is not None and elapsed > max_seconds:
                        break
                    self.stop.wait(tick)
            finally:
                self.stop.set()
                self._scheduler.shutdown(wait=True)
                self.leader.release()
                self.engine.dispose()
        return 0
