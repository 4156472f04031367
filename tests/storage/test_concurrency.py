"""Two writers at once (the pipeline and an import, say) on both backends: no lost or doubled
mentions, no "database is locked", no lost listener counts."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import create_engine_from_url, init_db
from storage.repository import MentionStore, SaveResult
from tests.storage.factories import T0, item

WRITERS = 3
ITEMS = 40


def _in_threads(count: int, work: Callable[[int], object]) -> list[object]:
    results: list[object] = [None] * count
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = work(index)
        except BaseException as exc:  # reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.parametrize("shared_engine", [False, True], ids=["engine-each", "one-engine"])
def test_concurrent_writers_store_each_mention_once(db_url: str, shared_engine: bool) -> None:
    # separate engines stand for separate processes; one engine for the scheduler's threads
    engines = [create_engine_from_url(db_url) for _ in range(1 if shared_engine else WRITERS)]
    try:
        stores = [MentionStore(engines[i % len(engines)]) for i in range(WRITERS)]
        batches = [[item(n) for n in range(ITEMS)][::step] for step in (1, 2, 3)]  # overlapping
        results = _in_threads(WRITERS, lambda i: stores[i].save_batch(batches[i], None))
        saved = [r for r in results if isinstance(r, SaveResult)]
        assert sum(r.inserted for r in saved) == ITEMS
        assert sum(r.inserted + r.duplicates for r in saved) == sum(len(b) for b in batches)
        assert stores[0].count_mentions() == ITEMS
        all_ids = [i for r in saved for i in r.inserted_ids]
        assert len(all_ids) == len(set(all_ids)) == ITEMS
    finally:
        for engine in engines:
            engine.dispose()


def test_concurrent_listener_runs_lose_no_count(db_url: str) -> None:
    engines = [create_engine_from_url(db_url) for _ in range(WRITERS)]
    try:
        stores = [MentionStore(e) for e in engines]

        def runs(index: int) -> None:
            for n in range(10):
                stores[index].record_listener_run(
                    "x:search", "x", ok=n % 2 == 0, items=1, error_kind="unavailable", at=T0 + timedelta(n)
                )

        _in_threads(WRITERS, runs)
        (state,) = stores[0].listener_states()
        assert state.items_total == WRITERS * 10
    finally:
        for engine in engines:
            engine.dispose()


def test_sqlite_readers_do_not_block_the_writer(tmp_path: Path) -> None:
    # PostgreSQL readers never block writers; SQLite's only do outside WAL mode.
    db_url = f"sqlite:///{tmp_path / 'nested' / 'dir' / 'wal.db'}"  # parent directories are created
    init_db(db_url)
    reader = create_engine_from_url(db_url)
    writer = create_engine_from_url(db_url)
    try:
        with reader.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
            conn.exec_driver_sql("BEGIN")
            assert conn.execute(text("SELECT count(*) FROM mentions")).scalar() == 0  # holds a snapshot
            assert MentionStore(writer).save_batch([item(1)], None).inserted == 1
            assert conn.execute(text("SELECT count(*) FROM mentions")).scalar() == 0  # still its snapshot
            conn.exec_driver_sql("COMMIT")
        assert MentionStore(reader).count_mentions() == 1
    finally:
        reader.dispose()
        writer.dispose()
