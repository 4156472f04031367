"""The per-batch pipeline: a listener batch through NLP into storage and the urgent check.

One mention's path through the service (each step names the module that holds it):

1. ``shenava.service.scheduler`` runs each listener's job on its interval;
2. ``shenava.service.listener_job`` loads the checkpoint, fetches batches, and records the run;
3. here, per batch: ``analyse`` (``nlp.analyzer``) → ``store`` (mentions + the batch's
   checkpoint, one transaction) → ``check_urgent`` (``AlertEngine.on_stored``: urgent single
   mentions);
4. on its own timers the scheduler calls the alert engine's two other entry points:
   ``AlertEngine.detect`` (spike detection up to ``Pipeline.detection_time``) and
   ``AlertEngine.dispatch`` (the notification outbox).

The urgent check and detection both walk the stored mentions in event-time order from a cursor
stored with the alerts (``alerts.timeline``), so which of them runs first, how the batches were
cut and where a kill -9 fell change nothing: the alerts are a function of the input.

Each stage takes plain inputs and returns plain outputs (mentions, analyses, ids, timestamps),
never ORM objects, so any stage could later run as a Celery task over PostgreSQL and
Redis/RabbitMQ without a rewrite. ``Pipeline`` only holds the long-lived components (the
store, the loaded model, the alert engine) and times the stages for the batch log line.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from alerts.rules import saved_search as saved_search_rules
from domain.analysis import MentionAnalysis
from domain.bounds import BoundsError, bounded_mention
from domain.checkpoint import Checkpoint
from domain.mention import RawMention
from storage.errors import is_resource_error, summarise

if TYPE_CHECKING:
    from alerts.engine import AlertEngine
    from alerts.events import AlertEvent
    from config.settings import Settings
    from domain.analysis import SentimentModel
    from nlp.analyzer import Analyzer
    from storage.repository import MentionStore, SaveResult

log = logging.getLogger("shenava.pipeline")


# -- the stages ------------------------------------------------------------------------------


def analyse(analyzer: Analyzer, mentions: Sequence[RawMention]) -> list[MentionAnalysis]:
    """NLP over one batch: normalise, language, brands, sentiment, touchpoints, urgency."""
    if not mentions:
        return []
    analyses = analyzer.analyze(mentions)
    if len(analyses) != len(mentions):
        raise RuntimeError(f"analyzer returned {len(analyses)} results for {len(mentions)} mentions")
    return list(analyses)


def store(
    mention_store: MentionStore,
    mentions: Sequence[RawMention],
    analyses: Sequence[MentionAnalysis],
    checkpoint: Checkpoint | None,
) -> SaveResult:
    """Mentions and the checkpoint that covers them, in one transaction; duplicates are skipped."""
    return mention_store.save_batch(list(zip(mentions, analyses, strict=True)), checkpoint)


def check_urgent(alert_engine: AlertEngine | None, mention_ids: Sequence[int]) -> list[AlertEvent]:
    """Urgent single mentions among the new rows (one alert per brand and conversation)."""
    if alert_engine is None or not mention_ids:
        return []
    return list(alert_engine.on_stored(list(mention_ids)))


# -- wiring -----------------------------------------------------------------------------------


class Watermark:
    """The newest ``created_at`` stored so far: event time, so a 5000× replay closes buckets."""

    def __init__(self) -> None:
        self._value: datetime | None = None
        self._lock = threading.Lock()

    def advance(self, ts: datetime | None) -> None:
        if ts is None:
            return
        with self._lock:
            if self._value is None or ts > self._value:
                self._value = ts

    @property
    def value(self) -> datetime | None:
        return self._value


@dataclass
class BatchReport:
    """Counts and timings of one batch; ``log_fields`` is what the batch log line carries."""

    key: str
    fetched: int
    inserted: int = 0
    duplicates: int = 0
    urgent: int = 0
    #: mentions that could not be stored and went to the dead-letter table
    rejected: int = 0
    analyse_ms: float = 0.0
    store_ms: float = 0.0
    alerts_ms: float = 0.0
    #: what the next stages (urgent check, a Celery task) take: ids, never ORM objects
    inserted_ids: list[int] = field(default_factory=list)

    def log_fields(self) -> dict[str, Any]:
        return {
            "listener": self.key,
            "fetched": self.fetched,
            "new": self.inserted,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "urgent": self.urgent,
            "analyse_ms": round(self.analyse_ms, 1),
            "store_ms": round(self.store_ms, 1),
            "alerts_ms": round(self.alerts_ms, 1),
        }


class Pipeline:
    """The stages bound to their long-lived components."""

    def __init__(
        self, mention_store: MentionStore, analyzer: Analyzer, alert_engine: AlertEngine | None = None
    ) -> None:
        self.store = mention_store
        self.analyzer = analyzer
        #: None: mentions are stored and analysed, nobody is alerted (``shenava import``)
        self.alerts = alert_engine
        self.watermark = Watermark()
        #: mentions dead-lettered since start (``run --until-idle`` and ``import`` exit 3 on any)
        self.rejected_total = 0
        #: urgent single mentions alerted since start (the console's progress line counts them)
        self.urgent_total = 0
        #: "event": detection follows the newest stored ``created_at`` (replays, imports);
        #: "wall": the wall clock (live sources, so quiet hours still close buckets)
        self.clock_mode = "event"
        # One batch at a time through the model: two cores gain nothing from parallel inference.
        self._analyse_lock = threading.Lock()
        #: held around every call that changes the alert engine's incidents (the urgent check
        #: here, detection in the scheduler), so an urgent alert is never folded into an
        #: incident that a detection pass is closing at the same moment
        self.alerts_lock = threading.Lock()
        self._watermark_seeded = False

    @classmethod
    def from_settings(
        cls, settings: Settings, *, sentiment_model: SentimentModel | None = None, alerts: bool = True
    ) -> Pipeline:
        """Open the store, load the analyzer (and its model) and, with ``alerts``, the alert engine."""
        from alerts.engine import AlertEngine
        from nlp.analyzer import Analyzer
        from storage.db import create_engine_from_url
        from storage.repository import MentionStore

        engine = create_engine_from_url(settings.storage.url)
        analyzer = Analyzer.from_settings(settings, sentiment_model=sentiment_model)
        alert_engine = AlertEngine.from_settings(settings, engine) if alerts else None
        return cls(MentionStore(engine), analyzer, alert_engine)

    def process(
        self, key: str, mentions: Sequence[RawMention], checkpoint: Checkpoint | None, *, alerts: bool = True
    ) -> BatchReport:
        """analyse → store → check_urgent for one batch; the batch log line is written here."""
        report = BatchReport(key=key, fetched=len(mentions))
        t0 = time.perf_counter()
        mentions = self._within_bounds(key, mentions, report)
        try:
            with self._analyse_lock:
                analyses = analyse(self.analyzer, mentions)
            t1 = time.perf_counter()
            saved = store(self.store, mentions, analyses, checkpoint)
        except Exception as exc:
            if is_resource_error(exc) or len(mentions) == 0:
                raise
            t1 = time.perf_counter()
            log.warning(
                "listener=%s batch of %d failed (%s); isolating the bad rows",
                key,
                len(mentions),
                summarise(exc),
            )
            failures: list[tuple[RawMention, str, str]] = []
            saved = self._isolate(mentions, failures)
            if all(phase == "analyse" for _, _, phase in failures) and len(failures) == len(mentions):
                raise exc  # the model fails on everything: a fault of ours, not of the posts; retry later
            for mention, error, _ in failures:
                self._dead_letter(key, mention, error, report)
            if checkpoint is not None:  # the good rows are in, the bad ones dead-lettered: move on
                self.store.save_checkpoint(checkpoint)
        t2 = time.perf_counter()
        self.watermark.advance(max((m.created_at for m in mentions), default=None))
        with self.alerts_lock:
            events = check_urgent(self.alerts if alerts else None, saved.inserted_ids)
            saved_search_rules.on_stored(self.alerts if alerts else None, saved.inserted_ids)
            self.urgent_total += len(events)
        t3 = time.perf_counter()
        report.inserted, report.duplicates = saved.inserted, saved.duplicates
        report.inserted_ids = list(saved.inserted_ids)
        report.urgent = len(events)
        report.analyse_ms, report.store_ms = (t1 - t0) * 1e3, (t2 - t1) * 1e3
        report.alerts_ms = (t3 - t2) * 1e3
        fields = report.log_fields()
        log.info(" ".join(f"{k}={v}" for k, v in fields.items()), extra={"batch": fields})
        return report

    def _within_bounds(
        self, key: str, mentions: Sequence[RawMention], report: BatchReport
    ) -> list[RawMention]:
        """Counts clamped into range; a mention whose time is out of range is dead-lettered."""
        kept = []
        for mention in mentions:
            try:
                kept.append(bounded_mention(mention))
            except BoundsError as exc:
                self._dead_letter(key, mention, f"BoundsError: {exc}", report)
        return kept

    def _isolate(
        self, mentions: Sequence[RawMention], failures: list[tuple[RawMention, str, str]]
    ) -> SaveResult:
        """Store ``mentions`` in halves until each bad one is alone (bisection: about 2·log2(n)
        extra transactions per bad row); ``failures`` gets (mention, error, phase) for each bad
        one. No checkpoint is stored here."""
        from storage.repository import SaveResult

        if not mentions:
            return SaveResult(inserted=0, duplicates=0, inserted_ids=[])
        phase = "analyse"
        try:
            with self._analyse_lock:
                analyses = analyse(self.analyzer, mentions)
            phase = "store"
            return store(self.store, mentions, analyses, None)
        except Exception as exc:
            if is_resource_error(exc):
                raise
            if len(mentions) == 1:
                failures.append((mentions[0], summarise(exc), phase))
                return SaveResult(inserted=0, duplicates=0, inserted_ids=[])
        mid = len(mentions) // 2
        left, right = self._isolate(mentions[:mid], failures), self._isolate(mentions[mid:], failures)
        return SaveResult(
            inserted=left.inserted + right.inserted,
            duplicates=left.duplicates + right.duplicates,
            inserted_ids=[*left.inserted_ids, *right.inserted_ids],
        )

    def _dead_letter(self, key: str, mention: RawMention, error: str, report: BatchReport) -> None:
        from storage import deadletters

        report.rejected += 1
        self.rejected_total += 1
        log.warning(
            "listener=%s dead-lettered %s/%s: %s", key, mention.source, str(mention.external_id)[:80], error
        )
        deadletters.add(self.store.engine, key, mention, error)

    def _newest_stored(self) -> datetime | None:
        from sqlalchemy import func, select

        from storage.models import Mention

        try:
            with self.store.engine.connect() as conn:
                return conn.execute(select(func.max(Mention.created_at))).scalar()
        except Exception as exc:  # an unreachable store: the batches will say so
            log.debug("newest stored mention unknown: %s", summarise(exc))
            return None

    def process_counts(self, mentions: Sequence[RawMention]) -> tuple[int, int]:
        """For the importer: one batch, no checkpoint → (inserted, duplicates). A backfill of old
        posts must not page anyone, so the engine's urgent check is skipped; spike detection
        still counts these rows from storage."""
        report = self.process("import", mentions, None, alerts=False)
        return report.inserted, report.duplicates

    def detection_time(self, now: datetime) -> datetime | None:
        """Where the next detection pass closes buckets up to (see ``clock_mode``); None before
        any data in event time."""
        if not self._watermark_seeded:
            # after a restart the store already holds what a killed run stored but never judged:
            # the first passes (the final one of a run with nothing new too) judge up to it
            self._watermark_seeded = True
            self.watermark.advance(self._newest_stored())
        watermark = self.watermark.value
        if self.clock_mode == "wall":
            return max(watermark, now) if watermark else now
        return watermark
