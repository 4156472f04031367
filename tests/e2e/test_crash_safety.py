"""Crash safety: SIGKILL `shenava run` at different points, restart, and nothing is lost or
stored twice; the checkpoint always matches the stored rows. SIGTERM exits cleanly (code 0)."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import SAMPLE, Workspace, assert_consistent, file_ids, make_workspace, wait_for

pytestmark = pytest.mark.slow

#: about two and a half days of the sample: enough batches to kill in the middle of
LINES = 1400
#: what is under test is storage and checkpoints, not scoring: the lexicon fallback keeps each
#: of the many restarts short (test_run.py runs the bundled model)
MODEL = "fallback"


@pytest.fixture
def short_sample(tmp_path: Path) -> Path:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[:LINES]
    path = tmp_path / "short.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def test_sigkill_at_several_points_loses_and_duplicates_nothing(tmp_path: Path, short_sample: Path) -> None:
    # ~220 000 s of mentions at 50 000x: about 4 s of replay per full pass, batches of up to 200
    # (`run` migrates the store itself, so no `init` here)
    ws = make_workspace(tmp_path / "ws", replay_file=short_sample, speed=50_000, sentiment_model=MODEL)
    seen: list[int] = []
    # kill during start-up (model loading), then once the store holds growing numbers of mentions
    for threshold in (None, 1, 500, 1000):
        proc = ws.start("run")
        if threshold is None:
            wait_for(lambda: False, timeout=1.5)
        else:
            reached = wait_for(
                lambda t=threshold, p=proc: ws.stored_count() >= t or p.poll() is not None,
                timeout=120,
                interval=0.05,
            )
            assert reached and proc.poll() is None, ws.log_text()[-2000:]
        kill(proc)
        seen.append(assert_consistent(ws))
    assert seen == sorted(seen) and seen[-1] < len(file_ids(short_sample)), seen
    final = ws.run("run", "--until-idle", timeout=300)
    assert final.returncode == 0, final.stdout[-2000:] + final.stderr[-2000:]
    assert assert_consistent(ws) == len(file_ids(short_sample))


def test_sigterm_finishes_the_batch_and_exits_zero(tmp_path: Path, short_sample: Path) -> None:
    ws: Workspace = make_workspace(
        tmp_path / "ws", replay_file=short_sample, speed=5_000, sentiment_model=MODEL
    )
    proc = ws.start("run")
    assert wait_for(lambda: ws.stored_count() >= 50 or proc.poll() is not None, timeout=120, interval=0.1)
    assert proc.poll() is None, ws.log_text()[-2000:]
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    out = ws.log_text()
    assert proc.returncode == 0, out[-2000:]
    assert "SIGTERM received" in out and "stopped" in out
    stored = assert_consistent(ws)
    assert 50 <= stored < len(file_ids(short_sample))
    [state] = ws.query("SELECT last_error FROM listener_states")
    assert state[0] is None


def test_an_interrupted_first_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    """The first `init`/`run` creates the schema in one transaction: a failure (or a kill) in the
    middle leaves an empty file that the next start migrates, never half a schema."""
    from sqlalchemy import create_engine, inspect, text

    from storage.db import init_db

    url = f"sqlite:///{tmp_path / 'shenava.db'}"
    blocker = create_engine(url)
    with blocker.begin() as conn:  # the migration's last step (the FTS table) will collide with this
        conn.execute(text("CREATE TABLE mentions_fts (x INTEGER)"))
    with pytest.raises(Exception, match="mentions_fts"):
        init_db(url)
    assert set(inspect(blocker).get_table_names()) == {"mentions_fts"}  # no half-made schema
    with blocker.begin() as conn:
        conn.execute(text("DROP TABLE mentions_fts"))
    blocker.dispose()
    init_db(url)  # the next start succeeds
    engine = create_engine(url)
    try:
        assert {"mentions", "listener_checkpoints", "alembic_version"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()
