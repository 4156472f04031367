"""The engine over a real database: incidents open once, explain themselves, persist and resolve."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from alerts.engine import AlertEngine
from alerts.events import INCIDENT_GREW, INCIDENT_OPENED, INCIDENT_RESOLVED, AlertEvent
from alerts.severity import severity_rank
from alerts.workflow import resolve
from config.settings import Settings
from storage.db import create_engine_from_url, init_db
from storage.models import Delivery, DetectorState, Incident
from storage.repository import MentionStore
from tests.alerts.builders import T0, seed_background, seed_burst
from tests.alerts.conftest import make_settings
from tests.alerts.processes import run_side_by_side

SPIKE = T0 + timedelta(days=2, hours=10)  # 13:30 in Tehran, after a day of warm-up
END = T0 + timedelta(days=2, hours=22)  # the detector wants hours of calm before it resolves


def _stepwise(
    settings: Settings, engine: Engine, start: datetime, end: datetime, step: timedelta
) -> list[AlertEvent]:
    """Detection as the service runs it, restarting the engine (a new process) at every step."""
    events: list[AlertEvent] = []
    watermark = start
    while watermark < end:
        watermark = min(end, watermark + step)
        events += AlertEngine(settings, engine).detect(watermark)
    return events


@pytest.fixture
def seeded(store: MentionStore) -> MentionStore:
    seed_background(store, days=3.0)
    seed_burst(store, SPIKE)
    return store


def test_spike_opens_one_incident_that_explains_itself_and_resolves(
    seeded: MentionStore, engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    events = _stepwise(settings, engine, SPIKE - timedelta(hours=2), END, timedelta(minutes=45))
    events = AlertEngine(settings, engine).detect(T0) + events  # an old watermark changes nothing
    kinds = [e.kind for e in events]
    assert kinds.count(INCIDENT_OPENED) == 1 and kinds.count(INCIDENT_RESOLVED) == 1

    opened = next(e for e in events if e.kind == INCIDENT_OPENED)
    assert SPIKE <= opened.at < SPIKE + timedelta(minutes=30)
    explanation = opened.explanation
    assert explanation["bucket"]["count"] >= 25 and explanation["bucket"]["expected"] < 5
    assert explanation["ratio"] > 3
    assert any("نرسیده" in t["term"] for t in explanation["terms"][:5])
    assert explanation["touchpoints"][0]["touchpoint"] == "delivery"
    assert explanation["touchpoints"][0]["now_share"] > explanation["touchpoints"][0]["baseline_share"]
    assert 3 <= len(explanation["mentions"]) <= 5
    assert all(m["url"].startswith("https://") and m["author"] for m in explanation["mentions"])
    assert len({m["author"] for m in explanation["mentions"]}) == len(explanation["mentions"])
    share = explanation["negative_share"]
    assert share["now"] > share["usual"] + 0.2

    with Session(engine) as session:
        (incident,) = session.scalars(select(Incident)).all()
        assert incident.status == "resolved" and incident.resolved_by == "detector"
        assert incident.peak_count >= 25 and "delivery" in incident.details["touchpoints"]
        keys = list(session.scalars(select(Delivery.dedup_key).order_by(Delivery.id)))
        assert session.scalar(select(func.count()).select_from(DetectorState)) >= 8
    # Opened first, resolved last; between them at most an escalation per severity level.
    assert keys[0] == f"incident:{incident.id}:opened->file"
    assert keys[-1] == f"incident:{incident.id}:resolved->file"
    assert all(k.startswith(f"incident:{incident.id}:grew:") for k in keys[1:-1]) and len(keys) <= 4

    report = AlertEngine(settings, engine).dispatch()
    assert report.sent == len(keys)
    lines = [
        json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [line["delivery_key"] for line in lines] == keys
    assert AlertEngine(settings, engine).dispatch().sent == 0


def test_restarts_give_the_same_incident_as_one_pass(tmp_path: Path, settings: Settings) -> None:
    results = []
    for name, step in (("one", timedelta(days=10)), ("steps", timedelta(minutes=40))):
        url = f"sqlite:///{tmp_path / name}.db"
        init_db(url)
        engine = create_engine_from_url(url)
        store = MentionStore(engine)
        seed_background(store, days=3.0)
        seed_burst(store, SPIKE)
        _stepwise(settings, engine, SPIKE - timedelta(hours=1), END, step)
        with Session(engine) as session:
            results.append(
                [(i.opened_at, i.peak_count, i.severity, i.status) for i in session.scalars(select(Incident))]
            )
        engine.dispose()
    assert results[0] == results[1] and len(results[0]) == 1


def test_volume_floor_keeps_small_bursts_quiet(sqlite_engine: Engine, tmp_path: Path) -> None:
    store = MentionStore(sqlite_engine)
    seed_background(store, days=3.0)
    seed_burst(store, SPIKE)
    settings = make_settings(tmp_path, alerts={"min_volume": 60})
    assert AlertEngine(settings, sqlite_engine).detect(END) == []


def test_support_resolving_mid_burst_is_not_paged_again(
    seeded: MentionStore, engine: Engine, settings: Settings
) -> None:
    first = AlertEngine(settings, engine).detect(SPIKE + timedelta(minutes=20))
    (opened,) = [e for e in first if e.kind == INCIDENT_OPENED]
    with Session(engine) as session, session.begin():
        resolve(session, "incident", opened.incident_id, by="agent-1", note="courier outage confirmed")
    later = AlertEngine(settings, engine).detect(END)
    assert later == []
    with Session(engine) as session:
        incident = session.get(Incident, opened.incident_id)
        assert incident is not None and incident.resolved_by == "agent-1"


def test_competitors_are_not_watched_by_default(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    store, engine = MentionStore(sqlite_engine), sqlite_engine
    seed_background(store, days=3.0, brand="tazeh")
    seed_burst(store, SPIKE, brand="tazeh")
    assert AlertEngine(settings, engine).detect(END) == []
    watching = make_settings(tmp_path, alerts={"watch_competitors": True})
    assert [e.brand for e in AlertEngine(watching, engine).detect(END) if e.kind == INCIDENT_OPENED] == [
        "tazeh"
    ]


def test_naive_watermark_is_refused(sqlite_engine: Engine, settings: Settings) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        AlertEngine(settings, sqlite_engine).detect(datetime(2026, 3, 1))


def test_bucket_alignment_follows_tehran_midnight(sqlite_engine: Engine, tmp_path: Path) -> None:
    hourly = AlertEngine(make_settings(tmp_path, alerts={"bucket_minutes": 60}), sqlite_engine)
    start = hourly.bucket_start(datetime.fromisoformat("2026-03-01T10:10:00+00:00"))
    assert start.isoformat() == "2026-03-01T09:30:00+00:00"  # 13:00 in Tehran (UTC+03:30)


def test_escalation_pages_once_more_with_the_new_severity(sqlite_engine: Engine, settings: Settings) -> None:
    store = MentionStore(sqlite_engine)
    seed_background(store, days=3.0)
    seed_burst(store, SPIKE, buckets=2, per_bucket=20)
    seed_burst(store, SPIKE + timedelta(minutes=10), buckets=1, per_bucket=400, first_id=200_000)
    events = AlertEngine(settings, sqlite_engine).detect(END)
    assert [e.kind for e in events] == [INCIDENT_OPENED, INCIDENT_GREW, INCIDENT_RESOLVED]
    opened, grew, _ = events
    assert opened.incident_id == grew.incident_id
    assert severity_rank(grew.severity) > severity_rank(opened.severity)
    assert 400 <= grew.explanation["bucket"]["count"] <= 402  # the burst and the background complaints
    # The brand's own series opened it, and it took its first named touchpoint as Incident.touchpoint.
    # Grown, it is still explained brand-wide: before, the escalation counted only that touchpoint's
    # mentions (440, support had 441) against the brand's baseline, and said they were the brand's.
    for event in (opened, grew):
        explanation = event.explanation
        assert explanation["touchpoint"] is None
        assert explanation["count"] >= max(t["observed"] for t in explanation["touchpoints"])
    with Session(sqlite_engine) as session:
        incident = session.get(Incident, opened.incident_id)
        assert incident.peak_count >= 400  # type: ignore[union-attr]
        assert incident.detector_key == "alerts:neg:sabzino" and incident.touchpoint is not None  # type: ignore[union-attr]
        keys = set(session.scalars(select(Delivery.dedup_key)))
    assert f"incident:{opened.incident_id}:grew:{grew.severity}->file" in keys


def test_changed_bucket_width_restarts_the_series_on_the_new_grid(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    store = MentionStore(sqlite_engine)
    seed_background(store, days=3.0)
    seed_burst(store, SPIKE + timedelta(hours=25), buckets=6, per_bucket=40)
    assert AlertEngine(settings, sqlite_engine).detect(SPIKE) == []
    wider = make_settings(tmp_path, alerts={"bucket_minutes": 10})
    events = AlertEngine(wider, sqlite_engine).detect(SPIKE + timedelta(hours=27))
    assert [e.kind for e in events] == [INCIDENT_OPENED]
    assert events[0].explanation["bucket"]["minutes"] == 10
    with Session(sqlite_engine) as session:
        states = list(session.scalars(select(DetectorState).where(DetectorState.key.like("alerts:neg:%"))))
    assert {s.state["config"]["bucket_minutes"] for s in states} == {10}


def test_two_services_on_one_database_open_one_incident(
    db_url: str, seeded: MentionStore, settings: Settings
) -> None:
    results = run_side_by_side(db_url, lambda own: AlertEngine(settings, own).detect(END))
    kinds = [e.kind for events in results for e in events]
    assert len(results) == 2 and kinds.count(INCIDENT_OPENED) == 1 and kinds.count(INCIDENT_RESOLVED) == 1
    assert min(len(events) for events in results) == 0  # the second pass found everything judged
    with Session(create_engine_from_url(db_url)) as session:
        assert session.scalar(select(func.count()).select_from(Incident)) == 1


def test_burst_opening_under_the_floor_pages_once_it_passes(sqlite_engine: Engine, tmp_path: Path) -> None:
    """A sustained rise (about 9 negatives a bucket) makes the detector open its burst under the floor of 20;
    when the same burst surges past the floor the incident must open — once, not on every later bucket."""
    store = MentionStore(sqlite_engine)
    seed_background(store, days=3.0)
    seed_burst(store, SPIKE, buckets=30, per_bucket=8, first_id=100_000)
    surge = SPIKE + timedelta(minutes=150)
    seed_burst(store, surge, buckets=6, per_bucket=25, first_id=200_000)
    settings = make_settings(tmp_path, alerts={"min_volume": 20})
    events = AlertEngine(settings, sqlite_engine).detect(END)
    assert len([e for e in events if e.kind == INCIDENT_OPENED]) == 1
    with Session(sqlite_engine) as session:
        (incident,) = session.scalars(select(Incident)).all()
        assert incident.opened_at.replace(tzinfo=surge.tzinfo) == surge
        assert incident.peak_count >= 25


#: what support posts to each customer during a delivery outage: negative, about delivery and support
APOLOGY = "سلام، پوزش بابت تاخیر ارسال. لطفا شماره سفارش رو دایرکت کنید تا پیگیری کنیم"


def test_the_brands_own_apologies_are_not_a_burst(engine: Engine, settings: Settings) -> None:
    # Posts by a brand's handle are tagged with the brand (they join its conversation). Support
    # apologising to one customer after another is a run of negative delivery mentions, but it is
    # the brand talking: alone it opens nothing (the handle's case differs from the config's).
    store = MentionStore(engine)
    seed_background(store, days=3.0)
    seed_burst(store, SPIKE, text=APOLOGY, handle="Sabzino_Support")
    assert AlertEngine(settings, engine).detect(END) == []


def test_an_incident_counts_and_quotes_customers_not_the_brands_replies(
    engine: Engine, settings: Settings
) -> None:
    store = MentionStore(engine)
    seed_background(store, days=3.0)
    seed_burst(store, SPIKE)  # 30 customers a bucket
    seed_burst(store, SPIKE, text=APOLOGY, handle="sabzino_support", first_id=200_000)  # and 30 replies
    events = AlertEngine(settings, engine).detect(END)
    opened = next(e for e in events if e.kind == INCIDENT_OPENED)
    explanation = opened.explanation
    assert explanation["bucket"]["count"] <= 33, explanation["bucket"]  # 30, plus the background's few
    assert explanation["count"] <= 3 * 33, explanation["count"]
    assert all(m["author"] != "sabzino_support" for m in explanation["mentions"])
    assert not any("پوزش" in t["term"] or "دایرکت" in t["term"] for t in explanation["terms"])
    with Session(engine) as session:
        (incident,) = session.scalars(select(Incident)).all()
        assert incident.peak_count <= 33


def test_replies_after_the_burst_do_not_hold_its_incident_open(
    sqlite_engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    # Support answers the backlog for five hours after the customers stop: the burst ends (in
    # mention time) when it would have without a single reply. Counted, the replies held it open
    # 4.5 hours longer.
    def burst_end(engine: Engine, replies: bool) -> str | None:
        store = MentionStore(engine)
        seed_background(store, days=3.0)
        seed_burst(store, SPIKE)
        if replies:
            seed_burst(store, SPIKE + timedelta(minutes=30), buckets=60, per_bucket=12, text=APOLOGY,
                       handle="sabzino_support", first_id=200_000)  # fmt: skip
        AlertEngine(settings, engine).detect(END)
        with Session(engine) as session:
            (incident,) = session.scalars(select(Incident)).all()
            return (incident.details or {}).get("burst_end")

    quiet = create_engine_from_url(f"sqlite:///{tmp_path / 'quiet.db'}")
    init_db(quiet)
    try:
        alone = burst_end(quiet, replies=False)
        assert alone is not None and burst_end(sqlite_engine, replies=True) == alone
    finally:
        quiet.dispose()
