"""`make run` end to end: init, replay the bundled sample through the whole pipeline, alert."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import PostgresServer
from tests.e2e.conftest import SAMPLE, Workspace, assert_consistent, file_ids, make_workspace

pytestmark = pytest.mark.slow


def test_init_then_run_until_idle_stores_scores_and_alerts(workspace: Workspace) -> None:
    init = workspace.run("init")
    assert init.returncode == 0, init.stdout + init.stderr
    assert "configuration valid" in init.stdout and workspace.db.exists()

    run = workspace.run("run", "--until-idle", timeout=420)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]

    # every line of the sample stored exactly once, each scored
    expected = file_ids(SAMPLE)
    assert assert_consistent(workspace) == len(expected)
    labels = dict(workspace.query("SELECT sentiment_label, count(*) FROM mentions GROUP BY 1"))
    assert set(labels) <= {"negative", "neutral", "positive"} and sum(labels.values()) == len(expected)
    assert labels.get("negative", 0) > 200 and labels.get("positive", 0) > 200
    brands = dict(workspace.query("SELECT brand, count(*) FROM mention_brands GROUP BY 1"))
    assert {"sabzino", "nobank", "tazeh"} <= set(brands)

    # the day-5 Sabzino outage opened an incident, and the file channel received it
    incidents = workspace.query("SELECT brand, opened_at FROM incidents")
    assert any(brand == "sabzino" and str(opened).startswith("2026-10-07") for brand, opened in incidents), (
        incidents
    )
    delivered = [
        json.loads(line)["event"] for line in workspace.alerts.read_text(encoding="utf-8").splitlines()
    ]
    assert any(e["kind"] == "incident_opened" and e["brand"] == "sabzino" for e in delivered), delivered[:3]

    # the console said what happened, and one log line per batch carried counts and timings
    assert "stored" in run.stdout and "ALERT" in run.stdout
    # its count of alerts is what the channels got: urgent mentions too, not only incidents
    kinds = Counter(e["kind"] for e in delivered)
    said = re.search(r"this run alerted (\d+) urgent mention\(s\) and (\d+) incident update\(s\)", run.stdout)
    assert said, run.stdout[-2000:]
    incident_kinds = sum(n for kind, n in kinds.items() if kind.startswith("incident_"))
    assert (int(said[1]), int(said[2])) == (kinds["urgent_mention"], incident_kinds), kinds
    assert kinds["urgent_mention"] > 0 and incident_kinds > 0
    # and the urgent mentions the outage's incident covered are counted apart: with the pages they
    # make up the inbox's urgent rows
    folded = re.search(r"(\d+) more urgent mention\(s\) went into an open incident, not paged", run.stdout)
    assert folded, run.stdout[-2000:]
    [(rows, folded_rows)] = workspace.query(
        "SELECT count(*), sum(CASE WHEN details LIKE '%folded_into_incident%' THEN 1 ELSE 0 END)"
        " FROM urgent_alerts"
    )
    assert int(folded[1]) == folded_rows > 0 and rows == int(said[1]) + folded_rows, (rows, folded_rows)
    assert "fetched=" in output and "analyse_ms=" in output and "store_ms=" in output

    status = workspace.run("status", "--json")
    assert status.returncode == 0, status.stderr
    report = json.loads(status.stdout)
    assert report["mentions"] == len(expected)
    [listener] = report["listeners"]
    assert listener["key"] == "replay:mentions" and listener["last_error"] is None
    assert listener["checkpoint"]["lines"] == len(SAMPLE.read_text(encoding="utf-8").splitlines())


@pytest.mark.postgres
def test_run_on_postgresql_stores_each_mention_once(tmp_path: Path, pg_server: PostgresServer) -> None:
    """The production path: the same service on PostgreSQL, picked by SHENAVA_DATABASE_URL."""
    from sqlalchemy import create_engine, text

    short = tmp_path / "short.jsonl"
    short.write_text(
        "".join(SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[:300]), encoding="utf-8"
    )
    ws = make_workspace(tmp_path / "ws", replay_file=short, speed=200_000, sentiment_model="fallback")
    url = pg_server.create_database()
    try:
        result = subprocess.run(
            ws.command("run", "--until-idle"),
            cwd=ws.dir,
            env={**ws.env(), "SHENAVA_DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                stored = [r[0] for r in conn.execute(text("SELECT external_id FROM mentions"))]
                [lines] = conn.execute(text("SELECT state FROM listener_checkpoints")).one()
        finally:
            engine.dispose()
        assert sorted(stored) == sorted(file_ids(short)) and lines["lines"] == 300
        assert not ws.db.exists()  # nothing went to the embedded default
    finally:
        pg_server.drop_database(url)
