"""The Celery app and its configuration, built from the same YAML as every other command.

Late acknowledgement with ``task_reject_on_worker_lost``: a message whose worker dies (SIGKILL,
OOM, lost machine) goes back to the queue and runs again, which is safe because every task is
idempotent (storage skips stored mentions, the urgent check and the outbox deduplicate).
``worker_prefetch_multiplier=1``: a worker holds one unacknowledged batch per process, so a
killed process takes only that one back and the others spread over the remaining workers.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from celery import Celery
from kombu import Exchange, Queue

from shenava.distributed.queues import KINDS, queue_name

if TYPE_CHECKING:
    from config.settings import Settings

ENV_BROKER_URL = "SHENAVA_BROKER_URL"

app = Celery("shenava", set_as_current=False)


class DistributedConfigError(ValueError):
    """The settings cannot run distributed (the message says what to change)."""


def broker_url(settings: Settings) -> str:
    """``$SHENAVA_BROKER_URL`` when set, else ``distributed.broker_url``."""
    return os.environ.get(ENV_BROKER_URL, "").strip() or settings.distributed.broker_url


def check_distributed(settings: Settings) -> None:
    """Workers on several machines need one shared database: SQLite is refused."""
    url = settings.storage.url
    if url.startswith("sqlite"):
        raise DistributedConfigError(
            f"distributed mode needs PostgreSQL as the store (storage.url is {url}); workers on several "
            "machines cannot share a SQLite file. Set storage.url or SHENAVA_DATABASE_URL to "
            "postgresql+psycopg://user@host/db, or run the embedded service with `shenava run`."
        )


def _queue(name: str) -> Queue:
    """A durable queue bound to its own direct exchange under the same name."""
    return Queue(name, Exchange(name, type="direct", durable=True), routing_key=name, durable=True)


def configure(settings: Settings) -> Celery:
    """The app, configured for ``settings``: broker, queues and their routes, delivery guarantees."""
    check_distributed(settings)
    from shenava.distributed import tasks  # registers the tasks on ``app``

    prefix = settings.distributed.queue_prefix
    url = broker_url(settings)
    app.conf.update(
        broker_url=url,
        result_backend=None,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_queues=[_queue(queue_name(prefix, kind)) for kind in KINDS],
        task_routes={
            name: {"queue": queue_name(prefix, kind), "routing_key": queue_name(prefix, kind)}
            for name, kind in tasks.TASK_QUEUES.items()
        },
        task_default_queue=queue_name(prefix, "io"),
        task_default_exchange=prefix,
        task_default_routing_key=queue_name(prefix, "io"),
        # publisher confirms: a publish returns only once RabbitMQ has the message
        broker_transport_options={"confirm_publish": True} if url.startswith("amqp") else {},
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_time_limit=3600,
    )
    return app
