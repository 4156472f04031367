"""Issue 15 item 7: a full database degrades the service, it does not kill it.

A real SQLite archive on a small tmpfs fills up while a listener runs: the job reports
``storage`` once (one warning, not one traceback per retry), the checkpoint stays where the last
stored batch left it, the listener stops fetching until its backoff passes; the tmpfs is enlarged
and the job resumes by itself with nothing lost or stored twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from domain.checkpoint import Checkpoint
from domain.mention import RawMention
from listeners.base import Listener, ListenerBatch
from tests.hostile.tmpfs import remount, tmpfs

TOTAL = 1200
PAD = "سفارشم از سبزینو نرسید و پشتیبانی جواب نمی‌ده " * 12


class Numbered(Listener):
    source = "x"

    def __init__(self) -> None:
        super().__init__("x:full")
        self.fetched = 0

    def fetch(self, checkpoint: Checkpoint | None) -> Iterator[ListenerBatch]:
        pos = checkpoint.state["pos"] if checkpoint else 0
        start = datetime(2026, 10, 3, tzinfo=UTC)
        while pos < TOTAL:
            batch = [
                RawMention(
                    source="x",
                    external_id=f"n{i}",
                    text=f"{PAD} {i}",
                    created_at=start + timedelta(minutes=i),
                )
                for i in range(pos, min(pos + 50, TOTAL))
            ]
            self.fetched += len(batch)
            pos += len(batch)
            yield ListenerBatch(batch, Checkpoint(self.key, {"pos": pos}))


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_full_database_is_reported_once_and_recovers_when_space_returns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from config.loader import BUNDLED_CONFIG, load_settings
    from nlp.analyzer import Analyzer
    from nlp.sentiment import LexiconFallbackSentimentModel
    from shenava.service.listener_job import ListenerJob
    from shenava.service.pipeline import Pipeline
    from storage.db import create_engine_from_url, init_db
    from storage.repository import MentionStore

    analyzer = Analyzer.from_settings(
        load_settings(BUNDLED_CONFIG), sentiment_model=LexiconFallbackSentimentModel()
    )
    with tmpfs(tmp_path / "db", "1500k") as mount:
        url = f"sqlite:///{mount / 'shenava.db'}"
        init_db(url)
        engine = create_engine_from_url(url)
        pipeline = Pipeline(MentionStore(engine), analyzer)
        clock, listener = Clock(), Numbered()
        job = ListenerJob(listener, pipeline, monotonic=clock)
        with caplog.at_level(logging.DEBUG, logger="shenava.job"):
            first = job()
            assert first.error_kind == "storage", first
            stored_then = pipeline.store.load_checkpoint("x:full")
            pos = stored_then.state["pos"] if stored_then else 0
            assert pos < TOTAL
            for _ in range(5):  # retries while the disk stays full: skipped or failing, said once
                clock.now += 1000
                assert job().error_kind in ("storage", None)
            fetched_while_full = listener.fetched
            clock.now += 0.5
            assert job().skipped  # inside the backoff: nothing is fetched, nothing held in memory
            assert listener.fetched == fetched_while_full
        warnings = [
            r for r in caplog.records if r.levelno >= logging.WARNING and "error=storage" in r.getMessage()
        ]
        assert len(warnings) == 1, [r.getMessage() for r in warnings]
        assert not any(r.exc_info for r in caplog.records if r.name == "shenava.job")
        assert "INSERT" not in warnings[0].getMessage()
        checkpoint = pipeline.store.load_checkpoint("x:full")
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT count(*) FROM mentions")).scalar_one()
        assert stored == (checkpoint.state["pos"] if checkpoint else 0)  # the checkpoint never ran ahead

        remount(mount, "size=64m")
        clock.now += 10_000
        with caplog.at_level(logging.INFO, logger="shenava.job"):
            report = job()
        assert report.error_kind is None, report
        assert any("recovered" in r.getMessage() for r in caplog.records)
        with engine.connect() as conn:
            ids = [row[0] for row in conn.execute(text("SELECT external_id FROM mentions"))]
        assert sorted(ids) == sorted(f"n{i}" for i in range(TOTAL))
        assert pipeline.store.load_checkpoint("x:full").state == {"pos": TOTAL}
        engine.dispose()
