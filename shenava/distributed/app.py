"""The Celery app and its configuration, built from the same YAML as every other command.

Late acknowledgement with ``task_reject_on_worker_lost``: a message whose worker dies (SIGKILL,
OOM, lost machine) goes back to the queue and runs again, which is safe because every task is
idempotent (storage skips stored mentions, the urgent check and the outbox deduplicate).
``worker_prefetch_multiplier=1``: a worker holds one unacknowledged batch per process, so a
killed process takes only that one back and the others spread over the remaining workers.

On RabbitMQ the queues are quorum queues with ``x-delivery-limit``: a message that kills its
worker every time (a text that crashes the model) is not redelivered forever but, after
``distributed.delivery_limit`` deliveries, moved to ``<prefix>.dead`` (``deadletters`` drains it
into the dead letters). Quorum queues survive a broker restart; their exchanges are topic
exchanges so that retries with a countdown use RabbitMQ's native delayed delivery instead of
waiting inside a worker. Workers, beat and publishers reconnect by themselves after a broker or
database restart (``broker_connection_retry``, the publish retry policy, heartbeats).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from celery import Celery
from kombu import Exchange, Queue

from shenava.distributed.queues import KINDS, dead_name, queue_name

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


def is_rabbitmq(url: str) -> bool:
    return url.startswith(("amqp", "pyamqp", "rabbitmq"))


def _queue(name: str, prefix: str, url: str, delivery_limit: int) -> Queue:
    """A durable queue bound to its own exchange under the same name; on RabbitMQ a quorum queue
    that dead-letters a message after ``delivery_limit`` deliveries."""
    if not is_rabbitmq(url):
        return Queue(name, Exchange(name, type="direct", durable=True), routing_key=name, durable=True)
    arguments = {
        "x-queue-type": "quorum",
        "x-delivery-limit": delivery_limit,
        "x-dead-letter-exchange": dead_name(prefix),
        "x-dead-letter-routing-key": dead_name(prefix),
    }
    exchange = Exchange(name, type="topic", durable=True)
    return Queue(name, exchange, routing_key=name, durable=True, queue_arguments=arguments)


def dead_queue(prefix: str) -> Queue:
    """Where past-limit messages wait (consumed by no worker; beat drains it)."""
    name = dead_name(prefix)
    return Queue(name, Exchange(name, type="direct", durable=True), routing_key=name, durable=True)


def configure(settings: Settings) -> Celery:
    """The app, configured for ``settings``: broker, queues and their routes, delivery guarantees."""
    check_distributed(settings)
    # registers the tasks on ``app``; dead_queue its worker_ready signal
    from shenava.distributed import dead_queue, tasks  # noqa: F401

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
        task_queues=[
            _queue(queue_name(prefix, kind), prefix, url, settings.distributed.delivery_limit)
            for kind in KINDS
        ],
        task_routes={
            name: {"queue": queue_name(prefix, kind), "routing_key": queue_name(prefix, kind)}
            for name, kind in tasks.TASK_QUEUES.items()
        },
        task_default_queue=queue_name(prefix, "io"),
        task_default_exchange=prefix,
        task_default_routing_key=queue_name(prefix, "io"),
        # publisher confirms: a publish returns only once RabbitMQ has the message
        broker_transport_options={"confirm_publish": True} if url.startswith("amqp") else {},
        # a broker restart: reconnect for as long as it takes; a publish waits up to about a minute
        broker_connection_retry_on_startup=True,
        broker_connection_retry=True,
        broker_connection_max_retries=None,
        broker_heartbeat=20,
        task_publish_retry=True,
        task_publish_retry_policy={
            "max_retries": 30,
            "interval_start": 0.5,
            "interval_step": 0.5,
            "interval_max": 2.0,
        },
        # tasks running when the broker connection drops are stopped: their messages come back
        # (acks late) and run again, instead of finishing with an acknowledgement nobody receives
        worker_cancel_long_running_tasks_on_connection_loss=True,
        # a pool process loads the model before it reports up (slow on a loaded machine): a
        # process replaced after a crash must not be killed for being slow to start
        worker_proc_alive_timeout=300,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_time_limit=3600,
    )
    return app
