"""The service as a user runs it: real ``shenava`` processes in a temp dir, real SQLite, the
bundled sample replayed fast, alerts delivered to a file channel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "mentions.jsonl"


@dataclass
class Workspace:
    dir: Path
    config: Path
    db: Path
    alerts: Path
    replay_file: Path

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHENAVA_")}
        env.update(SHENAVA_CONFIG=str(self.config), PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        return env

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "shenava.cli", *args]

    def run(self, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args), cwd=self.dir, env=self.env(), capture_output=True, text=True, timeout=timeout
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        """A background run; its output goes to ``run.log`` (a pipe nobody reads could block it)."""
        log = (self.dir / "run.log").open("a", encoding="utf-8")
        try:
            return subprocess.Popen(
                self.command(*args),
                cwd=self.dir,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
        finally:
            log.close()

    def log_text(self) -> str:
        path = self.dir / "run.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def query(self, sql: str) -> list[tuple]:
        engine = create_engine(f"sqlite:///{self.db}")
        try:
            with engine.connect() as conn:
                return [tuple(r) for r in conn.execute(text(sql))]
        except Exception:
            return []
        finally:
            engine.dispose()

    def stored_count(self) -> int:
        rows = self.query("SELECT count(*) FROM mentions")
        return rows[0][0] if rows else 0


def make_workspace(
    tmp_path: Path, *, replay_file: Path = SAMPLE, speed: float = 60_000, sentiment_model: str = "builtin"
) -> Workspace:
    base = yaml.safe_load((ROOT / "config" / "shenava.yaml").read_text(encoding="utf-8"))
    db, alerts = tmp_path / "var" / "shenava.db", tmp_path / "var" / "alerts.jsonl"
    base["storage"] = {"url": f"sqlite:///{db}"}
    base["sources"] = {
        "replay": {"enabled": True, "file": str(replay_file), "speed": speed, "interval_seconds": 1.0}
    }
    base.setdefault("nlp", {}).setdefault("sentiment", {})["model"] = sentiment_model
    base["notifications"] = {"channels": [{"name": "alerts-file", "type": "file", "path": str(alerts)}]}
    tmp_path.mkdir(parents=True, exist_ok=True)
    config = tmp_path / "shenava.yaml"
    config.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Workspace(tmp_path, config, db, alerts, replay_file)


def file_ids(path: Path) -> list[str]:
    """The external id of every line, as the replay derives it."""
    from listeners.mention_file import iter_file

    return [r.mention.external_id for r in iter_file(path, default_source="replay") if r.mention]


def assert_consistent(ws: Workspace) -> int:
    """Stored rows are exactly the file's lines up to the checkpoint: none lost, none twice."""
    rows = ws.query("SELECT state FROM listener_checkpoints")
    stored = [r[0] for r in ws.query("SELECT external_id FROM mentions")]
    assert len(stored) == len(set(stored)), "a mention was stored twice"
    if not rows:
        assert stored == [], "mentions stored without their checkpoint"
        return 0
    [state] = [json.loads(r[0]) if isinstance(r[0], str) else r[0] for r in rows]
    expected = file_ids_upto(ws.replay_file, state["lines"])
    assert sorted(stored) == sorted(expected), (
        f"checkpoint says {state['lines']} lines ({len(expected)} mentions), store has {len(stored)}"
    )
    return len(stored)


def file_ids_upto(path: Path, lines: int) -> list[str]:
    from listeners.mention_file import iter_file

    return [
        r.mention.external_id
        for r in iter_file(path, default_source="replay")
        if r.mention and r.line <= lines
    ]


def wait_for(predicate, timeout: float, interval: float = 0.2) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path)
