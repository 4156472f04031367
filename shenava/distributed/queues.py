"""The queues, by kind of work, so the NLP-heavy stage scales on its own machines."""

from __future__ import annotations

#: listener polls (network-bound, light)
LISTEN = "listen"
#: analyse + store (the model: CPU-heavy)
NLP = "nlp"
#: urgent checks and spike detection (database-bound, serialised per pass by the detection lock)
ALERTS = "alerts"
#: outbox dispatch, digests and model retraining (network and slow jobs)
IO = "io"

KINDS = (LISTEN, NLP, ALERTS, IO)
#: not consumed: messages past their delivery limit (``dead_queue``)
DEAD = "dead"


def queue_name(prefix: str, kind: str) -> str:
    """The broker's name of one kind's queue, e.g. ``shenava.nlp``."""
    if kind not in KINDS:
        raise ValueError(f"unknown queue {kind!r}; the queues are {', '.join(KINDS)}")
    return f"{prefix}.{kind}"


def dead_name(prefix: str) -> str:
    """The queue (and exchange) where RabbitMQ moves a message past its delivery limit."""
    return f"{prefix}.dead"
