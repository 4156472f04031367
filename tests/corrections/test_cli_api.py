"""The correction through the CLI (``shenava mentions correct|show``) and the API (any role, audited)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from config.settings import Settings
from domain.analysis import SentimentResult
from domain.brands import BrandSettings
from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from shenava.cli import app
from storage.accounts import AuditEntry
from storage.db import session_factory
from storage.repository import MentionStore
from tests.storage.factories import analysis, raw_mention

KEYS = {"analyst": "analyst-key-0123456789", "support": "support-key-0123456789"}
POSITIVE = SentimentResult(
    label="positive", score=0.6, probs={"negative": 0.2, "neutral": 0.0, "positive": 0.8}
)


@pytest.fixture
def mention_id(store: MentionStore) -> int:
    raw = raw_mention(1)
    return store.save_batch(
        [(raw, analysis(raw.text, sentiment=POSITIVE, sentiment_model="builtin"))], None
    ).inserted_ids[0]


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    ring = ApiKeyRing.parse(f"ana:analyst:{KEYS['analyst']}; sam:support:{KEYS['support']}")
    settings = Settings(brands=[BrandSettings(name="sabzino")])
    with TestClient(create_app(settings, engine, ring)) as test_client:
        yield test_client


def test_cli_correct_then_show(db_url: str, mention_id: int, tmp_path: Path) -> None:
    config = tmp_path / "shenava.yaml"
    config.write_text(f"brands:\n  - name: sabzino\nstorage:\n  url: '{db_url}'\n", encoding="utf-8")
    runner = CliRunner()
    args = ["--touchpoints", "delivery,support", "--by", "maryam", "-c", str(config)]
    done = runner.invoke(app, ["mentions", "correct", str(mention_id), "--sentiment", "negative", *args])
    assert done.exit_code == 0, done.output
    assert "positive → negative" in done.output and "delivery,support" in done.output
    shown = runner.invoke(app, ["mentions", "show", str(mention_id), "-c", str(config)])
    assert shown.exit_code == 0, shown.output
    assert "positive (+0.60)" in shown.output and "scored by model: builtin" in shown.output
    assert "maryam: sentiment positive → negative; touchpoints delivery → delivery,support" in shown.output
    bad = runner.invoke(app, ["mentions", "correct", str(mention_id), "--sentiment", "angry", "--by", "x",
                              "-c", str(config)])  # fmt: skip
    assert bad.exit_code == 1 and "sentiment must be one of" in bad.output
    missing = runner.invoke(app, ["mentions", "show", "999999", "-c", str(config)])
    assert missing.exit_code == 1 and "no mention with id 999999" in missing.output


def test_api_correction_any_role_audited(client: TestClient, mention_id: int, engine: Engine) -> None:
    url = f"/api/v1/mentions/{mention_id}/corrections"
    answer = client.post(url, json={"sentiment": "negative", "reason": "sarcasm"},
                         headers={"X-API-Key": KEYS["analyst"]})  # fmt: skip
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["sentiment"], body["model_sentiment"], body["touchpoints"]) == (
        "negative",
        "positive",
        ["delivery"],
    )
    assert body["corrections"][0]["by"] == "api:ana"
    second = client.post(url, json={"touchpoints": []}, headers={"X-API-Key": KEYS["support"]})
    assert second.status_code == 201 and second.json()["touchpoints"] == []
    assert second.json()["model_touchpoints"] == ["delivery"]
    listed = client.get(
        "/api/v1/mentions", params={"sentiment": "negative"}, headers={"X-API-Key": KEYS["support"]}
    )
    assert [m["id"] for m in listed.json()["items"]] == [mention_id]
    assert client.post(url, json={}, headers={"X-API-Key": KEYS["support"]}).status_code == 422
    assert (
        client.post(url, json={"sentiment": "angry"}, headers={"X-API-Key": KEYS["support"]}).status_code
        == 422
    )
    assert client.post(url, json={"sentiment": "neutral"}).status_code == 401
    missing = client.post("/api/v1/mentions/999999/corrections", json={"sentiment": "neutral"},
                          headers={"X-API-Key": KEYS["support"]})  # fmt: skip
    assert missing.status_code == 404
    history = client.get(url, headers={"X-API-Key": KEYS["analyst"]}).json()["corrections"]
    assert [c["by"] for c in history] == ["api:ana", "api:sam"]
    with session_factory(engine)() as session:
        actors = session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "mention.correct")).all()
    assert actors == ["api:ana", "api:sam"]
