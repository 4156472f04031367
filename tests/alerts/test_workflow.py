"""Support workflow: ack/assign/resolve with recorded times, via the service module and the CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from alerts import workflow
from shenava.cli import app
from storage.models import Incident, UrgentAlert
from storage.repository import MentionStore
from tests.alerts.builders import T0, mention, stored_incident

RAISED = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def _incident(session: Session, brand: str = "sabzino", minutes_ago: int = 0) -> Incident:
    return stored_incident(session, brand=brand, raised=RAISED - timedelta(minutes=minutes_ago))


def test_lifecycle_records_who_and_when(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        item = _incident(session)
        item_id = item.id
        workflow.acknowledge(session, "incident", item.id, by="sara", at=RAISED + timedelta(minutes=4))
        workflow.acknowledge(session, "incident", item.id, by="ali", at=RAISED + timedelta(minutes=9))
        workflow.assign(session, "incident", item.id, to="reza", by="sara", at=RAISED + timedelta(minutes=5))
        workflow.resolve(
            session, "incident", item.id, by="reza", note="پیک‌ها برگشتند", at=RAISED + timedelta(hours=2)
        )
        with pytest.raises(workflow.WorkflowError, match="already resolved"):
            workflow.assign(session, "incident", item.id, to="x")
        with pytest.raises(workflow.WorkflowError, match="does not exist"):
            workflow.acknowledge(session, "incident", 999, by="sara")
        with pytest.raises(workflow.WorkflowError, match="--by"):
            workflow.acknowledge(session, "urgent", 1, by="  ")
    with Session(engine) as session:
        stored = session.get(Incident, item_id)
        assert stored is not None
        assert (stored.status, stored.acknowledged_by, stored.assigned_to, stored.resolved_by) == (
            "resolved",
            "sara",
            "reza",
            "reza",
        )
        assert stored.acknowledged_at == RAISED + timedelta(minutes=4)
        assert [h["action"] for h in stored.details["history"]] == ["acknowledge", "assign", "resolve"]
        assert stored.details["history"][-1]["note"] == "پیک‌ها برگشتند"


def test_report_median_and_p90_per_brand(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        for minutes in (2, 4, 6, 8, 100):
            item = _incident(session)
            workflow.acknowledge(session, "incident", item.id, by="a", at=RAISED + timedelta(minutes=minutes))
            workflow.resolve(
                session, "incident", item.id, by="a", at=RAISED + timedelta(minutes=10 * minutes)
            )
        auto = _incident(session, brand="nobank")
        auto.status, auto.resolved_by, auto.resolved_at = "resolved", "detector", RAISED + timedelta(hours=1)
        _incident(session, brand="nobank")
    with Session(engine) as session:
        stats = {(s.brand, s.kind): s for s in workflow.response_report(session)}
    sabzino = stats[("sabzino", "incident")]
    assert sabzino.tta_median_s == 6 * 60 and sabzino.ttr_median_s == 60 * 60
    assert sabzino.tta_p90_s == pytest.approx((8 + 0.6 * 92) * 60)
    nobank = stats[("nobank", "incident")]
    assert (nobank.total, nobank.open, nobank.resolved_by_people, nobank.ttr_median_s) == (2, 1, 0, None)


def _config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "shenava.yaml"
    path.write_text(
        "brands:\n  - name: sabzino\n    aliases_fa: [سبزینو]\n    handles: [sabzino]\n"
        f"storage:\n  url: {url}\n",
        encoding="utf-8",
    )
    return path


def test_cli_incidents_and_urgent(
    db_url: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHENAVA_DATABASE_URL", raising=False)  # it would override the file's storage.url
    ids = MentionStore(engine).save_batch([mention(1, T0, "کلاهبرداری")], None).inserted_ids
    with Session(engine) as session, session.begin():
        incident = _incident(session, minutes_ago=30)
        incident.details = {**incident.details, "touchpoints": ["delivery", "support"]}  # as named
        incident_id = incident.id
        urgent = UrgentAlert(
            mention_id=ids[0],
            brand="sabzino",
            conversation_key="x:m1",
            status="open",
            urgency=0.9,
            created_at=RAISED,
            updated_at=RAISED,
            details={},
        )
        session.add(urgent)
        session.flush()
        urgent_id = urgent.id
    config = str(_config(tmp_path, db_url))
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, [*args, "--config", config])
        assert result.exit_code == 0, result.output
        return result.output

    listed = json.loads(run("incidents", "list", "--json"))
    assert [i["id"] for i in listed] == [incident_id] and listed[0]["status"] == "open"
    run("incidents", "ack", str(incident_id), "--by", "sara")
    run("incidents", "assign", str(incident_id), "--to", "reza")
    run("incidents", "resolve", str(incident_id), "--by", "reza", "--note", "done")
    assert json.loads(run("incidents", "list", "--json")) == []
    shown = json.loads(run("incidents", "show", str(incident_id)))
    assert shown["status"] == "resolved" and shown["assigned_to"] == "reza"
    assert shown["touchpoints"] == ["delivery", "support"]  # what its alerts and the inbox named
    report = json.loads(run("incidents", "report", "--json"))
    assert report[0]["brand"] == "sabzino" and report[0]["tta_median_s"] >= 30 * 60
    assert "sabzino" in run("incidents", "report")

    assert json.loads(run("urgent", "list", "--json"))[0]["mention_id"] == ids[0]
    # the table says when it happened (the mention's time, in Tehran), not when it was detected
    listed_urgent = run("urgent", "list")
    assert "2026-03-01 03:30" in listed_urgent and "mention time" in listed_urgent
    run("urgent", "resolve", str(urgent_id), "--by", "sara")
    again = runner.invoke(app, ["urgent", "resolve", str(urgent_id), "--by", "sara", "--config", config])
    assert again.exit_code == 1 and "already resolved" in again.output
    missing = runner.invoke(app, ["incidents", "ack", "999", "--by", "x", "--config", config])
    assert missing.exit_code == 1 and "does not exist" in missing.output
