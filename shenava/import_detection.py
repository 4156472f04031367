"""What ``shenava import`` detects in the data it imports, recorded without paging for the past.

An import runs the mentions through the whole pipeline with the alert engine on: urgent mentions
are checked batch by batch, and one detection pass after the last batch judges every bucket the
file closed. The engine's backfill guard (``alerts.backfill``) records what is older than
``alerts.backfill_page_max_age_minutes`` with a ``backfilled`` flag and sends it nowhere; what is
fresh is delivered once through the outbox, as the service would. The summary says what was
found, in ``notifications.language``: the counts, then each incident with its mention times and where
to read it, since a backfilled incident has usually ended and no longer shows among the active ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.events import INCIDENT_OPENED, URGENT_MENTION, AlertEvent, IncidentOpened
from alerts.incidents.state import read_state
from alerts.messages import Words
from alerts.series import SERIES_PREFIX
from alerts.workflow import incident_touchpoints
from domain.mention import RawMention
from storage.models import DetectorState, Incident

if TYPE_CHECKING:
    from shenava.service.pipeline import Pipeline


#: incidents listed one by one after an import; the rest are counted
SHOW_INCIDENTS = 10


@dataclass(frozen=True)
class FoundIncident:
    """An incident the imported data opened, as it stands once detection has run."""

    id: int
    brand: str
    severity: str
    touchpoints: list[str]
    start: datetime  # mention time it opened
    end: datetime | None  # mention time its burst ended (None: still going)

    @classmethod
    def of(cls, row: Incident) -> FoundIncident:
        end = read_state(row.details).burst_end
        return cls(row.id, row.brand, row.severity, incident_touchpoints(row), row.opened_at, end)

    def line(self, words: Words, brand_names: Mapping[str, str]) -> str:
        about = (
            words.t(
                "import.incident_about",
                touchpoints=words.join([words.label("touchpoint", t) for t in self.touchpoints]),
            )
            if self.touchpoints
            else ""
        )
        return words.t(
            "import.incident",
            id=words.digits(self.id),
            brand=brand_names.get(self.brand, self.brand),
            severity=words.label("severity", self.severity),
            about=about,
            start=words.when(self.start),
            end=words.t("import.incident_end", end=words.when(self.end)) if self.end else "",
        )


@dataclass(frozen=True)
class ImportFindings:
    incidents: int  # incidents opened by the data
    urgent: int  # urgent mentions raised (those an open incident covered are counted in it)
    paged: int  # alerts delivered to channels: fresh enough to matter now
    backfilled: int  # alerts only recorded: about the past
    not_judged_before: datetime | None  # mentions before this were not run through spike detection
    max_age_minutes: int
    found: tuple[FoundIncident, ...] = ()  # the incidents opened, oldest first

    def lines(self, words: Words, brand_names: Mapping[str, str] | None = None) -> list[str]:
        """What a person reads after the import; ``brand_names``: brand → the name people read."""
        out = [
            words.t(
                "import.detected", incidents=words.digits(self.incidents), urgent=words.digits(self.urgent)
            )
        ]
        if self.paged or self.backfilled:
            out.append(
                words.t(
                    "import.paged",
                    paged=words.digits(self.paged),
                    backfilled=words.digits(self.backfilled),
                    minutes=words.digits(self.max_age_minutes),
                )
            )
        if self.not_judged_before is not None:
            out.append(words.t("import.not_judged", when=words.when(self.not_judged_before)))
        out += [f.line(words, brand_names or {}) for f in self.found[:SHOW_INCIDENTS]]
        if len(self.found) > SHOW_INCIDENTS:
            out.append(words.t("import.more_incidents", n=words.digits(len(self.found) - SHOW_INCIDENTS)))
        if self.found:
            out.append(words.t("import.incident_details", id=self.found[0].id))
        return out


class ImportDetection:
    """Wraps the pipeline for ``listeners.importer.import_file``: ``process`` per batch, ``finish`` once."""

    def __init__(self, pipeline: Pipeline) -> None:
        if pipeline.alerts is None:
            raise ValueError("import detection needs the pipeline's alert engine")
        self.pipeline = pipeline
        self.alerts = pipeline.alerts
        self.alerts.backfill_guard = True
        self.urgent = 0  # urgent alerts the batches raised
        self.earliest: datetime | None = None
        self._judged_until = self._detectors_watermark()

    def _detectors_watermark(self) -> datetime | None:
        """Where spike detection stands already: buckets before it are not judged again."""
        with Session(self.alerts.engine) as session:
            return session.scalar(
                select(func.min(DetectorState.watermark)).where(DetectorState.key.like(f"{SERIES_PREFIX}%"))
            )

    def process(self, mentions: Sequence[RawMention]) -> tuple[int, int]:
        """One batch: analyse, store, check urgent mentions → (inserted, duplicates)."""
        report = self.pipeline.process("import", mentions, None)  # urgent check included
        self.urgent += report.urgent
        first = min((m.created_at for m in mentions), default=None)
        if first is not None and (self.earliest is None or first < self.earliest):
            self.earliest = first
        return report.inserted, report.duplicates

    def finish(self) -> ImportFindings:
        """Judge what the file closed, send what is fresh, and say what was found."""
        watermark = self.pipeline.watermark.value
        events: list[AlertEvent] = []
        if watermark is not None:
            with self.pipeline.alerts_lock:
                events = self.alerts.detect(watermark)
        self.alerts.dispatch()
        settings = self.alerts.alerts
        floor = None if watermark is None else watermark - timedelta(hours=settings.max_backfill_hours)
        judged_from = max((t for t in (self._judged_until, floor) if t is not None), default=None)
        total = self.urgent + len(events)
        opened = [e.incident_id for e in events if isinstance(e, IncidentOpened)]
        return ImportFindings(
            incidents=sum(e.kind == INCIDENT_OPENED for e in events),
            urgent=self.urgent + sum(e.kind == URGENT_MENTION for e in events),
            paged=total - self.alerts.backfilled,
            backfilled=self.alerts.backfilled,
            not_judged_before=judged_from
            if self.earliest is not None and judged_from is not None and self.earliest < judged_from
            else None,
            max_age_minutes=settings.backfill_page_max_age_minutes,
            found=self._found(opened),
        )

    def _found(self, ids: list[int]) -> tuple[FoundIncident, ...]:
        if not ids:
            return ()
        with Session(self.alerts.engine) as session:
            rows = session.scalars(
                select(Incident).where(Incident.id.in_(ids)).order_by(Incident.opened_at, Incident.id)
            )
            return tuple(FoundIncident.of(row) for row in rows)
