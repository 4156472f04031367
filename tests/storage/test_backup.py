"""``storage.backup`` on a SQLite archive that is being written: the copy is consistent, and a
restore brings back exactly its rows and search results."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage.backup import BackupError, backup, restore
from storage.db import create_engine_from_url
from storage.models import Mention
from storage.query import MentionQuery
from storage.repository import MentionStore
from storage.search import search_mentions
from tests.storage.factories import item


def _snapshot(url: str) -> tuple[list[int], list[int], int]:
    engine = create_engine_from_url(url)
    try:
        with Session(engine) as session:
            ids = list(session.scalars(select(Mention.id).order_by(Mention.id)))
            found = [h.id for h in search_mentions(session, MentionQuery(text="سبزینو", limit=1000)).items]
            # the FTS5 index agrees with its content table
            session.execute(text("INSERT INTO mentions_fts(mentions_fts) VALUES ('integrity-check')"))
            indexed = session.execute(text("SELECT count(*) FROM mentions_fts")).scalar_one()
        return ids, sorted(found), indexed
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_backup_while_writing_then_restore(db_url: str, store: MentionStore, tmp_path: Path) -> None:
    store.save_batch([item(n) for n in range(300)], None)
    stop = threading.Event()
    written = [300]

    def writer() -> None:
        n = 300
        while not stop.is_set():
            store.save_batch([item(n + k) for k in range(50)], None)
            n += 50
            written[0] = n

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copy = tmp_path / "backups" / "archive.db"
        copied = backup(db_url, copy)
    finally:
        stop.set()
        thread.join()
    assert 300 <= copied <= written[0]
    ids, found, indexed = _snapshot(f"sqlite:///{copy}")
    assert len(ids) == copied == indexed and len(found) == min(copied, 1000)
    assert not copy.with_name("archive.db.partial").exists()
    store.engine.dispose()
    assert restore(copy, db_url) == copied
    assert _snapshot(db_url) == (ids, found, indexed)


def test_backup_refuses_what_it_cannot_copy(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="pg_dump"):
        backup("postgresql+psycopg://u@h/db", tmp_path / "x.db")
    with pytest.raises(BackupError, match="does not exist"):
        backup(f"sqlite:///{tmp_path / 'missing.db'}", tmp_path / "x.db")
    not_archive = tmp_path / "other.db"
    sqlite3.connect(not_archive).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(BackupError, match="not a Shenava archive"):
        restore(not_archive, f"sqlite:///{tmp_path / 'target.db'}")
