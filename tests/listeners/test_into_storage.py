"""Listeners run by the service's generic job into real storage (SQLite), then ``shenava sources``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from listeners.twitter import TwitterListener
from nlp.analyzer import Analyzer
from nlp.sentiment.fallback import LexiconFallbackSentimentModel
from shenava.cli import app
from shenava.service.listener_job import ListenerJob
from shenava.service.pipeline import Pipeline
from shenava.service.sources import build_listeners
from storage.db import create_engine_from_url, init_db
from storage.repository import MentionStore
from tests.listeners.harness import BRANDS, HTTP
from tests.listeners.servers.web import WebSourceServer
from tests.listeners.servers.x_api import XApiServer


@pytest.fixture
def servers() -> Iterator[tuple[XApiServer, WebSourceServer]]:
    with XApiServer() as x, WebSourceServer() as web:
        yield x, web  # type: ignore[misc]


@pytest.fixture
def config(tmp_path: Path, servers, monkeypatch: pytest.MonkeyPatch) -> Path:
    x, web = servers
    monkeypatch.setenv("SHENAVA_X_BEARER_TOKEN", XApiServer.token)
    monkeypatch.delenv("SHENAVA_DATABASE_URL", raising=False)
    doc = {
        "brands": BRANDS,
        "storage": {"url": f"sqlite:///{tmp_path / 'shenava.db'}"},
        "sources": {
            "replay": {"enabled": False},
            "x": {"base_url": x.url, "page_size": 10, "http": HTTP},
            "web": {
                "telegram": {"base_url": web.url, "channels": ["sabzino_news"]},
                "download_delay": 0,
                "http": HTTP,
            },
        },
    }
    path = tmp_path / "shenava.yaml"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    return path


def test_jobs_store_everything_once_and_sources_reports_it(config: Path, servers) -> None:
    from config.loader import load_settings

    x, web = servers
    settings = load_settings(config)
    init_db(settings.storage.url)
    engine = create_engine_from_url(settings.storage.url)
    pipeline = Pipeline(
        MentionStore(engine), Analyzer.from_settings(settings, LexiconFallbackSentimentModel())
    )
    listeners = {lst.key: lst for lst in build_listeners(settings)}
    assert set(listeners) == {"x:search:sabzino", "telegram:sabzino_news"}

    x.add_tweets(23)
    web.add(7)
    reports = [ListenerJob(lst, pipeline)() for lst in listeners.values()]
    assert {r.key: r.inserted for r in reports} == {"x:search:sabzino": 23, "telegram:sabzino_news": 7}

    # A rate limit mid-window: the first page is stored with its checkpoint, the job records the error.
    x.add_tweets(15)
    job = ListenerJob(listeners["x:search:sabzino"], pipeline)
    original_route = x.route
    calls = {"n": 0}

    def second_page_limited(seen):
        calls["n"] += 1
        return x.fault("429", seen) if calls["n"] == 2 else original_route(seen)

    x.route = second_page_limited  # type: ignore[method-assign]
    report = job()
    assert report.error_kind == "rate_limited" and report.inserted == 10
    x.route = original_route  # type: ignore[method-assign]

    # A restart (new listener objects, same storage) picks up exactly the rest.
    fresh = TwitterListener.from_settings(settings)[0]
    again = ListenerJob(fresh, pipeline)()
    assert (again.inserted, again.duplicates, again.error_kind) == (5, 0, None)
    assert ListenerJob(fresh, pipeline)().inserted == 0

    result = CliRunner().invoke(app, ["sources", "--config", str(config), "--json"])
    assert result.exit_code == 0, result.output
    by_name = {r["name"]: r for r in json.loads(result.output)}
    assert by_name["x"]["configured"] and by_name["x"]["items_24h"] == 38
    target = by_name["x"]["targets"][0]
    assert target["key"] == "x:search:sabzino" and "since_id" in target["checkpoint"]
    assert target["last_error_kind"] == "rate_limited" and target["consecutive_failures"] == 0
    assert target["last_ok_at"] == target["last_run_at"]
    assert by_name["telegram"]["items_24h"] == 7
    assert not by_name["instagram"]["configured"] and "profiles" in by_name["instagram"]["reason"]
    assert not by_name["replay"]["configured"]

    table = CliRunner().invoke(app, ["sources", "--config", str(config)])
    assert table.exit_code == 0 and "x:search:sabzino" in table.output
    engine.dispose()
