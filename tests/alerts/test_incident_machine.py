"""The incident machine over a real database: when a later bucket of a detector burst may still open the
brand's incident (the burst opened under the volume floor, or a person resolved its incident and the burst
then grew worse)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from alerts.detection import SpikeDetector, Verdict
from alerts.detection.burst import BurstGrade
from alerts.detection.detector import _score  # the anomaly score of an evidence strength (2.5: critical)
from alerts.events import INCIDENT_OPENED
from alerts.incidents.machine import IncidentMachine
from alerts.series_detectors import WatchedSeries
from alerts.settings import AlertsSettings
from alerts.workflow import not_relevant, resolve
from storage.models import Incident

BUCKET = timedelta(minutes=5)
START = datetime(2025, 4, 6, 9, 0, tzinfo=UTC)  # the burst's first bucket (under the floor)
SERIES = WatchedSeries("alerts:neg:acme", "acme", None, SpikeDetector(), None, None)


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Incident)) or 0


def _verdict(t: datetime, count: int, score: float, *, alert: bool = False, peak: float = 1.0) -> Verdict:
    """One bucket of a burst that opened at START (the detector's own verdict, as the spike pass gets it);
    ``peak``: the burst's strongest evidence so far, which grades it."""
    return Verdict(
        ts=t,
        value=float(count),
        expected=0.5,
        z=3.0,
        anomaly_score=score,
        alert=alert,
        in_incident=True,
        incident_closed=False,
        severity=BurstGrade.of(peak, SERIES.detector.config),
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
        assert _count(session) == int(opens)


def test_a_burst_that_turns_critical_after_a_person_dismissed_it_opens_a_new_incident(
    sqlite_engine: Engine,
) -> None:
    """Support marked the burst's incident a false alarm; the detector still follows the burst (a noisy
    series keeps it open for hours). A later bucket that is alarming but no worse stays quiet; a
    critical one opens a new incident that pages, once: dismissing that one too silences the rest."""
    machine = IncidentMachine(AlertsSettings(min_volume=5), BUCKET)
    now = START + BUCKET
    with Session(sqlite_engine) as session:
        first, events = machine.apply(
            session,
            "acme",
            None,
            [(SERIES, 8, _verdict(START, 8, _score(1.2), alert=True, peak=1.2))],
            START,
            now,
        )
        assert first is not None and first.severity == "medium"
        not_relevant(session, "incident", first.id, by="sara", at=now)
        session.commit()

        peak = 1.2  # the burst's strongest bucket so far, which grades it
        steps = [(2, 1.8, False), (10, 3.3, True), (11, 3.6, False)]  # hours in, bucket strength, opens
        for hours, strength, opens in steps:
            t = START + timedelta(hours=hours)
            peak = max(peak, strength)
            bucket = _verdict(t, 60, _score(strength), peak=peak)
            before = _count(session)
            incident, events = machine.apply(session, "acme", None, [(SERIES, 60, bucket)], t, t + BUCKET)
            session.commit()
            assert _count(session) == before + int(opens), (hours, strength)
            assert [e.kind for e in events] == ([INCIDENT_OPENED] if opens else []), (hours, strength)
            if opens:
                assert incident is not None and incident.severity == "critical" and incident.opened_at == t
                resolve(session, "incident", incident.id, by="sara", at=t + BUCKET)
                session.commit()
        assert session.get(Incident, first.id).status == "resolved"  # the dismissed one stays as it was


def test_a_burst_the_detector_closed_is_not_reopened_by_the_dismissal_rule(sqlite_engine: Engine) -> None:
    """Only a person's resolution lets a burst page again: an incident the detector itself resolved ended
    with its burst, so a bucket claiming that burst's start is left alone."""
    machine = IncidentMachine(AlertsSettings(min_volume=5), BUCKET)
    now = START + BUCKET
    with Session(sqlite_engine) as session:
        first, _ = machine.apply(
            session, "acme", None, [(SERIES, 8, _verdict(START, 8, _score(1.2), alert=True))], START, now
        )
        assert first is not None
        first.status, first.resolved_by = "resolved", "detector"
        session.commit()
        t = START + timedelta(hours=3)
        bucket = _verdict(t, 60, _score(3.3), peak=3.3)
        incident, events = machine.apply(session, "acme", None, [(SERIES, 60, bucket)], t, t + BUCKET)
        assert incident is None and events == [] and _count(session) == 1
