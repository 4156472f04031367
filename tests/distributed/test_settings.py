"""The distributed settings and app configuration, without a broker."""

from __future__ import annotations

import pytest

from config.settings import Settings
from shenava.distributed.app import DistributedConfigError, broker_url, check_distributed, configure
from shenava.distributed.queues import queue_name
from tests.distributed.conftest import rabbitmq_unavailable


def settings(url: str = "postgresql+psycopg://postgres@127.0.0.1/test", **distributed: object) -> Settings:
    return Settings.model_validate(
        {"brands": [{"name": "acme"}], "storage": {"url": url}, "distributed": distributed}
    )


def test_sqlite_is_refused_with_what_to_do() -> None:
    with pytest.raises(DistributedConfigError, match=r"needs PostgreSQL.*shenava run"):
        check_distributed(settings("sqlite:///var/shenava.db"))


def test_broker_url_from_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    s = settings(broker_url="amqp://guest@rabbit:5672//")
    monkeypatch.delenv("SHENAVA_BROKER_URL", raising=False)
    assert broker_url(s) == "amqp://guest@rabbit:5672//"
    monkeypatch.setenv("SHENAVA_BROKER_URL", "redis://127.0.0.1:6379/0")
    assert broker_url(s) == "redis://127.0.0.1:6379/0"


def test_delivery_guarantees_and_routes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHENAVA_BROKER_URL", raising=False)
    app = configure(settings(queue_prefix="unit"))
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_routes["shenava.analyse_store"]["queue"] == "unit.nlp"
    assert app.conf.task_routes["shenava.poll"]["queue"] == "unit.listen"
    assert app.conf.task_routes["shenava.dispatch"]["queue"] == "unit.io"


def test_unknown_queue_kind() -> None:
    with pytest.raises(ValueError, match="the queues are listen, nlp, alerts, io"):
        queue_name("x", "gpu")


def test_required_rabbitmq_fails_instead_of_skipping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHENAVA_REQUIRE_RABBITMQ", "1")
    with pytest.raises(pytest.fail.Exception, match="SHENAVA_REQUIRE_RABBITMQ=1"):
        rabbitmq_unavailable("down")
    monkeypatch.delenv("SHENAVA_REQUIRE_RABBITMQ")
    with pytest.raises(pytest.skip.Exception):
        rabbitmq_unavailable("down")


def test_rabbitmq_queues_dead_letter_past_the_delivery_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHENAVA_BROKER_URL", raising=False)
    app = configure(settings(queue_prefix="unit", delivery_limit=3))
    nlp = {q.name: q for q in app.conf.task_queues}["unit.nlp"]
    assert nlp.queue_arguments == {
        "x-queue-type": "quorum",
        "x-delivery-limit": 3,
        "x-dead-letter-exchange": "unit.dead",
        "x-dead-letter-routing-key": "unit.dead",
    }
    assert app.conf.task_routes["shenava.detect_brand"]["queue"] == "unit.alerts"
    # a broker restart: workers reconnect without end, publishes wait for it
    assert app.conf.broker_connection_retry and app.conf.broker_connection_max_retries is None
    assert app.conf.task_publish_retry and app.conf.task_publish_retry_policy["max_retries"] >= 10
    monkeypatch.setenv("SHENAVA_BROKER_URL", "redis://127.0.0.1:6379/0")  # Redis has no quorum queues
    app = configure(settings(queue_prefix="unit"))
    assert all(not q.queue_arguments for q in app.conf.task_queues)
