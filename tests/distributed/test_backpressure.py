"""Backpressure: past ``nlp_queue_bound`` waiting batches, a listener poll fetches nothing."""

from __future__ import annotations

import json
import uuid

import pytest
import yaml
from kombu import Connection

from config.settings import Settings
from tests.conftest import PostgresServer
from tests.distributed.conftest import ROOT, SAMPLE, _delete_queues, rabbitmq_unavailable

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(params=["rabbitmq", "redis"])
def any_broker(request: pytest.FixtureRequest, broker_url: str) -> str:
    """RabbitMQ (the default) and Redis (supported by URL); CI runs both."""
    if request.param == "rabbitmq":
        return broker_url
    try:
        with Connection(REDIS_URL, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:
        rabbitmq_unavailable(f"Redis at {REDIS_URL} is unreachable ({type(exc).__name__})")
    return REDIS_URL


def test_a_full_nlp_queue_holds_polls_back(
    tmp_path, pg_server: PostgresServer, any_broker: str, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from shenava.distributed import runtime, tasks
    from shenava.distributed.app import configure
    from shenava.distributed.cluster_status import collect
    from storage.db import init_db

    db_url = pg_server.create_database()
    init_db(db_url)
    prefix = f"t{uuid.uuid4().hex[:10]}"
    base = yaml.safe_load((ROOT / "config" / "shenava.yaml").read_text(encoding="utf-8"))
    base["storage"] = {"url": db_url}
    base["sources"] = {"replay": {"enabled": True, "file": str(SAMPLE), "speed": 1e9}}
    base["nlp"] = {"sentiment": {"model": "fallback"}}
    base["distributed"] = {"queue_prefix": prefix, "nlp_queue_bound": 2}
    settings = Settings.model_validate(base)
    broker_url = any_broker
    monkeypatch.setenv("SHENAVA_BROKER_URL", broker_url)
    app = configure(settings)
    runtime.prepare(settings, eager_model=False)
    try:
        with Connection(broker_url) as conn, conn.Producer() as producer:
            for queue in app.conf.task_queues:  # declares the queues, as a worker would
                queue(conn.default_channel).declare()
            for i in range(3):
                producer.publish({"n": i}, routing_key=f"{prefix}.nlp", exchange=f"{prefix}.nlp")
        result = tasks.poll.run("replay:mentions")
        assert result["status"] == "backpressure" and result["nlp_depth"] == 3
        report = collect(settings, app, ping_timeout=0.2)
        assert report["backpressure"] is True
        assert {q["kind"]: q["messages"] for q in report["queues"]}["nlp"] == 3
        # the same through the command line, beside the store's status
        config = tmp_path / "shenava.yaml"
        config.write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
        from typer.testing import CliRunner

        from shenava.cli import app as cli

        result = CliRunner().invoke(cli, ["status", "--cluster", "--json", "--config", str(config)])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["cluster"]["backpressure"] is True
    finally:
        runtime._current = None
        _delete_queues(prefix, broker_url)
