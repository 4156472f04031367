"""``shenava status`` reads its times in the configured zone, like every other human-facing view."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from shenava.cli import app
from storage.db import create_engine_from_url, init_db
from storage.repository import MentionStore
from tests.alerts.builders import mention, stored_incident

ROOT = Path(__file__).resolve().parents[1]
WRITTEN = datetime(2026, 3, 1, 20, 50, tzinfo=UTC)  # 00:20 the next day in Tehran
OPENED = datetime(2026, 3, 1, 19, 45, tzinfo=UTC)


@pytest.mark.parametrize("zone", ["Asia/Tehran", "Europe/Berlin"])
def test_status_shows_times_in_the_configured_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    monkeypatch.delenv("SHENAVA_DATABASE_URL", raising=False)
    url = f"sqlite:///{tmp_path / 'shenava.db'}"
    init_db(url)
    engine = create_engine_from_url(url)
    MentionStore(engine).save_batch([mention(1, WRITTEN, "سفارشم از سبزینو نرسید")], None)
    with Session(engine) as session, session.begin():
        incident = stored_incident(session, raised=OPENED)
        incident.details = {**incident.details, "touchpoints": ["delivery", "support"]}
    engine.dispose()
    config = yaml.safe_load((ROOT / "config" / "shenava.yaml").read_text(encoding="utf-8"))
    config["storage"] = {"url": url}
    config["timezone"] = zone
    path = tmp_path / "shenava.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")

    result = CliRunner().invoke(app, ["status", "--config", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    local = ZoneInfo(zone)
    assert f"newest from {WRITTEN.astimezone(local):%Y-%m-%d %H:%M} (times in {zone})" in result.stdout
    assert f"{OPENED.astimezone(local):%Y-%m-%d %H:%M}" in result.stdout  # the open incident
    assert "+00:00" not in result.stdout
    assert "delivery, support" in result.stdout  # the touchpoints its alerts named
    report = CliRunner().invoke(app, ["status", "--json", "--config", str(path)])
    assert json.loads(report.stdout)["open_incidents"][0]["touchpoints"] == ["delivery", "support"]
