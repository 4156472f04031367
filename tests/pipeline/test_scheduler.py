"""The service loop in-process: jobs never overlap themselves, idle detection, clean stop."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from config.settings import Settings
from domain.checkpoint import Checkpoint, ListenerBatch
from domain.mention import RawMention
from listeners.base import Listener
from shenava.service.pipeline import Pipeline
from shenava.service.scheduler import Service, listener_interval


class SlowListener(Listener):
    """Each fetch takes longer than its interval; records how many fetches run at once."""

    source = "slow"

    def __init__(self, runs_wanted: int = 3) -> None:
        super().__init__("slow:one")
        self.interval_seconds = 0.05
        self.active = 0
        self.most_active = 0
        self.runs = 0
        self.runs_wanted = runs_wanted
        self.lock = threading.Lock()

    @property
    def exhausted(self) -> bool:
        return self.runs >= self.runs_wanted

    def fetch(self, checkpoint: Checkpoint | None) -> Iterator[ListenerBatch]:
        with self.lock:
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            time.sleep(0.3)
            n = checkpoint.state["n"] if checkpoint else 0
            mention = RawMention(
                source="slow",
                external_id=str(n),
                text=f"سبزینو {n}",
                created_at=datetime(2026, 10, 3, tzinfo=UTC) + timedelta(minutes=n),
            )
            yield ListenerBatch([mention], Checkpoint(self.key, {"n": n + 1}))
        finally:
            with self.lock:
                self.active -= 1
                self.runs += 1


def test_a_job_never_overlaps_itself_and_until_idle_stops(pipeline: Pipeline) -> None:
    listener = SlowListener(runs_wanted=3)
    service = Service(None, pipeline, [listener], detect_interval=0.1, dispatch_interval=0.1)
    started = time.monotonic()
    assert service.run(until_idle=True, max_seconds=30) == 0
    assert time.monotonic() - started < 30
    assert listener.most_active == 1
    assert listener.runs >= 3
    assert pipeline.store.count_mentions() == listener.runs
    assert pipeline.store.load_checkpoint("slow:one").state == {"n": listener.runs}


def test_stop_event_ends_the_run_after_the_current_fetch(pipeline: Pipeline) -> None:
    listener = SlowListener(runs_wanted=10**6)
    stop = threading.Event()
    service = Service(None, pipeline, [listener], stop=stop)
    threading.Timer(0.5, stop.set).start()
    assert service.run() == 0
    assert listener.active == 0  # nothing left running when run() returns
    assert pipeline.store.count_mentions() == listener.runs


def test_listener_interval_prefers_the_listener_then_its_source_section() -> None:
    from config.settings import Settings
    from domain.brands import BrandSettings

    settings = Settings(brands=[BrandSettings(name="sabzino")])
    listener = SlowListener()
    assert listener_interval(listener, settings) == 0.05
    del listener.interval_seconds
    listener.source = "x"
    assert listener_interval(listener, settings) == settings.sources.x.interval_seconds
    listener.source = "unknown"
    assert listener_interval(listener, settings) == 60.0


def test_the_service_schedules_the_digest_beside_the_pipeline_jobs(
    pipeline: Pipeline, settings: Settings
) -> None:
    service = Service(settings, pipeline, [SlowListener()])
    service._schedule()
    ids = {job.id for job in service._scheduler.get_jobs()}
    assert {"listener:slow:one", "detect", "dispatch", "digest-daily"} <= ids
