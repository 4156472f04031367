"""Queue depths (a passive ``queue_declare``: reads, creates nothing) and worker pings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from celery import Celery

from shenava.distributed.queues import DEAD, KINDS, dead_name, queue_name


@dataclass(frozen=True)
class QueueDepth:
    kind: str
    name: str
    #: messages waiting (None: the queue does not exist yet or the broker did not answer)
    messages: int | None
    consumers: int | None


def queue_depth(app: Celery, name: str) -> tuple[int, int] | None:
    """(messages ready, consumers) of one queue, or None when it does not exist."""
    with app.connection_for_write() as conn:
        try:
            ok = conn.default_channel.queue_declare(queue=name, passive=True)
        except Exception as exc:
            if "NOT_FOUND" in str(exc) or getattr(exc, "code", None) == 404:
                return None
            raise
        return int(ok.message_count), int(ok.consumer_count)


def queue_depths(app: Celery, prefix: str) -> list[QueueDepth]:
    """Every queue of the cluster, the dead queue last; raises when the broker is unreachable."""
    out = []
    for kind in (*KINDS, DEAD):
        name = dead_name(prefix) if kind == DEAD else queue_name(prefix, kind)
        found = queue_depth(app, name)
        out.append(QueueDepth(kind, name, *(found if found else (None, None))))
    return out


def ping_workers(app: Celery, timeout: float = 1.0) -> dict[str, Any]:
    """Workers that answered a ping within ``timeout`` seconds, with the queues they consume."""
    # a connection of its own: a pooled one may be stale after a broker restart
    with app.connection_for_write() as conn:
        inspect = app.control.inspect(timeout=timeout, connection=conn)
        answers = inspect.ping() or {}
        queues = inspect.active_queues() or {} if answers else {}
    return {name: sorted(q["name"] for q in queues.get(name, [])) for name in sorted(answers)}
