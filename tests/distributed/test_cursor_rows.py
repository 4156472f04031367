"""The Celery polls' cursors (``<key>#published`` rows of ``listener_checkpoints``) are not
listeners: ``shenava status``, ``shenava sources``, the API and the metrics never list them.

They share the checkpoints' table because no migration slot was free for a table of their own
(README, "Scale-out"); the one listing of that table, ``listener_health``, filters them out.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from domain.checkpoint import Checkpoint
from shenava.distributed.tasks import CURSOR_SUFFIX
from shenava.service.health import listener_health
from storage.db import create_engine_from_url, init_db
from storage.repository import MentionStore


def test_cursor_rows_are_kept_but_not_listed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cursor.db'}"
    init_db(url)
    engine = create_engine_from_url(url)
    store = MentionStore(engine)
    store.save_checkpoint(Checkpoint("replay:mentions", {"offset": 10}))
    store.save_checkpoint(Checkpoint("replay:mentions" + CURSOR_SUFFIX, {"offset": 40}))
    with Session(engine) as session:
        listed = [h.key for h in listener_health(session)]
    assert listed == ["replay:mentions"]
    cursor = store.load_checkpoint("replay:mentions" + CURSOR_SUFFIX)
    assert cursor is not None and cursor.state == {"offset": 40}  # the poll still resumes from it
    engine.dispose()
