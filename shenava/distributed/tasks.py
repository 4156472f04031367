"""Every Celery task of the pipeline and the queue it runs on (as ``alerts/events.py`` lists events).

| task                    | queue  | what                                                          |
|-------------------------|--------|---------------------------------------------------------------|
| ``shenava.poll``         | listen | fetch up to ``batches_per_poll`` batches after the cursor      |
| ``shenava.analyse_store``| nlp    | analyse; store mentions + checkpoint in one transaction        |
| ``shenava.check_urgent`` | alerts | urgent single mentions among stored ids                        |
| ``shenava.detect``       | alerts | the alerts' walk; sends one ``detect_brand`` per brand         |
| ``shenava.detect_brand`` | alerts | one brand's spike detection (the brand's lock serialises it)   |
| ``shenava.dispatch``     | io     | send the due outbox rows (claimed with SKIP LOCKED)            |
| ``shenava.digest``       | io     | the daily or weekly digest                                     |
| ``shenava.retrain``      | io     | ``shenava model train`` (the gate decides whether it activates)|
| ``shenava.sla_check``    | io     | SLA deadlines and outcomes; each breach's one escalation queued|

Arguments are plain JSON (mentions as dicts, checkpoints as their JSON, ids), never ORM objects.
Each task is idempotent, which is what makes late acknowledgement safe: a redelivered batch finds
its mentions stored and skips them; its urgent check is re-sent for all of the batch's ids (the
urgent check raises one alert per brand and conversation, the outbox one row per dedup key).
A task that keeps failing is retried ``distributed.max_retries`` times with backoff; then its
mentions go to the dead letters (``shenava deadletter``), so a poison batch never loops. A batch
that kills its worker instead of raising comes back on every delivery until RabbitMQ's delivery
limit moves it to the dead queue (``dead_queue``), whose batches beat puts in the dead letters.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from alerts.rules import saved_search as saved_search_rules
from domain.checkpoint import Checkpoint
from domain.mention import RawMention
from shenava.distributed import metrics, runtime
from shenava.distributed.app import app
from shenava.distributed.queues import ALERTS, IO, LISTEN, NLP, queue_name

log = logging.getLogger("shenava.distributed")

TASK_QUEUES = {
    "shenava.poll": LISTEN,
    "shenava.analyse_store": NLP,
    "shenava.check_urgent": ALERTS,
    "shenava.detect": ALERTS,
    "shenava.detect_brand": ALERTS,
    "shenava.dispatch": IO,
    "shenava.digest": IO,
    "shenava.retrain": IO,
    "shenava.sla_check": IO,
}

#: where a poll resumes: the checkpoint of the last batch it published (stored mentions carry
#: their own checkpoint under the listener's key; batches may finish out of order)
CURSOR_SUFFIX = "#published"


def mention_to_json(mention: RawMention) -> dict[str, Any]:
    data = dataclasses.asdict(mention)
    data["created_at"] = mention.created_at.isoformat()
    return data


def mention_from_json(data: dict[str, Any]) -> RawMention:
    return RawMention(**{**data, "created_at": datetime.fromisoformat(data["created_at"])})


# -- listen ---------------------------------------------------------------------------------------


@app.task(name="shenava.poll", bind=True)
def poll(self: Any, key: str) -> dict[str, Any]:
    """Fetch up to ``batches_per_poll`` batches of one listener and publish each to the nlp queue.

    One poll per listener at a time (a transaction-scoped advisory lock; a second poll sent while
    one runs returns "busy"). Skipped while the nlp queue is past ``nlp_queue_bound``."""
    rt = runtime.current()
    cfg = rt.settings.distributed
    depth = _nlp_depth(cfg.queue_prefix)
    if depth is not None and depth > cfg.nlp_queue_bound:
        metrics.POLLS.labels("backpressure").inc()
        log.info("listener=%s poll skipped: nlp queue holds %d > %d", key, depth, cfg.nlp_queue_bound)
        return {"key": key, "status": "backpressure", "nlp_depth": depth}
    listener = rt.listeners.get(key)
    if listener is None:
        metrics.POLLS.labels("unknown").inc()
        return {"key": key, "status": "unknown"}
    from storage.repository import MentionStore

    store = MentionStore(rt.engine)  # a listen-only worker never loads the model
    published = 0
    with rt.engine.connect() as conn, conn.begin():
        locked = conn.execute(text("SELECT pg_try_advisory_xact_lock(hashtext(:k))"), {"k": "poll:" + key})
        if not locked.scalar():
            metrics.POLLS.labels("busy").inc()
            return {"key": key, "status": "busy"}
        cursor = store.load_checkpoint(key + CURSOR_SUFFIX)
        start = Checkpoint(key, cursor.state, cursor.version) if cursor else store.load_checkpoint(key)
        for batch in listener.fetch(start):
            analyse_store.delay(key, [mention_to_json(m) for m in batch.mentions], batch.checkpoint.to_json())
            # after the publish: a crash in between publishes the batch again, which storage skips
            store.save_checkpoint(Checkpoint(key + CURSOR_SUFFIX, batch.checkpoint.state))
            published += 1
            if published >= cfg.batches_per_poll:
                break
    metrics.POLLS.labels("ok").inc()
    return {"key": key, "status": "ok", "batches": published}


def _nlp_depth(prefix: str) -> int | None:
    from shenava.distributed.monitor import queue_depth

    found = queue_depth(app, queue_name(prefix, NLP))
    return found[0] if found else None


# -- nlp ------------------------------------------------------------------------------------------


@app.task(name="shenava.analyse_store", bind=True)
def analyse_store(
    self: Any, key: str, mentions: list[dict[str, Any]], checkpoint: dict[str, Any] | None
) -> int:
    """Analyse one batch and store it with its checkpoint (one transaction); then its urgent check."""
    rt = runtime.current()
    raws = [mention_from_json(m) for m in mentions]
    cp = Checkpoint.from_json(key, checkpoint) if checkpoint else None
    try:
        report = rt.pipeline.process(key, raws, cp, alerts=False)
    except Exception as exc:
        if _exhausted(self, rt, exc):
            from storage import deadletters

            for mention in raws:
                deadletters.add(rt.engine, key, mention, f"{type(exc).__name__}: {exc}"[:500])
            return 0
        raise self.retry(exc=exc, countdown=min(30, 2**self.request.retries)) from exc
    again = bool(self.request.retries) or bool((self.request.delivery_info or {}).get("redelivered"))
    ids = rt.ids_of(raws) if again else report.inserted_ids
    if ids:  # published after the batch committed
        check_urgent.delay(list(ids))
    return report.inserted


def _exhausted(task: Any, rt: runtime.Runtime, exc: BaseException) -> bool:
    metrics.FAILURES.labels(task.name).inc()
    if task.request.retries < rt.settings.distributed.max_retries:
        return False
    log.error("%s gave up after %d retries: %s", task.name, task.request.retries, exc)
    return True


# -- alerts ---------------------------------------------------------------------------------------


@app.task(name="shenava.check_urgent", bind=True)
def check_urgent(self: Any, mention_ids: list[int]) -> int:
    rt = runtime.current()
    alerts = rt.pipeline.alerts
    if alerts is None:
        return 0
    from alerts.spike_pass import detection_transaction

    try:
        # held like the embedded service's alerts_lock: no detection pass on another worker closes
        # an incident while this check folds an urgent mention into it
        with detection_transaction(rt.engine, datetime.now(UTC)):
            return len(alerts.on_stored(mention_ids)) + len(saved_search_rules.on_stored(alerts, mention_ids))
    except Exception as exc:
        if _exhausted(self, rt, exc):
            return 0
        raise self.retry(exc=exc, countdown=min(30, 2**self.request.retries)) from exc


@app.task(name="shenava.detect")
def detect() -> int:
    """A detection round: the walk (urgent checks and question deadlines in event-time order),
    then one ``detect_brand`` per watched brand, all up to the same moment (the newest stored
    mention in event time, else now)."""
    from shenava.distributed import brand_detection

    rt = runtime.current()
    alerts, until = rt.pipeline.alerts, rt.detection_time(datetime.now(UTC))
    if alerts is None or until is None:
        return 0
    events = brand_detection.walk(alerts, until)
    for brand in brand_detection.watched_brands(alerts):
        detect_brand.delay(brand, until.isoformat())
    return len(events)


@app.task(name="shenava.detect_brand")
def detect_brand(brand: str, until: str) -> int:
    """One brand's detection pass; two passes of one brand queue on the brand's lock."""
    from shenava.distributed import brand_detection

    alerts = runtime.current().pipeline.alerts
    if alerts is None:
        return 0
    events = brand_detection.detect_brand(alerts, brand, datetime.fromisoformat(until))
    for event in events:
        log.info("alert: %s", event.title)
    return len(events)


# -- io -------------------------------------------------------------------------------------------


@app.task(name="shenava.dispatch")
def dispatch() -> int:
    alerts = runtime.current().pipeline.alerts
    return alerts.dispatch(datetime.now(UTC)).sent if alerts is not None else 0


@app.task(name="shenava.digest")
def digest(kind: str) -> None:
    from alerts.digest.schedule import _job

    rt = runtime.current()
    _job(rt.settings, rt.engine, kind)


@app.task(name="shenava.retrain", time_limit=6 * 3600)
def retrain() -> int:
    """``shenava model train`` in a child process (its memory is returned when it ends)."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "shenava.cli", "model", "train"], env=dict(os.environ))
    log.info("retrain exited %d after %.0f s", done.returncode, time.monotonic() - started)
    return done.returncode


@app.task(name="shenava.sla_check")
def sla_check() -> int:
    """One pass of ``alerts.sla_tracker`` (as the embedded service's SLA job): deadlines, outcomes,
    and each breach's one escalation queued in the outbox for ``dispatch``; returns how many."""
    from alerts.sla_tracker import run_pass

    rt = runtime.current()
    return len(run_pass(rt.settings, rt.engine).escalated)
