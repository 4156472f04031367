"""Prometheus metrics of the cluster.

Workers (``shenava worker``): task latency and failures, listener polls by outcome (``ok``,
``busy``, ``backpressure``) — Celery's pool processes write them through prometheus_client's
multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``, set by the command before this import).
Beat (``shenava beat``): queue depths (``<prefix>.dead`` too), whether backpressure is on, and
the messages it drained from the dead queue.
"""

from __future__ import annotations

import time
from typing import Any

from celery.signals import task_postrun, task_prerun
from prometheus_client import Counter, Gauge, Histogram

TASK_SECONDS = Histogram(
    "shenava_task_seconds",
    "Run time of one Celery task",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)
FAILURES = Counter("shenava_task_failures_total", "Failed task runs (each retry counts)", ["task"])
POLLS = Counter("shenava_listener_polls_total", "Listener polls by outcome", ["outcome"])
DEAD_LETTERED = Counter(
    "shenava_dead_lettered_total", "Messages past their delivery limit, drained by beat", ["task"]
)
QUEUE_DEPTH = Gauge("shenava_queue_depth", "Messages waiting in a queue", ["queue"], multiprocess_mode="max")
BACKPRESSURE = Gauge(
    "shenava_backpressure", "1 while the nlp queue is past its bound (polls skipped)", multiprocess_mode="max"
)

_started: dict[str, float] = {}


@task_prerun.connect
def _prerun(task_id: str | None = None, **_: Any) -> None:
    if task_id:
        _started[task_id] = time.perf_counter()


@task_postrun.connect
def _postrun(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    started = _started.pop(task_id or "", None)
    if started is not None and task is not None:
        TASK_SECONDS.labels(task.name).observe(time.perf_counter() - started)
