"""Settings of the ``distributed`` section, read by shenava/distributed/ (Celery workers and beat).

Only ``shenava worker`` and ``shenava beat`` read it; the embedded default (``shenava run``)
ignores it. Kept in config, like ``web``: config assembles the settings and must not import the
wiring.
"""

from __future__ import annotations

from pydantic import Field

from domain.settings_base import StrictModel


class DistributedSettings(StrictModel):
    broker_url: str = Field(
        default="amqp://guest@127.0.0.1:5672//",
        max_length=500,
        description="Celery broker: amqp://… (RabbitMQ) or redis://…; a URL with a password belongs in "
        "the environment variable SHENAVA_BROKER_URL, which overrides this key.",
    )
    queue_prefix: str = Field(
        default="shenava",
        pattern=r"^[A-Za-z0-9_.-]{1,40}$",
        description="Prefix of the queue names (<prefix>.listen, .nlp, .alerts, .io); clusters sharing "
        "one broker use different prefixes.",
    )
    nlp_queue_bound: int = Field(
        default=200,
        ge=1,
        le=1_000_000,
        description="Backpressure: while the nlp queue holds more batches than this, listener polls are "
        "skipped (the listener resumes from its checkpoint on the next interval).",
    )
    batches_per_poll: int = Field(
        default=5, ge=1, le=1000, description="Batches one listener poll fetches and publishes at most."
    )
    max_retries: int = Field(
        default=4,
        ge=0,
        le=50,
        description="Retries of a failed task (with backoff) before its batch goes to the dead letters.",
    )
    delivery_limit: int = Field(
        default=5,
        ge=1,
        le=1000,
        description="RabbitMQ: deliveries of one message before it is dead-lettered (<prefix>.dead, then "
        "the dead letters). A message whose worker dies every time (SIGKILL, OOM) would otherwise come "
        "back forever; a normal redelivery after one crash or a broker restart stays well under it.",
    )
    detect_interval_seconds: float = Field(
        default=10.0, gt=0, le=3600, description="How often beat sends the spike-detection task."
    )
    dispatch_interval_seconds: float = Field(
        default=3.0, gt=0, le=3600, description="How often beat sends the outbox dispatch task."
    )
    metrics_port: int = Field(
        default=0,
        ge=0,
        le=65535,
        description="Port of the Prometheus /metrics of `shenava beat` (queue depths, backpressure) and "
        "`shenava worker` (task latency, failures; the worker uses the next port); 0: off.",
    )
