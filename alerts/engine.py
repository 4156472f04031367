"""The alert engine: from stored mentions to incidents, urgent alerts and queued deliveries.

``on_stored(ids)`` checks new mentions for urgent single alerts (``alerts.urgent``).
``detect(watermark)`` runs one detection pass (``alerts.spike_pass``: series and buckets in
``alerts.series``, their detectors in ``alerts.series_detectors``, incidents in
``alerts.incidents``) and checks for unanswered questions, in one locked transaction.
Both walk the stored mentions in event-time order (``alerts.timeline``), advancing detection to
each urgent alert's event time before deciding whether it folds, so the alerts are a function of
the input alone: not of batch sizes, replay speed, timers or restarts.
Urgent alerts an open incident already covers are folded into it (``alerts.incidents.folding``);
every other event is routed into the outbox in that same transaction, except, with
``backfill_guard``, those about the past (``alerts.backfill``: recorded, flagged, not paged).
``dispatch(now)`` sends what is due from the outbox; detection never waits for a channel.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from alerts.backfill import PageAgeLimit
from alerts.events import AlertEvent, UrgentMention
from alerts.incidents.folding import fold_urgent
from alerts.messages import MessageContext, brand_display_names
from alerts.notifiers import Notifier, build_notifiers
from alerts.outbox import DispatchReport, Outbox, enqueue
from alerts.routing import Router, quiet_until
from alerts.settings import AlertsSettings, NotificationsSettings
from alerts.spike_pass import SpikePass, alerting_transaction, detection_transaction
from alerts.timeline import Walk, advance, judge_until, mentions_by_ids, urgent_only
from alerts.urgent import UrgentDetector
from domain.brands import BrandSettings
from storage.models import Mention

log = logging.getLogger(__name__)


class AlertsView(Protocol):
    """What the engine reads of the root settings (``config.settings.Settings`` is one)."""

    @property
    def timezone(self) -> str: ...

    @property
    def brands(self) -> Sequence[BrandSettings]: ...

    @property
    def alerts(self) -> AlertsSettings: ...

    @property
    def notifications(self) -> NotificationsSettings: ...


class WebView(Protocol):
    @property
    def public_url(self) -> str: ...


class AlertEngine:
    def __init__(
        self,
        settings: AlertsView,
        engine: Engine,
        *,
        notifiers: dict[str, Notifier] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.engine = engine
        self.alerts = settings.alerts
        self.notifications = settings.notifications
        self.clock = clock or (lambda: datetime.now(UTC))
        if notifiers is None:
            notifiers, off = build_notifiers(settings.notifications)
            for reason in off.values():
                log.warning("%s", reason)
        self.notifiers = notifiers
        names = [c.name for c in settings.notifications.channels if c.enabled] or list(notifiers)
        self.router = Router(settings.notifications, names)
        self.outbox = Outbox(engine, notifiers, settings.notifications.outbox)
        self.urgent = UrgentDetector(settings.alerts.urgent, settings.brands)
        language = settings.notifications.language
        web: WebView | None = getattr(settings, "web", None)  # the inbox the messages link to
        self.messages = MessageContext(
            language=language,
            timezone=settings.timezone,
            public_url=web.public_url if web is not None else None,
            brand_names=brand_display_names(settings.brands, language),
        )
        self.spikes = SpikePass(settings.alerts, settings.brands, settings.timezone)
        #: True where detection may meet old data (``shenava import``, a live service after a
        #: pause): events older than ``alerts.backfill_page_max_age_minutes`` by ``clock`` are
        #: only recorded (``alerts.backfill``). False for replays, which play the past as now.
        self.backfill_guard = False
        self.page_age = PageAgeLimit(timedelta(minutes=settings.alerts.backfill_page_max_age_minutes))
        #: events recorded but not delivered (backfilled) since this engine started
        self.backfilled = 0
        #: urgent alerts folded into an open incident since this engine started (in the inbox, not paged)
        self.folded = 0
        #: incident events an urgent check's detection raised (already queued for delivery);
        #: the next ``detect`` returns them first. Bounded: a worker that only checks never drains it.
        self._early: deque[AlertEvent] = deque(maxlen=10_000)

    @classmethod
    def from_settings(cls, settings: AlertsView, engine: Engine) -> AlertEngine:
        return cls(settings, engine)

    def on_stored(self, mention_ids: Sequence[int]) -> list[AlertEvent]:
        """Alert at once on urgent new mentions (one alert per brand and conversation).

        Every stored mention up to the newest of these is judged in event-time order (those a
        killed process stored but never judged too); returns the urgent alerts to deliver."""
        if not mention_ids:
            return []
        now = self.clock()
        with alerting_transaction(self.engine, now) as session:
            handed = mentions_by_ids(session, list(mention_ids))
            if not handed:
                return []
            walk = self.walk_in(session, handed[-1].created_at, handed, now)
            self.deliver_in(session, walk.events, now, walk.judged_until)
        urgent = urgent_only(walk.events)
        self._early.extend(e for e in walk.events if not isinstance(e, UrgentMention))
        return urgent

    def bucket_start(self, moment: datetime) -> datetime:
        """Start of the bucket holding ``moment``, aligned to local (Tehran) midnight, as UTC."""
        return self.spikes.grid.start(moment)

    def detect(self, watermark: datetime) -> list[AlertEvent]:
        """Judge every bucket that ended at least ``allowed_lateness`` before ``watermark`` (after
        the urgent checks and question deadlines up to ``watermark``, in event-time order)."""
        end = self.spikes.closed_until(watermark)
        now = self.clock()
        with detection_transaction(self.engine, now) as session:
            walk = self.walk_in(session, watermark, [], now)
            judge_until(session, self.spikes, end, now, walk)
            self.deliver_in(session, walk.events, now, end)
        early = list(self._early)
        self._early.clear()
        return early + walk.events

    # The three steps below are public so that a distributed pass (shenava.distributed) and the saved-search
    # rules run them inside their own locked transactions; each needs the caller's open ``session``.

    def walk_in(self, session: Session, until: datetime, handed: Sequence[Mention], now: datetime) -> Walk:
        """Judge the stored mentions and question deadlines up to ``until`` in event-time order."""
        return advance(session, self.urgent, self.spikes, self._fold, until, handed, now)

    def deliver_in(
        self, session: Session, events: Sequence[AlertEvent], now: datetime, pass_end: datetime | None
    ) -> None:
        """Queue ``events`` for their channels (too-old ones only recorded, under ``backfill_guard``)."""
        for event in self._to_deliver(session, events, now, pass_end):
            self.route_in(session, event, now)

    def _to_deliver(
        self, session: Session, events: Sequence[AlertEvent], now: datetime, pass_end: datetime | None
    ) -> list[AlertEvent]:
        """Every event, or with ``backfill_guard`` only the fresh ones (the rest are flagged)."""
        if not self.backfill_guard:
            return list(events)
        deliver, recorded = self.page_age.split(session, events, now, pass_end)
        self.backfilled += len(recorded)
        return deliver

    def _fold(self, session: Session, events: Sequence[AlertEvent]) -> list[AlertEvent]:
        kept = fold_urgent(session, events, self.alerts.urgent.fold_into_incident)
        self.folded += len(events) - len(kept)  # only urgent alerts are ever folded
        return kept

    def route_in(self, session: Session, event: AlertEvent, now: datetime) -> None:
        """Queue one event in the outbox for every channel its routing names, after quiet hours."""
        quiet = self.notifications.quiet_hours
        targets = []
        for channel in self.router.channels_for(event.kind, event.brand, event.severity):
            not_before = quiet_until(quiet, channel, event.kind, event.severity, now) or now
            targets.append((channel, channel, not_before))
        enqueue(session, event, targets, now, self.messages)

    def dispatch(self, now: datetime | None = None) -> DispatchReport:
        """Send the due deliveries (retrying with backoff); safe to run from several processes."""
        return self.outbox.dispatch(now or self.clock())

    def close(self) -> None:
        for notifier in self.notifiers.values():
            notifier.close()
