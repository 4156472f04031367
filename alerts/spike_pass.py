"""One detection pass: judge every closed bucket of every watched series, in one locked transaction.

The pass closes the buckets the event-time watermark (the newest ``created_at`` seen) has passed,
less ``allowed_lateness``, counts each series' negative mentions in them straight from storage,
steps each series' detector and hands the brand's verdicts to the incident machine. Detector
states, incidents and their deliveries are written in the caller's one transaction, which holds
the detection lock, so a restart resumes exactly where the last pass stopped and two services on
one database never judge a bucket twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from sqlalchemy import Engine, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alerts.brand_terms import brand_words
from alerts.events import AlertEvent
from alerts.incidents.lookup import active_incident
from alerts.incidents.machine import IncidentMachine, Judged
from alerts.own_accounts import own_handles
from alerts.series import BucketGrid, count_negative
from alerts.series_detectors import SeriesDetectors, WatchedSeries
from alerts.settings import AlertsSettings
from domain.brands import BrandSettings
from storage.models import DetectorState

LOCK_KEY = "alerts:detect-lock"
#: True while this thread (or task) is inside ``detection_transaction``
_LOCK_HELD: ContextVar[bool] = ContextVar("alerts_detect_lock_held", default=False)


@contextmanager
def detection_transaction(engine: Engine, now: datetime) -> Iterator[Session]:
    """A transaction that holds the detection lock until it commits."""
    _ensure_lock_row(engine, now)
    with Session(engine) as session, session.begin():
        _take_lock(session, now)
        token = _LOCK_HELD.set(True)
        try:
            yield session
        finally:
            _LOCK_HELD.reset(token)


@contextmanager
def alerting_transaction(engine: Engine, now: datetime) -> Iterator[Session]:
    """``detection_transaction``, or a plain one where the caller already holds the lock (a Celery
    task wraps ``on_stored`` in it): taking it again from a second connection would wait forever."""
    if _LOCK_HELD.get():
        with Session(engine) as session, session.begin():
            yield session
    else:
        with detection_transaction(engine, now) as session:
            yield session


def _ensure_lock_row(engine: Engine, now: datetime) -> None:
    with Session(engine) as session, session.begin():
        if session.get(DetectorState, LOCK_KEY) is None:
            try:
                with session.begin_nested():
                    session.add(
                        DetectorState(key=LOCK_KEY, state={"version": 1}, watermark=None, updated_at=now)
                    )
            except IntegrityError:  # another process created it first
                pass


def _take_lock(session: Session, now: datetime) -> None:
    """Writing the lock row first makes a second process (PostgreSQL row lock, SQLite write lock)
    wait, then read the states this one wrote."""
    session.execute(
        update(DetectorState)
        .where(DetectorState.key == LOCK_KEY)
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )


class SpikePass:
    def __init__(self, alerts: AlertsSettings, brands: Sequence[BrandSettings], timezone: str) -> None:
        self.alerts = alerts
        self.grid = BucketGrid.of(alerts.bucket_minutes, timezone)
        self.detectors = SeriesDetectors(
            alerts.detection, alerts.bucket_minutes, timezone, {b.name: b.sensitivity for b in brands}
        )
        # every brand's names, competitors' too: a burst is never "about" a brand name
        self.own = own_handles(brands)  # the brands' own posts are not customers complaining
        self.machine = IncidentMachine(alerts, self.grid.width, brand_words(brands), self.own)
        self.brands = [b.name for b in brands if alerts.watch_competitors or not b.competitor]
        self.touchpoints: list[str | None] = [None]
        if alerts.touchpoint_series:
            self.touchpoints += list(alerts.touchpoints)

    def closed_until(self, watermark: datetime) -> datetime:
        """End of the last bucket that ended at least ``allowed_lateness`` before ``watermark``."""
        if watermark.tzinfo is None:
            raise ValueError("watermark must be timezone-aware")
        return self.grid.start(watermark - timedelta(minutes=self.alerts.allowed_lateness_minutes))

    def run(self, session: Session, end: datetime, now: datetime) -> list[AlertEvent]:
        """Judge every series' buckets before ``end`` (in the caller's locked transaction)."""
        backfill = timedelta(hours=self.alerts.max_backfill_hours)
        loaded = self.detectors.load(session, self.grid, self.brands, self.touchpoints, end, backfill)
        series = [s for s in loaded if s.start is not None and s.start < end]
        if not series:
            return []
        start = min(s.start for s in series if s.start is not None)
        counts = count_negative(session, self.grid, sorted({s.brand for s in series}), start, end, self.own)
        by_brand: dict[str, list[WatchedSeries]] = defaultdict(list)
        for s in series:
            by_brand[s.brand].append(s)
        events: list[AlertEvent] = []
        for brand, brand_series in by_brand.items():
            events += self._run_brand(session, brand, brand_series, counts, end, now)
        for s in series:
            self.detectors.save(session, s, end, now)
        return events

    def _run_brand(
        self,
        session: Session,
        brand: str,
        series: list[WatchedSeries],
        counts: dict[tuple[str, datetime], int],
        end: datetime,
        now: datetime,
    ) -> list[AlertEvent]:
        events: list[AlertEvent] = []
        incident = active_incident(session, brand)
        t = min(s.start for s in series if s.start is not None)
        while t < end:
            results: list[Judged] = []
            for s in series:
                if s.start is not None and s.start <= t:
                    count = counts.get((s.key, t), 0)
                    results.append((s, count, self.detectors.update(s, t, count)))
            incident, bucket_events = self.machine.apply(session, brand, incident, results, t, now)
            events += bucket_events
            t += self.grid.width
        return events
