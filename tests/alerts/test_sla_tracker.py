"""SLA deadlines, outcomes and the one escalation (issue 12 item 6), on SQLite and PostgreSQL.

An incident must be acknowledged and an urgent mention answered within the brand's working
minutes (Iranian week: Thursday half-day, Friday off); a breach is sent once to the brand's
escalation channel — a local webhook server that checks the real signed request — through the
notification outbox, also across a restart between passes and between queueing and sending.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from alerts import workflow
from alerts.notifiers import build_notifiers
from alerts.outbox import Outbox
from alerts.sla_report import sla_report
from alerts.sla_tracker import SlaTracker
from config.settings import Settings
from storage.db import create_engine_from_url
from storage.models import Delivery, Incident, UrgentAlert
from storage.repository import MentionStore
from storage.sla_records import BREACHED, MET, VOID, SlaRecord
from tests.alerts.builders import mention, stored_incident
from tests.alerts.conftest import make_settings
from tests.alerts.servers import ScriptedServer, json_reply

TEHRAN = ZoneInfo("Asia/Tehran")
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=TEHRAN).astimezone(UTC)  # a working Tuesday morning
THURSDAY_1250 = datetime(2026, 12, 3, 12, 50, tzinfo=TEHRAN).astimezone(UTC)
SECRET = "escalation-secret"


@pytest.fixture
def webhook() -> Iterator[ScriptedServer]:
    server = ScriptedServer(lambda request: json_reply(200, {"ok": True}))
    yield server
    server.close()


def sla_settings(tmp_path: Path, webhook_url: str, **sla: object) -> Settings:
    """Brand sabzino escalates to the webhook channel ``lead``; ordinary alerts go to the file."""
    return make_settings(
        tmp_path,
        notifications={
            "channels": [
                {"type": "file", "name": "file", "path": str(tmp_path / "alerts.jsonl")},
                {
                    "type": "webhook",
                    "name": "lead",
                    "url": f"{webhook_url}/sla",
                    "secret_env": "SLA_TEST_SECRET",
                },
            ],
            "routes": [{"channels": ["file"]}],
        },
        sla={"brands": {"sabzino": {"escalate_to": ["lead"]}}, **sla},
        web={"public_url": "https://shenava.example/"},
    )


@pytest.fixture
def settings(tmp_path: Path, webhook: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SLA_TEST_SECRET", SECRET)
    return sla_settings(tmp_path, webhook.url)


def tracker(settings: Settings, engine: Engine, now: datetime) -> SlaTracker:
    return SlaTracker.from_settings(settings, engine, clock=lambda: now)


def add_incident(engine: Engine, raised: datetime, brand: str = "sabzino") -> int:
    with Session(engine) as session, session.begin():
        return stored_incident(session, raised=raised, brand=brand).id


def add_urgent(engine: Engine, raised: datetime, n: int = 1, brand: str = "sabzino") -> int:
    ids = (
        MentionStore(engine)
        .save_batch([mention(n, raised, "سبزینو پولم رو برنگردوند", brand=brand, conversation=f"c{n}")], None)
        .inserted_ids
    )
    with Session(engine) as session, session.begin():
        row = UrgentAlert(
            mention_id=ids[0],
            brand=brand,
            conversation_key=f"x:c{n}",
            status="open",
            details={"reasons": ["large_account"], "created_wall": raised.isoformat()},
            created_at=raised,
            updated_at=raised,
        )
        session.add(row)
        session.flush()
        return row.id


def record(engine: Engine, kind: str, item_id: int) -> SlaRecord:
    with Session(engine) as session:
        return session.scalars(
            select(SlaRecord).where(SlaRecord.kind == kind, SlaRecord.item_id == item_id)
        ).one()


def deliveries(engine: Engine, channel: str = "lead") -> list[Delivery]:
    with Session(engine) as session:
        return list(session.scalars(select(Delivery).where(Delivery.channel == channel)))


def test_deadlines_follow_the_brand_targets_in_working_time(engine: Engine, settings: Settings) -> None:
    incident = add_incident(engine, TUESDAY_10)
    urgent = add_urgent(engine, THURSDAY_1250)
    report = tracker(settings, engine, TUESDAY_10).run()
    assert report.created == 2
    first = record(engine, "incident", incident)
    assert (first.metric, first.target_minutes) == ("acknowledge", 10)
    assert first.deadline == TUESDAY_10 + timedelta(minutes=10)
    second = record(engine, "urgent", urgent)
    # 10 working minutes left on Thursday (half day to 13:00), Friday off: Saturday 08:05
    assert (second.metric, second.target_minutes) == ("first_response", 15)
    assert second.deadline == datetime(2026, 12, 5, 8, 5, tzinfo=TEHRAN)
    assert second.outcome is None and first.outcome is None
    assert tracker(settings, engine, TUESDAY_10).run().created == 0  # one record per item


def test_a_brand_override_and_holidays_move_the_deadline(
    engine: Engine, tmp_path: Path, webhook: ScriptedServer
) -> None:
    settings = sla_settings(
        tmp_path,
        webhook.url,
        brands={"sabzino": {"acknowledge_minutes": 30}},
        working_week={"holidays": ["09-10"]},  # 10 Azar (Tuesday 1 December 2026) off every year
    )
    incident = add_incident(engine, TUESDAY_10)
    tracker(settings, engine, TUESDAY_10).run()
    assert record(engine, "incident", incident).deadline == datetime(2026, 12, 2, 8, 30, tzinfo=TEHRAN)


def test_met_and_breached_are_recorded_when_the_response_comes(engine: Engine, settings: Settings) -> None:
    on_time, late = add_incident(engine, TUESDAY_10), add_urgent(engine, TUESDAY_10)
    tracker(settings, engine, TUESDAY_10).run()
    with Session(engine) as session, session.begin():
        workflow.acknowledge(session, "incident", on_time, by="sara", at=TUESDAY_10 + timedelta(minutes=9))
        workflow.record_reply(
            session, "urgent", late, text="سلام، پیگیری شد", by="reza", channel="x",
            at=TUESDAY_10 + timedelta(minutes=20),
        )  # fmt: skip
    report = tracker(settings, engine, TUESDAY_10 + timedelta(minutes=21)).run()
    assert (report.met, report.breached) == (1, 1)
    a, b = record(engine, "incident", on_time), record(engine, "urgent", late)
    assert (a.outcome, a.agent, a.responded_at) == (MET, "sara", TUESDAY_10 + timedelta(minutes=9))
    assert (b.outcome, b.agent) == (BREACHED, "reza")
    assert b.escalated_at is None and deliveries(engine) == []  # answered (late): nobody to page
    # acknowledging an urgent mention is not answering it: its clock keeps running
    other = add_urgent(engine, TUESDAY_10, n=2)
    with Session(engine) as session, session.begin():
        workflow.acknowledge(session, "urgent", other, by="sara", at=TUESDAY_10 + timedelta(minutes=1))
    tracker(settings, engine, TUESDAY_10 + timedelta(minutes=5)).run()
    assert record(engine, "urgent", other).outcome is None


def test_items_owed_nothing_are_void(engine: Engine, settings: Settings) -> None:
    backfilled = add_incident(engine, TUESDAY_10)
    false_alarm = add_urgent(engine, TUESDAY_10)
    faded = add_incident(engine, TUESDAY_10, brand="sabzino")
    with Session(engine) as session, session.begin():
        row = session.get(Incident, backfilled)
        row.details = {**row.details, "backfilled": True}
        workflow.not_relevant(
            session, "urgent", false_alarm, by="sara", at=TUESDAY_10 + timedelta(minutes=30)
        )
        closed = session.get(Incident, faded)
        closed.status, closed.resolved_at, closed.resolved_by = (
            "resolved",
            TUESDAY_10 + timedelta(minutes=4),
            "detector",
        )
    report = tracker(settings, engine, TUESDAY_10 + timedelta(hours=1)).run()
    assert report.void == 3 and report.breached == 0
    assert {record(engine, k, i).outcome for k, i in
            (("incident", backfilled), ("urgent", false_alarm), ("incident", faded))} == {VOID}  # fmt: skip
    assert deliveries(engine) == []


def test_a_breach_is_escalated_once_and_delivered_once_across_restarts(
    engine: Engine, db_url: str, settings: Settings, webhook: ScriptedServer
) -> None:
    incident = add_incident(engine, TUESDAY_10)
    tracker(settings, engine, TUESDAY_10).run()
    assert tracker(settings, engine, TUESDAY_10 + timedelta(minutes=9)).run().escalated == []
    breach = TUESDAY_10 + timedelta(minutes=11)
    report = tracker(settings, engine, breach).run()
    assert [e.key for e in report.escalated] == [f"sla:incident:{incident}:breached"]
    assert tracker(settings, engine, breach + timedelta(minutes=1)).run().escalated == []
    # a restart: a new engine and tracker over the same database queue nothing more
    restarted = create_engine_from_url(db_url)
    try:
        assert tracker(settings, restarted, breach + timedelta(minutes=2)).run().escalated == []
        [row] = deliveries(restarted)
        assert row.status == "pending" and row.event_kind == "sla_incident_breached"
        # the file channel (ordinary routing) got nothing: a breach goes to the escalation route only
        assert deliveries(restarted, "file") == []
        # the outbox of a restarted process sends it, once
        notifiers, off = build_notifiers(settings.notifications)
        assert off == {}
        outbox = Outbox(restarted, notifiers, settings.notifications.outbox)
        assert outbox.dispatch(breach + timedelta(minutes=2)).sent == 1
        assert outbox.dispatch(breach + timedelta(minutes=3)).sent == 0
        again = Outbox(engine, build_notifiers(settings.notifications)[0], settings.notifications.outbox)
        assert again.dispatch(breach + timedelta(minutes=4)).sent == 0
    finally:
        restarted.dispose()
    [request] = webhook.accepted
    assert (
        request.path == "/sla"
        and request.headers["x-shenava-delivery"] == f"sla:incident:{incident}:breached->lead"
    )
    body = request.json()
    assert body["kind"] == "sla_incident_breached" and body["incident_id"] == incident
    assert body["link"] == f"https://shenava.example/inbox/incident/{incident}"
    assert "مهلت پاسخ" in body["title"] and "گذشت" in body["title"]
    assert "مهلت پاسخ گذشت" in body["message"] and body["link"] in body["message"]
    rec = record(engine, "incident", incident)
    assert (rec.outcome, rec.escalated_to) == (BREACHED, ["lead"])


def test_a_concurrent_second_tracker_adds_no_second_delivery(engine: Engine, settings: Settings) -> None:
    """Two passes that both judged the breach (two processes) meet the outbox's unique key."""
    urgent = add_urgent(engine, TUESDAY_10)
    first = tracker(settings, engine, TUESDAY_10)
    first.run()
    with Session(engine) as session, session.begin():
        rec = session.scalars(select(SlaRecord)).one()
        rec.outcome = BREACHED  # as the other process left it, mid-pass: breached, not yet settled
    tracker(settings, engine, TUESDAY_10 + timedelta(minutes=16)).run()
    with Session(engine) as session, session.begin():
        session.scalars(select(SlaRecord)).one().escalated_at = None  # the other pass's view
    tracker(settings, engine, TUESDAY_10 + timedelta(minutes=17)).run()
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Delivery)) == 1
    [row] = deliveries(engine)
    assert row.payload["link"].endswith(f"/inbox/urgent/{urgent}")
    assert "اشارهٔ فوری" in row.payload["title"]


def test_brands_without_an_escalation_route_record_the_breach_only(
    engine: Engine, settings: Settings
) -> None:
    incident = add_incident(engine, TUESDAY_10, brand="tazeh")
    tracker(settings, engine, TUESDAY_10).run()
    tracker(settings, engine, TUESDAY_10 + timedelta(hours=2)).run()
    rec = record(engine, "incident", incident)
    assert rec.outcome == BREACHED and rec.escalated_to == [] and rec.escalated_at is not None
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Delivery)) == 0


def test_met_percent_per_brand_and_agent(engine: Engine, settings: Settings) -> None:
    ids = [add_incident(engine, TUESDAY_10) for _ in range(4)]
    ids.append(add_incident(engine, TUESDAY_10, brand="tazeh"))
    tracker(settings, engine, TUESDAY_10).run()
    with Session(engine) as session, session.begin():
        for item_id, who, minutes in ((ids[0], "sara", 3), (ids[1], "sara", 30), (ids[2], "ali", 5)):
            workflow.acknowledge(
                session, "incident", item_id, by=who, at=TUESDAY_10 + timedelta(minutes=minutes)
            )
        workflow.assign(session, "incident", ids[4], to="ali", at=TUESDAY_10 + timedelta(minutes=2))
    tracker(settings, engine, TUESDAY_10 + timedelta(hours=1)).run()
    with Session(engine) as session:
        report = sla_report(session, TUESDAY_10 - timedelta(days=1), TUESDAY_10 + timedelta(days=1))
        late_open = sla_report(session, None, None, kind="urgent")
    brands = {b.name: (b.met, b.breached, b.met_share) for b in report.brands}
    assert brands == {"sabzino": (2, 2, 0.5), "tazeh": (1, 0, 1.0)}
    agents = {a.name: (a.met, a.breached) for a in report.agents}
    # ids[3] was never answered nor assigned: its breach is nobody's (None)
    assert agents == {"ali": (2, 0), "sara": (1, 1), None: (0, 1)}
    assert report.overall.met_share == pytest.approx(3 / 5)
    assert late_open.brands == []
