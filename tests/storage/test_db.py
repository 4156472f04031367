"""Engines and the migration entry points: URLs, per-connection settings, the alembic command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from storage.db import UnsupportedDatabaseError, create_engine_from_url, normalize_url, session_factory

REPO = Path(__file__).resolve().parents[2]


def test_plain_postgresql_urls_get_the_installed_driver() -> None:
    assert normalize_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("sqlite:///var/x.db").drivername == "sqlite"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "mssql+pyodbc://u@h/db"])
def test_other_databases_are_refused_clearly(url: str) -> None:
    with pytest.raises(UnsupportedDatabaseError, match="use sqlite:///path or postgresql"):
        create_engine_from_url(url)


def test_sessions_run_in_utc(engine: Engine, backend: str) -> None:
    with engine.connect() as conn:
        if backend == "postgresql":
            assert conn.execute(text("SHOW TimeZone")).scalar() == "UTC"
            # a statement repeated in a loop is still planned with its values (storage/db.py says why)
            assert conn.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
        else:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_session_objects_stay_readable_after_commit(engine: Engine) -> None:
    from storage.models import ListenerState

    with session_factory(engine).begin() as session:
        state = ListenerState(key="k", source="x", items_last_run=0, items_total=0, consecutive_failures=0)
        session.add(state)
    assert state.key == "k" and state.source == "x"  # no DetachedInstanceError


def test_alembic_command_line_migrates_with_the_small_config(tmp_path: Path) -> None:
    db = tmp_path / "cli" / "shenava.db"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for action in (["upgrade", "head"],):  # downgrades are covered in test_migrations
        subprocess.run(
            [
                sys.executable,
                "-m",
                "alembic",
                "-c",
                str(REPO / "storage" / "alembic.ini"),
                "-x",
                f"url=sqlite:///{db}",
                *action,
            ],
            check=True,
            cwd=tmp_path,
            env=env,
            capture_output=True,
            timeout=120,
        )
    engine = create_engine_from_url(f"sqlite:///{db}")
    try:
        assert {"mentions", "mentions_fts", "deliveries"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
