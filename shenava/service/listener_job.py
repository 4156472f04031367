"""The generic listener job: what the scheduler runs for every listener, every interval.

It owns a listener's whole checkpoint lifecycle: load the stored checkpoint → ``fetch`` after
it → per batch, ``Pipeline.process`` (analyse; store the mentions with the batch's checkpoint in
one transaction; urgent check) → record the run (``listener_states``).

A ``ListenerError`` is recorded (kind and message) and the job backs off (the source's
``retry_after`` when it gave one, else exponential) instead of hammering a failing source; any
other exception is recorded the same way, so one broken listener never stops the others or
crash-loops the service.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from domain.checkpoint import CheckpointVersionError
from domain.errors import ListenerError
from listeners.base import Listener
from shenava.logging_setup import redact
from shenava.service.pipeline import Pipeline
from storage.errors import is_resource_error, plain_message, summarise

log = logging.getLogger("shenava.job")

BACKOFF_BASE_SECONDS = 5.0
BACKOFF_MAX_SECONDS = 900.0


@dataclass
class RunReport:
    """One run of one listener job."""

    key: str
    batches: int = 0
    fetched: int = 0
    inserted: int = 0
    duplicates: int = 0
    error_kind: str | None = None
    skipped: bool = False


class ListenerJob:
    """Runs one listener through the pipeline; safe to call again after any failure."""

    def __init__(
        self,
        listener: Listener,
        pipeline: Pipeline,
        *,
        stop: threading.Event | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.listener = listener
        self.pipeline = pipeline
        self.stop = stop or threading.Event()
        self._now = now
        self._monotonic = monotonic
        self._not_before = 0.0
        self.runs = 0
        self.running = False
        self.consecutive_failures = 0
        #: the kind of the last failure (None: the last run was fine); a warning is logged when
        #: it changes, not every retry (a full disk is one line, not one per attempt)
        self._last_kind: str | None = None

    @property
    def key(self) -> str:
        return self.listener.key

    @property
    def idle(self) -> bool:
        """Nothing left to do for now: a replay that reached its end, or a live listener that ran."""
        exhausted = self.listener.exhausted
        return self.runs > 0 if exhausted is None else exhausted

    def __call__(self) -> RunReport:
        report = RunReport(self.key)
        if self.stop.is_set() or self._monotonic() < self._not_before:
            report.skipped = True
            return report
        store = self.pipeline.store
        self.running = True
        try:
            checkpoint = store.load_checkpoint(self.key)  # None before the first stored batch
            for batch in self.listener.fetch(checkpoint):
                done = self.pipeline.process(self.key, batch.mentions, batch.checkpoint)
                report.batches += 1
                report.fetched += done.fetched
                report.inserted += done.inserted
                report.duplicates += done.duplicates
                if self.stop.is_set():  # finish the current batch, then leave
                    break
        except ListenerError as exc:
            self._failed(report, exc.kind, exc, exc.retry_after)
        except CheckpointVersionError as exc:
            self._failed(report, "bad_checkpoint", exc, None)
        except Exception as exc:
            if is_resource_error(exc):  # full, read-only or gone: the checkpoint stays, fetching waits
                self._failed(report, "storage", exc, None)
            else:
                if self._last_kind != "internal":
                    log.exception("listener %s failed unexpectedly", self.key)
                self._failed(report, "internal", exc, None)
        else:
            if self._last_kind is not None:
                log.warning(
                    "listener=%s recovered after %d failed run(s)", self.key, self.consecutive_failures
                )
            self._last_kind = None
            self.consecutive_failures = 0
            store.record_listener_run(
                self.key, self.listener.source, ok=True, items=report.inserted, at=self._now()
            )
        finally:
            self.runs += 1
            self.running = False
        return report

    def _failed(self, report: RunReport, kind: str, exc: BaseException, retry_after: float | None) -> None:
        self.consecutive_failures += 1
        delay = (
            retry_after
            if retry_after is not None
            else min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (self.consecutive_failures - 1))
        )
        self._not_before = self._monotonic() + delay
        message = redact(plain_message(exc))
        report.error_kind = kind
        changed = kind != self._last_kind
        self._last_kind = kind
        (log.warning if changed else log.debug)(
            "listener=%s error=%s retry_in=%.0fs %s", self.key, kind, delay, message
        )
        try:
            self.pipeline.store.record_listener_run(
                self.key,
                self.listener.source,
                ok=False,
                items=report.inserted,
                error_kind=kind,
                error=message,
                at=self._now(),
            )
        except Exception as exc:  # the store itself may be what failed; the log line above has it
            log.debug("could not record the failure of %s: %s", self.key, summarise(exc))
