"""One ``SpikeDetector`` per watched series, stored in ``DetectorState`` rows between runs.

A series resumes at the bucket after its stored watermark, under today's settings (thresholds
and half-lives edited in the config apply to the learnt baseline); it starts afresh when its
bucket grid changed or its stored state is unusable, and at the backfill floor after a long pause.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.detection import DetectorInputError, DetectorSettings, SpikeDetector, Verdict
from alerts.series import SERIES_PREFIX, BucketGrid, series_key
from storage.models import DetectorState, MentionBrand

log = logging.getLogger(__name__)


@dataclass
class WatchedSeries:
    key: str
    brand: str
    touchpoint: str | None
    detector: SpikeDetector
    start: datetime | None  # first bucket not judged yet
    row: DetectorState | None


class SeriesDetectors:
    """Builds, restores, steps and saves the detectors of the watched series."""

    def __init__(
        self,
        detection: DetectorSettings,
        bucket_minutes: int,
        timezone: str,
        sensitivity: Mapping[str, str | None] | None = None,
    ) -> None:
        # The bucket grid belongs to the alerts section and the root settings, not to the detector.
        self.config = detection.model_copy(update={"bucket_minutes": bucket_minutes, "timezone": timezone})
        # A brand's own sensitivity (brands[].sensitivity) overrides the global one for its series.
        self.configs = {
            brand: self.config.model_copy(update={"sensitivity": level})
            for brand, level in (sensitivity or {}).items()
            if level is not None
        }

    def config_of(self, brand: str | None) -> DetectorSettings:
        return self.configs.get(brand or "", self.config)

    def new(self, brand: str | None = None) -> SpikeDetector:
        return SpikeDetector(self.config_of(brand))

    def restore(self, key: str, state: dict[str, Any], brand: str | None = None) -> SpikeDetector:
        """The stored detector under today's settings; afresh if its bucket grid changed or it is unusable."""
        config = self.config_of(brand)
        stored = state.get("config") if isinstance(state, dict) else None
        if isinstance(stored, dict) and (
            stored.get("bucket_minutes") != config.bucket_minutes or stored.get("timezone") != config.timezone
        ):
            log.warning("detector %s was learnt on another bucket grid; starting that series afresh", key)
            return self.new(brand)
        try:
            # Knobs edited in the config (thresholds, half-lives, sensitivity) apply to the learnt baseline.
            return SpikeDetector.from_state({**state, "config": config.model_dump()})
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("detector state %s unusable (%s); starting that series afresh", key, exc)
            return self.new(brand)

    def load(
        self,
        session: Session,
        grid: BucketGrid,
        brands: list[str],
        touchpoints: list[str | None],
        end: datetime,
        backfill: timedelta,
    ) -> list[WatchedSeries]:
        """Every (brand, touchpoint) series with its detector and the first bucket it has not judged."""
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
        floor = grid.start(end - backfill)
        series = []
        for brand in brands:
            for touchpoint in touchpoints:
                key = series_key(brand, touchpoint)
                row = rows.get(key)
                if row is not None and row.watermark is not None:
                    # A long pause (or a jump of the watermark) restarts at the backfill floor.
                    start = max(floor, grid.next_start(row.watermark))
                    series.append(
                        WatchedSeries(key, brand, touchpoint, self.restore(key, row.state, brand), start, row)
                    )
                    continue
                first = first_seen.get(brand)
                start = None if first is None else max(floor, grid.start(first))
                series.append(WatchedSeries(key, brand, touchpoint, self.new(brand), start, row))
        return series

    def update(self, s: WatchedSeries, t: datetime, count: int) -> Verdict:
        try:
            return s.detector.update(t, count)
        except DetectorInputError as exc:  # e.g. a restored state ahead of this bucket
            log.warning("detector %s refused bucket %s (%s); starting that series afresh", s.key, t, exc)
            s.detector = self.new(s.brand)
            return s.detector.update(t, count)

    @staticmethod
    def save(session: Session, s: WatchedSeries, end: datetime, now: datetime) -> None:
        if s.row is None:
            s.row = DetectorState(key=s.key, state=s.detector.to_state(), watermark=end, updated_at=now)
            session.add(s.row)
        else:
            s.row.state, s.row.watermark, s.row.updated_at = s.detector.to_state(), end, now
