"""``shenava channels``: readiness, backlog and a test message through a real local endpoint."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from alerts.events import UrgentMention
from alerts.notifiers.webhook import SIGNATURE_HEADER
from alerts.outbox import enqueue
from shenava.cli import app
from tests.alerts.servers import ScriptedServer, json_reply


def _config(tmp_path: Path, url: str, hook_url: str) -> str:
    path = tmp_path / "shenava.yaml"
    path.write_text(
        "brands:\n  - name: sabzino\n"
        f"storage:\n  url: {url}\n"
        "notifications:\n  channels:\n"
        f"    - {{name: hook, type: webhook, url: '{hook_url}', secret_env: SHENAVA_TEST_HOOK_SECRET}}\n"
        "    - {name: tg, type: telegram, chat_id: '-100', bot_token_env: SHENAVA_TEST_MISSING_TOKEN}\n",
        encoding="utf-8",
    )
    return str(path)


def test_channels_lists_state_and_backlog_and_sends_a_test(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHENAVA_DATABASE_URL", raising=False)  # it would override the file's storage.url
    monkeypatch.setenv("SHENAVA_TEST_HOOK_SECRET", "s3cret")
    monkeypatch.delenv("SHENAVA_TEST_MISSING_TOKEN", raising=False)
    server = ScriptedServer(lambda request: json_reply(200, {"ok": True}))
    now = datetime.now(UTC)
    with Session(sqlite_engine) as session, session.begin():
        event = UrgentMention(brand="sabzino", severity="high", at=now, urgent_id=1, mention_id=1)
        enqueue(session, event, [("hook", "hook", now)], now)
    config = _config(tmp_path, str(sqlite_engine.url), f"{server.url}/in")
    runner = CliRunner()
    try:
        listed = runner.invoke(app, ["channels", "--json", "--config", config])
        assert listed.exit_code == 0, listed.output
        rows = {row["name"]: row for row in json.loads(listed.output)}
        assert rows["hook"]["state"] == "ready" and rows["hook"]["pending"] == 1
        assert "SHENAVA_TEST_MISSING_TOKEN" in rows["tg"]["state"]
        sent = runner.invoke(app, ["channels", "--test", "hook", "--config", config])
        assert sent.exit_code == 0, sent.output
        assert server.accepted[0].headers[SIGNATURE_HEADER.lower()].startswith("sha256=")
        refused = runner.invoke(app, ["channels", "--test", "tg", "--config", config])
        assert refused.exit_code == 2 and "SHENAVA_TEST_MISSING_TOKEN" in refused.output
    finally:
        server.close()
