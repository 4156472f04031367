"""The cluster at a glance: workers answering a ping, queue depths, backpressure.

Read by ``shenava cluster status`` (and its ``--json``); every part degrades to a reason
instead of failing, so a down broker is itself the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shenava.distributed.queues import NLP

if TYPE_CHECKING:
    from celery import Celery

    from config.settings import Settings


def collect(settings: Settings, app: Celery, *, ping_timeout: float = 1.0) -> dict[str, Any]:
    from shenava.distributed.monitor import ping_workers, queue_depths

    cfg = settings.distributed
    report: dict[str, Any] = {"prefix": cfg.queue_prefix, "nlp_queue_bound": cfg.nlp_queue_bound}
    try:
        depths = queue_depths(app, cfg.queue_prefix)
    except Exception as exc:
        report["broker_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
        report["queues"], report["workers"], report["backpressure"] = [], {}, None
        return report
    report["queues"] = [
        {"queue": d.name, "kind": d.kind, "messages": d.messages, "consumers": d.consumers} for d in depths
    ]
    nlp = next((d.messages or 0) for d in depths if d.kind == NLP)
    report["backpressure"] = nlp > cfg.nlp_queue_bound
    workers = ping_workers(app, timeout=ping_timeout)
    # workers of other clusters on the same broker answer the ping too: keep this prefix's
    report["workers"] = {
        name: queues
        for name, queues in workers.items()
        if any(q.startswith(cfg.queue_prefix + ".") for q in queues)
    }
    return report
