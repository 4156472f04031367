"""A batch that kills its worker every time stops after ``distributed.delivery_limit`` deliveries.

Real RabbitMQ (quorum queues with ``x-delivery-limit``), real ``shenava beat`` and a worker whose
model SIGKILLs its process on one text (``tests.distributed.poison_worker``): with late
acknowledgement that batch would come back forever. Here RabbitMQ dead-letters it after the
limit, beat drains it into the dead letters, and every other batch is stored: each mention of the
file is stored or dead-lettered, exactly once. Visible in ``shenava cluster status`` and metrics.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
from typer.testing import CliRunner

from tests.distributed.conftest import Cluster, file_ids, wait_for
from tests.distributed.poison_worker import POISON
from tests.ports import free_port_pair

# each kill costs a new pool process loading the model (seconds; a minute on a loaded machine)
pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.rabbitmq, pytest.mark.timeout(600)]


def _dead_lettered(cluster: Cluster) -> list[str]:
    return [r[0] for r in cluster.query("SELECT external_id FROM dead_letters")]


def test_a_batch_that_kills_its_worker_every_time_goes_to_the_dead_letters(make_cluster) -> None:  # type: ignore[no-untyped-def]
    port = free_port_pair()
    cluster = make_cluster(lines=500, poison_at=250, delivery_limit=1, metrics_port=port)
    expected = file_ids(cluster.replay_file)
    cluster.start("beat", "beat")
    cluster.worker("w1", concurrency=1, module="tests.distributed.poison_worker")

    def settled() -> bool:
        return cluster.stored_count() + len(_dead_lettered(cluster)) >= len(expected)

    assert wait_for(settled, 480, 1.0), cluster.logs()
    stored = [r[0] for r in cluster.query("SELECT external_id FROM mentions")]
    dead = _dead_lettered(cluster)
    assert len(stored) == len(set(stored)) and len(dead) == len(set(dead))
    assert not set(stored) & set(dead)
    assert sorted(stored + dead) == sorted(expected)
    # the replay's batch of 200 holding the poison, no more, and the poison itself among them
    poison = cluster.query("SELECT external_id FROM dead_letters WHERE payload LIKE :p", p=f"%{POISON}%")
    assert len(poison) == 1 and 0 < len(dead) <= 200
    (error,) = {r[0] for r in cluster.query("SELECT error FROM dead_letters")}
    assert "more than 1 deliveries" in error and "delivery_limit" in error
    # the worker died on it twice: the limit was reached by deliveries, not by retries
    assert cluster.log("w1").count("exited with 'signal 9 (SIGKILL)'") == 2

    def beat_metrics() -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            return response.read().decode()

    drained = 'shenava_dead_lettered_total{task="shenava.analyse_store"} 1.0'
    empty = f'shenava_queue_depth{{queue="{cluster.prefix}.dead"}} 0.0'
    assert wait_for(lambda: drained in (m := beat_metrics()) and empty in m, 30, 1.0), beat_metrics()

    from shenava.cli import app as cli

    result = CliRunner().invoke(cli, ["cluster", "status", "--json", "--config", str(cluster.config)])
    assert result.exit_code == 0, result.output
    queues = {q["kind"]: q for q in json.loads(result.output)["queues"]}
    assert queues["dead"]["messages"] == 0 and queues["nlp"]["consumers"] == 1
