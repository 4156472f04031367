"""The service loop: APScheduler runs every listener job, the detection pass, the outbox and
the daily/weekly digest.

Every job has ``max_instances=1`` (a job never overlaps itself) and ``coalesce`` (missed runs
collapse into one). SIGTERM or Ctrl-C sets the stop flag: listener jobs finish the batch they
are on (its mentions and checkpoint commit together), the scheduler waits for them, one last
detection and dispatch pass runs, and ``Service.run`` returns 0.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from listeners.base import Listener
from shenava.service.listener_job import ListenerJob
from shenava.service.pipeline import Pipeline

if TYPE_CHECKING:
    from alerts.events import AlertEvent
    from alerts.outbox import DispatchReport
    from config.settings import Settings

log = logging.getLogger("shenava.scheduler")

DEFAULT_LISTENER_INTERVAL = 60.0


@dataclass
class ServiceStats:
    """What the service has done so far (read by the console progress line)."""

    started: float = field(default_factory=time.monotonic)
    alerts: list[AlertEvent] = field(default_factory=list)
    detect_passes: int = 0
    dispatched: int = 0


def listener_interval(listener: Listener, settings: Settings | None) -> float:
    """The listener's own ``interval_seconds``, else its source section's, else a minute."""
    if listener.interval_seconds:
        return float(listener.interval_seconds)
    # ``sources`` has one section per source name; a source without one (or no settings) gets
    # the default
    section = getattr(settings.sources, listener.source, None) if settings is not None else None
    return float(getattr(section, "interval_seconds", None) or DEFAULT_LISTENER_INTERVAL)


class Service:
    """Listener jobs + detection + dispatch on one background scheduler.

    Without ``settings`` (tests, benchmarks) every listener needs its own ``interval_seconds``
    (else a minute) and the digest jobs are not scheduled.
    """

    def __init__(
        self,
        settings: Settings | None,
        pipeline: Pipeline,
        listeners: Sequence[Listener],
        *,
        detect_interval: float = 2.0,
        dispatch_interval: float = 3.0,
        on_tick: Callable[[Service], None] | None = None,
        tick_seconds: float = 5.0,
        stop: threading.Event | None = None,
    ) -> None:
        self.settings = settings
        self.pipeline = pipeline
        #: set by SIGTERM/SIGINT (see ``stop_on_signals``) or by the caller
        self.stop = stop or threading.Event()
        self.jobs = [ListenerJob(lst, pipeline, stop=self.stop) for lst in listeners]
        self.detect_interval = detect_interval
        self.dispatch_interval = dispatch_interval
        self.on_tick = on_tick
        self.tick_seconds = tick_seconds
        self.stats = ServiceStats()
        self._scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=max(2, len(self.jobs) + 2))},
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 60},
            timezone=UTC,
        )

    # -- jobs ------------------------------------------------------------------------------------

    def detect_once(self) -> list[AlertEvent]:
        """One detection pass of the alert engine, up to the pipeline's detection time."""
        alerts, until = self.pipeline.alerts, self.pipeline.detection_time(datetime.now(UTC))
        events: list[AlertEvent] = []
        if alerts is not None and until is not None:  # nothing to judge before any data
            with self.pipeline.alerts_lock:
                events = alerts.detect(until)
        self.stats.detect_passes += 1
        for event in events:
            self.stats.alerts.append(event)
            log.info("alert: %s", event.title)
        return events

    def dispatch_once(self) -> DispatchReport | None:
        """Send the outbox rows that are due. Not under ``alerts_lock``: the outbox claims rows in
        its own short transactions, so a slow or down channel never holds up detection."""
        if self.pipeline.alerts is None:
            return None
        report = self.pipeline.alerts.dispatch(datetime.now(UTC))
        self.stats.dispatched += report.sent
        return report

    def _guarded(self, name: str, fn: Callable[[], Any]) -> Callable[[], None]:
        """A job body that logs its failures instead of letting APScheduler swallow them."""

        def run() -> None:
            if self.stop.is_set():
                return
            try:
                fn()
            except Exception:
                log.exception("%s pass failed; it runs again next interval", name)

        return run

    def _schedule(self) -> None:
        start = datetime.now(UTC)
        for job in self.jobs:
            self._scheduler.add_job(
                job,
                IntervalTrigger(seconds=listener_interval(job.listener, self.settings)),
                id=f"listener:{job.key}",
                name=job.key,
                next_run_time=start,
            )
        soon = start + timedelta(seconds=self.detect_interval)
        self._scheduler.add_job(
            self._guarded("detection", self.detect_once),
            IntervalTrigger(seconds=self.detect_interval),
            id="detect",
            next_run_time=soon,
        )
        if self.settings is not None:
            from alerts.digest.schedule import register_digest_jobs

            # daily/weekly digest on the wall clock (Asia/Tehran), beside the pipeline jobs
            register_digest_jobs(self._scheduler, self.settings, self.pipeline.store.engine)
            from shenava.service.retention_job import register_retention_job

            # storage.retention rules (issue 15): old mentions deleted (daily counts kept) or anonymised
            register_retention_job(self._scheduler, self.settings, self.pipeline.store.engine, self._guarded)
            from shenava.service.replies_job import register_replies_job

            # replies sent from the inbox (issue 12): retries with backoff, claims of a dead process settled
            register_replies_job(
                self._scheduler,
                self.settings,
                self.pipeline.store.engine,
                self._guarded,
                self.dispatch_interval,
            )
            from shenava.service.sla_job import register_sla_job

            # SLA deadlines and the one escalation of each breach (issue 12 item 6), sent by dispatch
            register_sla_job(self._scheduler, self.settings, self.pipeline.store.engine, self._guarded)
        self._scheduler.add_job(
            self._guarded("dispatch", self.dispatch_once),
            IntervalTrigger(seconds=self.dispatch_interval),
            id="dispatch",
            next_run_time=soon,
        )

    # -- the loop --------------------------------------------------------------------------------

    def idle(self) -> bool:
        """Every listener has nothing left (replays at their end) and none is mid-run."""
        return all(job.idle and not job.running for job in self.jobs)

    def run(self, *, until_idle: bool = False, max_seconds: float | None = None) -> int:
        """Run until stopped (signal), idle (with ``until_idle``) or ``max_seconds``; returns 0."""
        self._schedule()
        with stop_on_signals(self.stop):
            self._scheduler.start()
            last_tick = time.monotonic()
            try:
                while not self.stop.wait(0.25):
                    if until_idle and self.idle():
                        log.info("every listener is idle: stopping")
                        break
                    if max_seconds is not None and time.monotonic() - self.stats.started > max_seconds:
                        log.info("ran for %.0f s: stopping", max_seconds)
                        break
                    if self.on_tick and time.monotonic() - last_tick >= self.tick_seconds:
                        last_tick = time.monotonic()
                        self.on_tick(self)
            finally:
                self.stop.set()
                # waits for running jobs; listener jobs stop after their current batch
                self._scheduler.shutdown(wait=True)
        self._final_pass()
        if self.on_tick:
            self.on_tick(self)
        return 0

    def _final_pass(self) -> None:
        """Close what the data allows and send what is due, so nothing waits for a next start."""
        for name, fn in (("detection", self.detect_once), ("dispatch", self.dispatch_once)):
            try:
                fn()
            except Exception:
                log.exception("final %s pass failed", name)


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM/SIGINT set ``stop`` (a second Ctrl-C still interrupts); restored afterwards.

    Only the main thread can install handlers; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: Any) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        log.info("%s received: finishing the current batch, then exiting", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
