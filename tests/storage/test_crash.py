"""A process killed in the middle of a batch: what was committed survives, the half-written batch
and its checkpoint vanish, and the database is still sound to resume on."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import text

from domain.checkpoint import Checkpoint
from storage.repository import MentionStore
from tests.storage.factories import item

REPO = Path(__file__).resolve().parents[2]
CRASH_EXIT = 37

WRITER = textwrap.dedent(
    f"""
    import os, sys
    from sqlalchemy import event
    from domain.checkpoint import Checkpoint
    from storage.db import create_engine_from_url
    from storage.repository import MentionStore
    from tests.storage.factories import item

    engine = create_engine_from_url(sys.argv[1])
    store = MentionStore(engine)
    store.save_batch([item(n) for n in range(10)], Checkpoint("x:search", {{"cursor": 10}}))

    def die_before_commit(conn, clause, *args):
        if getattr(getattr(clause, "table", None), "name", None) == "listener_checkpoints":
            os._exit({CRASH_EXIT})  # no rollback, no cleanup: as if the power went

    event.listen(engine, "after_execute", die_before_commit)
    store.save_batch([item(n) for n in range(10, 20)], Checkpoint("x:search", {{"cursor": 20}}))
    """
)


def test_killed_writer_loses_only_its_open_batch(db_url: str, store: MentionStore, tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, str(script), db_url], cwd=REPO, env=env, capture_output=True, timeout=120
    )
    assert done.returncode == CRASH_EXIT, done.stderr.decode()[-2000:]

    assert store.count_mentions() == 10
    assert store.load_checkpoint("x:search") == Checkpoint("x:search", {"cursor": 10})
    if store.engine.dialect.name == "sqlite":
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            # FTS5 raises "database disk image is malformed" if the index disagrees with mentions
            conn.execute(text("INSERT INTO mentions_fts(mentions_fts, rank) VALUES ('integrity-check', 1)"))
    resumed = store.save_batch([item(n) for n in range(10, 20)], Checkpoint("x:search", {"cursor": 20}))
    assert resumed.inserted == 10 and store.count_mentions() == 20
