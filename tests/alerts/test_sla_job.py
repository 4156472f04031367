"""The service's SLA job: registered beside the others on the configured interval, its body runs
one tracker pass (a failure is logged by the service's guard, never raised into APScheduler)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from shenava.service.sla_job import register_sla_job
from storage.sla_records import SlaRecord
from tests.alerts.builders import stored_incident
from tests.alerts.conftest import make_settings


class Jobs:
    def __init__(self) -> None:
        self.added: list[tuple[Callable[[], Any], Any, str]] = []

    def add_job(self, fn: Callable[[], Any], trigger: Any, id: str) -> None:
        self.added.append((fn, trigger, id))


def guarded(name: str, fn: Callable[[], Any]) -> Callable[[], Any]:
    return fn


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_job_runs_a_pass_on_its_interval(engine: Engine, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, sla={"check_interval_seconds": 7})
    with Session(engine) as session, session.begin():
        incident = stored_incident(session, raised=datetime.now(UTC) - timedelta(days=3)).id
    jobs = Jobs()
    register_sla_job(jobs, settings, engine, guarded)
    [(run, trigger, name)] = jobs.added
    assert name == "sla" and trigger.interval == timedelta(seconds=7)
    run()
    with Session(engine) as session:
        record = session.scalars(select(SlaRecord)).one()
        assert (record.item_id, record.outcome) == (incident, "breached")
    off = Jobs()
    register_sla_job(off, make_settings(tmp_path, sla={"enabled": False}), engine, guarded)
    assert off.added == []


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_celery_task_runs_the_same_pass(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``shenava.sla_check`` (beat sends it every ``sla.check_interval_seconds``), called in-process."""
    from shenava.distributed import runtime, tasks

    settings = make_settings(tmp_path, storage={"url": db_url})
    monkeypatch.setattr(runtime, "_current", runtime.Runtime(settings))
    with Session(engine) as session, session.begin():
        stored_incident(session, raised=datetime.now(UTC) - timedelta(days=3))
    assert tasks.TASK_QUEUES["shenava.sla_check"] == "io"
    assert tasks.sla_check() == 0  # breached; the settings name no escalation channel
    with Session(engine) as session:
        assert session.scalars(select(SlaRecord)).one().outcome == "breached"
