"""Write throughput of ``MentionStore.save_batch`` on SQLite and (if reachable) PostgreSQL.

Prints mentions/second for fresh inserts and for re-saving the same batches (all duplicates),
with 100-mention batches each carrying a checkpoint, as the pipeline writes them.
Run: ``.venv/bin/python -m benchmarks storage``. PostgreSQL: ``SHENAVA_BENCH_PG_URL`` or
postgres@127.0.0.1:5432 (a scratch database is created and dropped).
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from domain.analysis import MentionAnalysis, SentimentResult
from domain.checkpoint import Checkpoint
from domain.mention import RawMention
from storage.db import create_engine_from_url, init_db, normalize_url
from storage.repository import MentionStore

TOTAL = 5_000
BATCH = 100
T0 = datetime(2026, 3, 1, tzinfo=UTC)
SENTIMENT = SentimentResult("negative", -0.7, {"negative": 0.8, "neutral": 0.1, "positive": 0.1})


def _batches() -> list[list[tuple[RawMention, MentionAnalysis]]]:
    items = []
    for n in range(TOTAL):
        body = f"سفارش {n} از سبزینو هنوز نرسیده، پشتیبانی هم جواب نمیده #سبزینو"
        raw = RawMention(
            source="x",
            external_id=str(10**12 + n),
            text=body,
            created_at=T0 + timedelta(seconds=30 * n),
            author_handle=f"user{n % 300}",
            author_followers=n % 5000,
            conversation_id=str(n // 3),
            metrics={"like_count": n % 7, "reply_count": 1},
            raw={"id": n, "lang": "fa"},
        )
        analysis = MentionAnalysis(body, "fa", ["sabzino"], SENTIMENT, ["delivery", "support"], 0.6, {})
        items.append((raw, analysis))
    return [items[i : i + BATCH] for i in range(0, TOTAL, BATCH)]


def _measure(name: str, url: str) -> None:
    init_db(url)
    engine = create_engine_from_url(url)
    store = MentionStore(engine)
    batches = _batches()
    for label in ("insert", "re-save (duplicates)"):
        start = time.perf_counter()
        for i, batch in enumerate(batches):
            store.save_batch(batch, Checkpoint("bench", {"cursor": i}))
        elapsed = time.perf_counter() - start
        print(
            f"{name:10s} {label:22s} {TOTAL / elapsed:8.0f} mentions/s  "
            f"({elapsed / len(batches) * 1000:.1f} ms per {BATCH}-mention batch)"
        )
    assert store.count_mentions() == TOTAL
    engine.dispose()


def main() -> None:
    print(f"{TOTAL} mentions in batches of {BATCH}, one transaction per batch with its checkpoint")
    with tempfile.TemporaryDirectory() as tmp:
        _measure("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}")
    admin_url = normalize_url(
        os.environ.get("SHENAVA_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    admin = create_engine_from_url(admin_url, isolation_level="AUTOCOMMIT")
    name = f"shenava_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
    except Exception as exc:  # no server: the SQLite figures still stand
        print(f"postgresql skipped: {type(exc).__name__}: {exc}".splitlines()[0])
        return
    try:
        _measure("postgresql", admin_url.set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
