"""The incident machine over a real database: when a detector burst that opened under the volume floor
may still open the brand's incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from alerts.detection import SpikeDetector, Verdict
from alerts.detection.burst import BurstGrade
from alerts.events import INCIDENT_OPENED
from alerts.incidents.machine import IncidentMachine
from alerts.series_detectors import WatchedSeries
from alerts.settings import AlertsSettings
from storage.models import Incident

BUCKET = timedelta(minutes=5)
START = datetime(2025, 4, 6, 9, 0, tzinfo=UTC)  # the burst's first bucket (under the floor)
SERIES = WatchedSeries("alerts:neg:acme", "acme", None, SpikeDetector(), None, None)


def _verdict(t: datetime, count: int, score: float, *, alert: bool = False) -> Verdict:
    """One bucket of a burst that opened at START (the detector's own verdict, as the spike pass gets it)."""
    return Verdict(
        ts=t,
        value=float(count),
        expected=0.5,
        z=3.0,
        anomaly_score=score,
        alert=alert,
        in_incident=True,
        incident_closed=False,
        severity=BurstGrade.of(1.0, SERIES.detector.config),
        peak=float(count),
        peak_at=t,
        incident_started_at=START,
    )


@pytest.mark.parametrize(
    ("later_score", "opens"),
    [(0.6, True), (0.4, False)],
    ids=["still-alarming-opens", "no-longer-alarming-stays-quiet"],
)
def test_a_later_bucket_past_the_floor_opens_only_while_the_burst_is_still_alarming(
    sqlite_engine: Engine, later_score: float, opens: bool
) -> None:
    """The burst opened on 3 mentions (under the floor of 5). Hours later a bucket of 6 passes the floor:
    it opens the incident only if the detector still finds that bucket alarming (alert-worthy);
    otherwise the burst's tail would page hours after it began, about nothing that is happening now."""
    machine = IncidentMachine(AlertsSettings(min_volume=5), BUCKET)
    later = START + timedelta(hours=4)
    now = later + BUCKET
    with Session(sqlite_engine) as session:
        incident, events = machine.apply(
            session, "acme", None, [(SERIES, 3, _verdict(START, 3, 0.7, alert=True))], START, now
        )
        assert incident is None and events == []
        incident, events = machine.apply(
            session, "acme", None, [(SERIES, 6, _verdict(later, 6, later_score))], later, now
        )
        session.commit()
        assert (incident is not None) is opens
        assert [e.kind for e in events] == ([INCIDENT_OPENED] if opens else [])
        assert session.scalar(select(func.count()).select_from(Incident)) == int(opens)
