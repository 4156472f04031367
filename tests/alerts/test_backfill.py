"""Backfill and replay are honest: past data is recorded (flagged, in mention time) without paging;
a replay that judges a whole burst in one pass still pages its opening once, before its end."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alerts.engine import AlertEngine
from alerts.events import INCIDENT_OPENED, INCIDENT_RESOLVED, URGENT_MENTION
from alerts.workflow import to_json
from config.settings import Settings
from shenava.api.routes_support import IncidentOut
from storage.models import Delivery, Incident, Mention, UrgentAlert
from storage.repository import MentionStore
from tests.alerts.builders import T0, mention, seed_background, seed_burst

SPIKE = T0 + timedelta(days=2, hours=10)
END = T0 + timedelta(days=2, hours=22)


def _seed(engine: Engine) -> None:
    store = MentionStore(engine)
    seed_background(store, days=3.0)
    seed_burst(store, SPIKE)
    # an urgent mention (crisis words) written during the burst
    store.save_batch(
        [mention(900_000, SPIKE + timedelta(minutes=3), "سبزینو کلاهبرداری کرد", urgency=0.2)], None
    )


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_one_pass_over_a_whole_burst_pages_its_opening_once_and_in_order(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    """A 10,000× replay judges hours of mention time per pass: the incident opens and resolves
    inside one pass, and both still go out, once, opening first."""
    _seed(sqlite_engine)
    alerts = AlertEngine(settings, sqlite_engine)
    events = alerts.detect(END)
    kinds = [e.kind for e in events]
    assert kinds.count(INCIDENT_OPENED) == 1 and kinds.count(INCIDENT_RESOLVED) == 1
    alerts.dispatch()
    alerts.detect(END)  # nothing new
    assert alerts.dispatch().sent == 0
    sent = [line["event"]["kind"] for line in _lines(tmp_path / "alerts.jsonl")]
    incident_kinds = [k for k in sent if k.startswith("incident_")]
    assert incident_kinds[0] == INCIDENT_OPENED and incident_kinds[-1] == INCIDENT_RESOLVED
    assert incident_kinds.count(INCIDENT_OPENED) == 1 and incident_kinds.count(INCIDENT_RESOLVED) == 1
    opened = next(
        line for line in _lines(tmp_path / "alerts.jsonl") if line["event"]["kind"] == INCIDENT_OPENED
    )
    # the message says when it happened (mention time, Tehran), and links into the inbox
    assert "ساعت ۱۳:" in opened["text"] and "/inbox/incident/" in opened["text"]


def test_past_data_is_recorded_in_mention_time_and_pages_nobody(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    _seed(sqlite_engine)
    now = END + timedelta(days=30)  # an import a month later
    alerts = AlertEngine(settings, sqlite_engine, clock=lambda: now)
    alerts.backfill_guard = True
    with Session(sqlite_engine) as session:
        mention_ids = list(session.scalars(select(Mention.id).order_by(Mention.id)))
    urgent = alerts.on_stored(mention_ids)
    events = alerts.detect(END)
    assert [e.kind for e in urgent] == [URGENT_MENTION]
    assert [e.kind for e in events].count(INCIDENT_OPENED) == 1
    assert alerts.backfilled == len(urgent) + len(events)
    with Session(sqlite_engine) as session:
        assert session.scalars(select(Delivery)).all() == []
        incident = session.scalars(select(Incident)).one()
        view = to_json("incident", incident)
        assert view["backfilled"] is True
        assert SPIKE <= datetime.fromisoformat(view["opened_at"]) < SPIKE + timedelta(minutes=30)
        assert SPIKE <= datetime.fromisoformat(view["peak_at"]) < SPIKE + timedelta(minutes=30)
        ended = datetime.fromisoformat(view["ended_at"])
        assert SPIKE + timedelta(minutes=30) <= ended <= END
        assert datetime.fromisoformat(view["happened_at"]) == datetime.fromisoformat(view["opened_at"])
        api = IncidentOut.model_validate(incident)  # the HTTP API shows the same mention times
        assert api.backfilled and api.opened_at == incident.opened_at and api.ended_at == ended
        row = session.scalars(select(UrgentAlert)).one()
        urgent_view = to_json("urgent", row)
        assert urgent_view["backfilled"] is True
        assert datetime.fromisoformat(urgent_view["happened_at"]) == SPIKE + timedelta(minutes=3)
    assert alerts.dispatch().sent == 0


def test_fresh_data_in_a_backfill_still_pages(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    """An import of what happened minutes ago (or a service after a short pause) pages as usual."""
    _seed(sqlite_engine)
    alerts = AlertEngine(settings, sqlite_engine, clock=lambda: SPIKE + timedelta(minutes=50))
    alerts.backfill_guard = True
    events = alerts.detect(SPIKE + timedelta(minutes=40))  # the burst is still on at the pass's end
    assert [e.kind for e in events].count(INCIDENT_OPENED) == 1
    assert alerts.backfilled == 0
    ongoing = AlertEngine(settings, sqlite_engine, clock=lambda: END + timedelta(minutes=10))
    ongoing.backfill_guard = True
    ongoing.detect(END)
    assert ongoing.backfilled == 0  # it was paged: its end is paged too
    ongoing.dispatch()
    kinds = [line["event"]["kind"] for line in _lines(tmp_path / "alerts.jsonl")]
    assert kinds.count(INCIDENT_OPENED) == 1 and kinds.count(INCIDENT_RESOLVED) == 1
