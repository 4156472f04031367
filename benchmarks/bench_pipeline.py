"""Pipeline figures on the bundled sample, embedded SQLite, the configured (builtin) model.

1. time to the sample's first incident as ``make run`` sees it: the service replaying at the
   default speed, from the start (cold model loading included) to IncidentOpened;
2. throughput: the whole sample through analyse → store → urgent check, unpaced, batches of 200.

    .venv/bin/python -m benchmarks pipeline        (SHENAVA_BENCH_SKIP_LIVE=1 skips part 1)
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample" / "mentions.jsonl"
BATCH = 200


def _settings(tmp: Path, **replay: object):  # type: ignore[no-untyped-def]
    from config.loader import BUNDLED_CONFIG, load_settings

    settings = load_settings(BUNDLED_CONFIG)
    storage = settings.storage.model_copy(update={"url": f"sqlite:///{tmp / 'bench.db'}"})
    sources = settings.sources.model_copy(
        update={"replay": settings.sources.replay.model_copy(update={"file": str(SAMPLE), **replay})}
    )
    channels = [c for c in settings.notifications.channels if c.type == "file"]
    channels = [c.model_copy(update={"path": str(tmp / "alerts.jsonl")}) for c in channels]
    notifications = settings.notifications.model_copy(update={"channels": channels})
    return settings.model_copy(
        update={"storage": storage, "sources": sources, "notifications": notifications}
    )


def throughput() -> None:
    from listeners.mention_file import iter_file
    from shenava.service.pipeline import Pipeline
    from storage.db import init_db

    with tempfile.TemporaryDirectory() as tmp:
        settings = _settings(Path(tmp))
        init_db(settings.storage.url)
        started = time.perf_counter()
        pipeline = Pipeline.from_settings(settings)
        load_s = time.perf_counter() - started
        mentions = [r.mention for r in iter_file(SAMPLE, default_source="replay") if r.mention]
        analyse_ms = store_ms = alerts_ms = 0.0
        started = time.perf_counter()
        for i in range(0, len(mentions), BATCH):
            report = pipeline.process("bench", mentions[i : i + BATCH], None)
            analyse_ms += report.analyse_ms
            store_ms += report.store_ms
            alerts_ms += report.alerts_ms
        total_s = time.perf_counter() - started
        started = time.perf_counter()
        events = pipeline.detect()
        detect_s = time.perf_counter() - started
        n = len(mentions)
        print(f"model: {pipeline.analyzer.sentiment_model.name}; load {load_s:.1f} s")
        print(f"mentions: {n} in batches of {BATCH}: {total_s:.1f} s, {n / total_s:.0f} mentions/s")
        print(
            f"per mention: analyse {analyse_ms / n:.2f} ms, store {store_ms / n:.2f} ms, "
            f"urgent check {alerts_ms / n:.2f} ms"
        )
        opened = [e for e in events if getattr(e, "kind", "") == "incident_opened"]
        print(f"one detection pass over the week: {detect_s:.1f} s, {len(opened)} incident(s) opened")


def time_to_first_incident(timeout_s: float = 300.0) -> None:
    from shenava.service.pipeline import Pipeline
    from shenava.service.scheduler import Service
    from shenava.service.sources import build_service_listeners
    from storage.db import init_db

    with tempfile.TemporaryDirectory() as tmp:
        settings = _settings(Path(tmp))
        started = time.perf_counter()
        init_db(settings.storage.url)
        pipeline = Pipeline.from_settings(settings)
        listeners, _ = build_service_listeners(settings)
        service = Service(settings, pipeline, listeners)
        found: dict[str, float] = {}

        def watch(svc: Service) -> None:
            if "stored" not in found and pipeline.watermark.value is not None:
                found["stored"] = time.perf_counter() - started
            if any(getattr(e, "kind", "") == "incident_opened" for e in svc.stats.alerts):
                found.setdefault("incident", time.perf_counter() - started)
                svc.stop.set()

        service.on_tick, service.tick_seconds = watch, 0.5
        timer = threading.Timer(timeout_s, service.stop.set)
        timer.start()
        try:
            service.run()
        finally:
            timer.cancel()
        speed = settings.sources.replay.speed
        print(f"replay at {speed:g}x: first mention stored after {found.get('stored', float('nan')):.1f} s")
        if "incident" in found:
            print(f"first incident opened {found['incident']:.1f} s after start (model load included)")
        else:
            print(f"no incident within {timeout_s:.0f} s")


def main() -> None:
    # live first: its figure must include the cold imports and model load a fresh `make run` pays
    if os.environ.get("SHENAVA_BENCH_SKIP_LIVE") != "1":
        time_to_first_incident()
    throughput()


if __name__ == "__main__":
    main()
