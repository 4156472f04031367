"""Messages past their delivery limit: ``<prefix>.dead``, drained by the leading beat.

RabbitMQ moves a message of a quorum queue here once it has been delivered
``distributed.delivery_limit`` times without an acknowledgement: typically a batch whose text
kills the worker process (SIGKILL, OOM) on every try. No worker consumes this queue, so the
poison never runs again. The leading beat drains it: an ``analyse_store`` batch's mentions go to
the dead letters (``shenava deadletter list|retry``, nothing is lost), any other task (a poll,
a detection pass: sent again on the next interval anyway) is logged and counted. Each drained
message counts in ``shenava_dead_lettered_total``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from celery.signals import worker_ready

from shenava.distributed import metrics

if TYPE_CHECKING:
    from celery import Celery
    from sqlalchemy import Engine

log = logging.getLogger("shenava.distributed")

ANALYSE_STORE = "shenava.analyse_store"


@dataclass
class Drained:
    messages: int = 0
    mentions: int = 0
    tasks: dict[str, int] = field(default_factory=dict)


def declare(app: Celery, prefix: str) -> None:
    """The dead-letter exchange and queue (RabbitMQ drops what it cannot route: declared by every
    worker and beat before any message can reach its limit)."""
    from shenava.distributed.app import dead_queue

    with app.connection_for_write() as conn:
        dead_queue(prefix)(conn.default_channel).declare()


def _reason(message: Any, limit: int) -> str:
    deaths = (message.headers or {}).get("x-death") or [{}]
    why = deaths[0].get("reason") or "dead-lettered"
    return f"no acknowledgement in more than {limit} deliveries (RabbitMQ: {why}); its worker died each time"


def drain(app: Celery, prefix: str, engine: Engine, limit: int, *, at_most: int = 100) -> Drained:
    """Take up to ``at_most`` messages off the dead queue; each is acknowledged only once recorded."""
    from shenava.distributed.app import dead_queue
    from shenava.distributed.tasks import mention_from_json
    from storage import deadletters

    out = Drained()
    with app.connection_for_write() as conn:
        bound = dead_queue(prefix)(conn.default_channel)
        for _ in range(at_most):
            message = bound.get(no_ack=False, accept=["json"])
            if message is None:
                break
            task = str((message.headers or {}).get("task") or "unknown")
            reason = _reason(message, limit)
            if task == ANALYSE_STORE:
                args = json.loads(message.body)[0]
                key, mentions = args[0], args[1]
                for data in mentions:
                    deadletters.add(engine, key, mention_from_json(data), reason)
                out.mentions += len(mentions)
                log.error("dead letter: a batch of %d mentions of %s (%s)", len(mentions), key, reason)
            else:
                log.error("dead letter: %s dropped (%s); beat sends it again on its interval", task, reason)
            message.ack()
            metrics.DEAD_LETTERED.labels(task).inc()
            out.messages += 1
            out.tasks[task] = out.tasks.get(task, 0) + 1
    return out


@worker_ready.connect
def _declare_on_worker_ready(sender: Any = None, **_: object) -> None:
    from shenava.distributed import runtime
    from shenava.distributed.app import app, is_rabbitmq

    prepared = runtime.prepared()
    if prepared is None or not is_rabbitmq(str(app.conf.broker_url)):
        return
    try:
        declare(app, prepared.settings.distributed.queue_prefix)
    except Exception as exc:  # the beat declares it too
        log.warning("could not declare the dead-letter queue (%s)", type(exc).__name__)
