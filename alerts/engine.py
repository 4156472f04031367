"""The alert engine: from stored mentions to incidents, urgent alerts and queued deliveries.

``on_stored(ids)`` checks new mentions for urgent single alerts. ``detect(watermark)`` closes the
time buckets the event-time watermark (the newest ``created_at`` seen) has passed, counts the
negative mentions of each brand and (brand, touchpoint) in them straight from storage, runs one
``SpikeDetector`` per series and turns its verdicts into incidents: one open incident per brand
that touchpoint series join, so a burst pages once. Detector state, incidents and deliveries are
written in one transaction, so a restart resumes exactly where the last ``detect`` stopped.
``dispatch(now)`` sends what is due from the outbox; detection never waits for a channel.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alerts.events import (
    AlertEvent,
    IncidentGrew,
    IncidentOpened,
    IncidentResolved,
    UrgentMention,
    severity_rank,
)
from alerts.explain import explain_spike
from alerts.notifiers import Notifier, build_notifiers
from alerts.outbox import DispatchReport, Outbox, enqueue
from alerts.routing import Router, quiet_until
from alerts.urgent import UrgentDetector
from alerts.workflow import ACTIVE_STATUSES, DETECTOR
from config.settings import Settings
from storage.models import DetectorState, Incident, Mention, MentionBrand, UrgentAlert

log = logging.getLogger(__name__)

SERIES_PREFIX = "alerts:neg:"
LOCK_KEY = "alerts:detect-lock"
_SEVERITY = {"minor": "medium", "major": "high", "critical": "critical"}


@dataclass
class _Series:
    key: str
    brand: str
    touchpoint: str | None
    detector: Any
    start: datetime | None  # first bucket not judged yet
    row: DetectorState | None


def series_key(brand: str, touchpoint: str | None) -> str:
    return f"{SERIES_PREFIX}{brand}" + (f":{touchpoint}" if touchpoint else "")


class AlertEngine:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        notifiers: dict[str, Notifier] | None = None,
        clock: Any = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.tz = ZoneInfo(settings.timezone)
        self.bucket = timedelta(minutes=settings.alerts.bucket_minutes)
        self.clock = clock or (lambda: datetime.now(UTC))
        if notifiers is None:
            notifiers, off = build_notifiers(settings.notifications)
            for reason in off.values():
                log.warning("%s", reason)
        self.notifiers = notifiers
        names = [c.name for c in settings.notifications.channels if c.enabled] or list(notifiers)
        self.router = Router(settings.notifications, names)
        self.outbox = Outbox(engine, notifiers, settings.notifications.outbox)
        self.urgent = UrgentDetector(settings)

    @classmethod
    def from_settings(cls, settings: Settings, engine: Engine) -> AlertEngine:
        return cls(settings, engine)

    # -- urgent single mentions -------------------------------------------------------------

    def on_stored(self, mention_ids: Sequence[int]) -> list[AlertEvent]:
        """Alert at once on urgent new mentions (one alert per brand and conversation)."""
        if not mention_ids:
            return []
        now = self.clock()
        with Session(self.engine) as session, session.begin():
            events = self._fold(session, self.urgent.check(session, list(mention_ids), now))
            for event in events:
                self._enqueue(session, event, now)
        return list(events)

    def _fold(self, session: Session, events: Sequence[AlertEvent]) -> list[AlertEvent]:
        """Keep urgent alerts that only repeat what a brand's open incident already says off the pager.

        The ``UrgentAlert`` row stays (support still works through it); it is not delivered, and
        the incident counts it, so an outage does not page once per unanswered question.
        """
        foldable = set(self.settings.alerts.urgent.fold_into_incident)
        kept: list[AlertEvent] = []
        for event in events:
            if not isinstance(event, UrgentMention) or not foldable or not set(event.reasons) <= foldable:
                kept.append(event)
                continue
            incident = self._active_incident(session, event.brand)
            if incident is None:
                kept.append(event)
                continue
            row = session.get(UrgentAlert, event.urgent_id)
            if row is not None:
                row.details = {**(row.details or {}), "folded_into_incident": incident.id}
            incident.details = {
                **incident.details,
                "folded_urgent": incident.details.get("folded_urgent", 0) + 1,
            }
        return kept

    def _active_incident(self, session: Session, brand: str) -> Incident | None:
        return session.scalars(
            select(Incident)
            .where(Incident.brand == brand, Incident.status.in_(ACTIVE_STATUSES), Incident.kind == "spike")
            .order_by(Incident.id.desc())
            .limit(1)
        ).first()

    # -- spikes ---------------------------------------------------------------------------

    def bucket_start(self, moment: datetime) -> datetime:
        """Start of the bucket holding ``moment``, aligned to local (Tehran) midnight, as UTC."""
        local = moment.astimezone(self.tz)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        offset = (local - midnight) // self.bucket
        return (midnight + offset * self.bucket).astimezone(UTC)

    def _detector_config(self) -> Any:
        return self.settings.alerts.detection.model_copy(
            update={"bucket_minutes": self.settings.alerts.bucket_minutes, "timezone": self.settings.timezone}
        )

    def _new_detector(self) -> Any:
        from alerts.detection import SpikeDetector

        return SpikeDetector(self._detector_config())

    def _load_detector(self, key: str, state: dict[str, Any]) -> Any:
        """The stored detector under today's settings; afresh if its bucket grid changed or it is unusable."""
        from alerts.detection import SpikeDetector

        config = self._detector_config()
        stored = state.get("config") if isinstance(state, dict) else None
        if isinstance(stored, dict) and (
            stored.get("bucket_minutes") != config.bucket_minutes or stored.get("timezone") != config.timezone
        ):
            log.warning("detector %s was learnt on another bucket grid; starting that series afresh", key)
            return self._new_detector()
        try:
            # Knobs edited in the config (thresholds, half-lives) apply to the learnt baseline.
            return SpikeDetector.from_state({**state, "config": config.model_dump()})
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("detector state %s unusable (%s); starting that series afresh", key, exc)
            return self._new_detector()

    def _next_bucket(self, moment: datetime) -> datetime:
        """``moment`` if it starts a bucket, else the start of the next one."""
        start = self.bucket_start(moment)
        return start if start == moment else start + self.bucket

    def _watched_brands(self) -> list[str]:
        return [
            b.name for b in self.settings.brands if self.settings.alerts.watch_competitors or not b.competitor
        ]

    def _load_series(self, session: Session, end: datetime) -> list[_Series]:
        brands = self._watched_brands()
        touchpoints: list[str | None] = [None]
        if self.settings.alerts.touchpoint_series:
            touchpoints += list(self.settings.alerts.touchpoints)
        rows = {
            r.key: r
            for r in session.scalars(select(DetectorState).where(DetectorState.key.like(f"{SERIES_PREFIX}%")))
        }
        first_seen = dict(
            session.execute(
                select(MentionBrand.brand, func.min(MentionBrand.created_at))
                .where(MentionBrand.brand.in_(brands))
                .group_by(MentionBrand.brand)
            ).all()
        )
        floor = self.bucket_start(end - timedelta(hours=self.settings.alerts.max_backfill_hours))
        series = []
        for brand in brands:
            for touchpoint in touchpoints:
                key = series_key(brand, touchpoint)
                row = rows.get(key)
                if row is not None and row.watermark is not None:
                    # A long pause (or a jump of the watermark) restarts at the backfill floor.
                    start = max(floor, self._next_bucket(row.watermark))
                    series.append(
                        _Series(key, brand, touchpoint, self._load_detector(key, row.state), start, row)
                    )
                    continue
                first = first_seen.get(brand)
                start = None if first is None else max(floor, self.bucket_start(first))
                series.append(_Series(key, brand, touchpoint, self._new_detector(), start, row))
        return series

    def _counts(
        self, session: Session, brands: list[str], start: datetime, end: datetime
    ) -> dict[tuple[str, datetime], int]:
        """Negative mentions per (series key, bucket start) in [start, end)."""
        counts: dict[tuple[str, datetime], int] = defaultdict(int)
        rows = session.execute(
            select(MentionBrand.brand, MentionBrand.created_at, Mention.aspects)
            .join(Mention, Mention.id == MentionBrand.mention_id)
            .where(
                MentionBrand.brand.in_(brands),
                MentionBrand.created_at >= start,
                MentionBrand.created_at < end,
                Mention.sentiment_label == "negative",
            )
        )
        for brand, created_at, aspects in rows:
            bucket = self.bucket_start(created_at)
            counts[(series_key(brand, None), bucket)] += 1
            for aspect in set(aspects or []):
                counts[(series_key(brand, aspect), bucket)] += 1
        return counts

    def detect(self, watermark: datetime) -> list[AlertEvent]:
        """Judge every bucket that ended at least ``allowed_lateness`` before ``watermark``."""
        if watermark.tzinfo is None:
            raise ValueError("watermark must be timezone-aware")
        lateness = timedelta(minutes=self.settings.alerts.allowed_lateness_minutes)
        end = self.bucket_start(watermark - lateness)
        now = self.clock()
        events: list[AlertEvent] = []
        self._ensure_lock_row(now)
        with Session(self.engine) as session, session.begin():
            self._serialise(session, now)
            series = [s for s in self._load_series(session, end) if s.start is not None and s.start < end]
            if series:
                start = min(s.start for s in series if s.start is not None)
                counts = self._counts(session, sorted({s.brand for s in series}), start, end)
                by_brand: dict[str, list[_Series]] = defaultdict(list)
                for s in series:
                    by_brand[s.brand].append(s)
                for brand, brand_series in by_brand.items():
                    events += self._run_brand(session, brand, brand_series, counts, end, now)
                for s in series:
                    self._save_state(session, s, end, now)
            events += self._fold(session, self.urgent.unanswered(session, watermark, now))
            for event in events:
                self._enqueue(session, event, now)
        return events

    def _ensure_lock_row(self, now: datetime) -> None:
        with Session(self.engine) as session, session.begin():
            if session.get(DetectorState, LOCK_KEY) is None:
                try:
                    with session.begin_nested():
                        session.add(
                            DetectorState(key=LOCK_KEY, state={"version": 1}, watermark=None, updated_at=now)
                        )
                except IntegrityError:  # another process created it first
                    pass

    def _serialise(self, session: Session, now: datetime) -> None:
        """Take the detection lock for this transaction: writing the lock row first makes a second
        process (PostgreSQL row lock, SQLite write lock) wait, then read the states this one wrote,
        so two services on one database never judge a bucket twice."""
        session.execute(
            update(DetectorState)
            .where(DetectorState.key == LOCK_KEY)
            .values(updated_at=now)
            .execution_options(synchronize_session=False)
        )

    def _save_state(self, session: Session, s: _Series, end: datetime, now: datetime) -> None:
        if s.row is None:
            s.row = DetectorState(key=s.key, state=s.detector.to_state(), watermark=end, updated_at=now)
            session.add(s.row)
        else:
            s.row.state, s.row.watermark, s.row.updated_at = s.detector.to_state(), end, now

    def _run_brand(
        self,
        session: Session,
        brand: str,
        series: list[_Series],
        counts: dict[tuple[str, datetime], int],
        end: datetime,
        now: datetime,
    ) -> list[AlertEvent]:
        events: list[AlertEvent] = []
        incident = self._active_incident(session, brand)
        t = min(s.start for s in series if s.start is not None)
        while t < end:
            results = []
            for s in series:
                if s.start is not None and s.start <= t:
                    count = counts.get((s.key, t), 0)
                    results.append((s, count, self._update(s, t, count)))
            incident, bucket_events = self._apply(session, brand, incident, results, t, now)
            events += bucket_events
            t += self.bucket
        return events

    def _update(self, s: _Series, t: datetime, count: int) -> Any:
        from alerts.detection import DetectorInputError

        try:
            return s.detector.update(t, count)
        except DetectorInputError as exc:  # e.g. a restored state ahead of this bucket
            log.warning("detector %s refused bucket %s (%s); starting that series afresh", s.key, t, exc)
            s.detector = self._new_detector()
            return s.detector.update(t, count)

    def _apply(
        self,
        session: Session,
        brand: str,
        incident: Incident | None,
        results: list[tuple[_Series, int, Any]],
        t: datetime,
        now: datetime,
    ) -> tuple[Incident | None, list[AlertEvent]]:
        """Turn one bucket's verdicts for one brand into incident changes and events."""
        floor = self.settings.alerts.min_volume
        events: list[AlertEvent] = []
        opened_now = False
        before = incident.severity if incident is not None else None
        for s, count, verdict in results:
            if count >= floor and self._burst_unpaged(session, brand, incident, s, verdict):
                if incident is None:
                    incident = self._open(session, brand, s, count, verdict, t, now)
                    opened_now = True
                else:
                    self._join(incident, s)
                self._mark_burst(incident, s, verdict)
            if incident is None or s.key not in incident.details.get("active", []):
                continue
            if verdict.in_incident and not verdict.incident_closed:
                self._grow(incident, s, count, verdict, t, now)
            else:
                details = dict(incident.details)
                details["active"] = [k for k in details["active"] if k != s.key]
                incident.details = details
        if incident is None:
            return None, events
        if opened_now:
            events.append(self._event(IncidentOpened, incident))
        elif before is not None and self._escalated(before, incident.severity):
            incident.details = {**incident.details, "explanation": self._explain(session, incident, t)}
            events.append(self._event(IncidentGrew, incident))
        if not incident.details.get("active"):
            incident.status, incident.resolved_at, incident.updated_at = "resolved", now, now
            incident.resolved_by = incident.resolved_by or DETECTOR
            incident.details = {**incident.details, "burst_end": (t + self.bucket).isoformat()}
            events.append(self._event(IncidentResolved, incident))
            return None, events
        return incident, events

    def _burst_unpaged(
        self, session: Session, brand: str, incident: Incident | None, s: _Series, verdict: Any
    ) -> bool:
        """True when this bucket belongs to a detector burst that no incident has taken up yet.

        The detector flags ``alert`` only on a burst's first bucket; that bucket may still be under the
        volume floor while later ones pass it, so any bucket of an open burst may open the incident —
        once per burst (its start is recorded), even after a person resolved the incident early.
        """
        if verdict.alert:
            return True
        if not verdict.in_incident or verdict.incident_closed or verdict.incident_started_at is None:
            return False
        start = verdict.incident_started_at.isoformat()
        if incident is not None:
            return incident.details.get("bursts", {}).get(s.key) != start
        latest = session.scalars(
            select(Incident)
            .where(Incident.brand == brand, Incident.kind == "spike")
            .order_by(Incident.id.desc())
            .limit(1)
        ).first()
        return latest is None or latest.details.get("bursts", {}).get(s.key) != start

    @staticmethod
    def _mark_burst(incident: Incident, s: _Series, verdict: Any) -> None:
        if verdict.incident_started_at is not None:
            bursts = {**incident.details.get("bursts", {}), s.key: verdict.incident_started_at.isoformat()}
            incident.details = {**incident.details, "bursts": bursts}

    def _escalated(self, before: str, after: str) -> bool:
        """Pages again only when the incident crosses ``escalate_at`` (smaller rises update silently)."""
        level = severity_rank(self.settings.alerts.escalate_at)
        return severity_rank(before) < level <= severity_rank(after)

    def _severity(self, verdict: Any, cap: str | None = None) -> str:
        """The detector's severity on the alert scale; ``cap`` bounds it (sparse touchpoint series)."""
        severity = _SEVERITY.get(str(verdict.severity), "medium")
        return cap if cap and severity_rank(severity) > severity_rank(cap) else severity

    def _open(
        self, session: Session, brand: str, s: _Series, count: int, verdict: Any, t: datetime, now: datetime
    ) -> Incident:
        incident = Incident(
            brand=brand,
            touchpoint=s.touchpoint,
            kind="spike",
            status="open",
            severity=self._severity(verdict, cap="high" if s.touchpoint else None),
            opened_at=t,
            updated_at=now,
            peak_count=float(count),
            current_count=float(count),
            baseline=float(verdict.expected),
            anomaly_score=float(verdict.anomaly_score),
            detector_key=s.key,
            details={
                "active": [s.key],
                "series": [s.key],
                "touchpoints": [s.touchpoint] if s.touchpoint else [],
                "created_wall": now.isoformat(),
                "peak_at": t.isoformat(),
            },
        )
        session.add(incident)
        session.flush()  # the id names the event and its deliveries
        incident.details = {**incident.details, "explanation": self._explain(session, incident, t)}
        return incident

    def _join(self, incident: Incident, s: _Series) -> None:
        details = dict(incident.details)
        details["active"] = sorted(set(details.get("active", [])) | {s.key})
        details["series"] = sorted(set(details.get("series", [])) | {s.key})
        if s.touchpoint:
            details["touchpoints"] = sorted(set(details.get("touchpoints", [])) | {s.touchpoint})
        incident.details = details

    def _grow(
        self, incident: Incident, s: _Series, count: int, verdict: Any, t: datetime, now: datetime
    ) -> None:
        incident.updated_at = now
        incident.anomaly_score = max(incident.anomaly_score, float(verdict.anomaly_score))
        if s.key == incident.detector_key:
            incident.current_count = float(count)
            if count > incident.peak_count:
                incident.peak_count = float(count)
                incident.details = {**incident.details, "peak_at": t.isoformat()}
        # Severity follows the brand-wide series (or the series that opened the incident): a sparse
        # touchpoint series turns small counts into huge z-scores and would overstate the burst.
        if s.touchpoint is None or s.key == incident.detector_key:
            severity = self._severity(verdict)
            if severity_rank(severity) > severity_rank(incident.severity):
                incident.severity = severity

    def _explain(self, session: Session, incident: Incident, t: datetime) -> dict[str, Any]:
        window_start = t - 2 * self.bucket
        explanation = explain_spike(
            session,
            brand=incident.brand,
            window_start=window_start,
            window_end=t + self.bucket,
            expected=incident.baseline * 3,
            baseline_hours=self.settings.alerts.baseline_hours,
            touchpoint=incident.touchpoint,
            representatives=self.settings.alerts.representative_mentions,
        )
        explanation["bucket"] = {
            "count": int(incident.current_count),
            "expected": round(incident.baseline, 3),
            "minutes": int(self.bucket.total_seconds() // 60),
        }
        return explanation

    def _event(
        self, cls: type[IncidentOpened] | type[IncidentGrew] | type[IncidentResolved], incident: Incident
    ) -> AlertEvent:
        details = incident.details or {}
        return cls(
            brand=incident.brand,
            severity=incident.severity,  # type: ignore[arg-type]
            at=incident.opened_at,
            incident_id=incident.id,
            touchpoints=list(details.get("touchpoints", [])),
            count=int(incident.current_count),
            expected=round(float(incident.baseline), 3),
            peak_count=int(incident.peak_count),
            explanation=dict(details.get("explanation") or {}),
        )

    # -- delivery -------------------------------------------------------------------------

    def _enqueue(self, session: Session, event: AlertEvent, now: datetime) -> None:
        quiet = self.settings.notifications.quiet_hours
        targets = []
        for channel in self.router.channels_for(event.kind, event.brand, event.severity):
            not_before = quiet_until(quiet, channel, event.kind, event.severity, now) or now
            targets.append((channel, channel, not_before))
        enqueue(session, event, targets, now)

    def dispatch(self, now: datetime | None = None) -> DispatchReport:
        """Send the due deliveries (retrying with backoff); safe to run from several processes."""
        return self.outbox.dispatch(now or self.clock())

    def close(self) -> None:
        for notifier in self.notifiers.values():
            notifier.close()
