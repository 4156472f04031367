"""The pipeline on Celery against the machine's real RabbitMQ and PostgreSQL: real ``shenava
worker`` and ``shenava beat`` processes replay a file; every mention is stored exactly once and
every alert delivered exactly once, through a second beat started by mistake, a worker killed
with SIGKILL mid-run and every database connection cut, and a real restart of RabbitMQ and then
of PostgreSQL mid-run."""

from __future__ import annotations

import signal
from collections import Counter

import pytest

from tests.distributed.conftest import Cluster, file_ids, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.rabbitmq, pytest.mark.timeout(900)]


def stored_exactly_once(cluster: Cluster) -> None:
    stored = [r[0] for r in cluster.query("SELECT external_id FROM mentions")]
    expected = file_ids(cluster.replay_file)
    assert len(stored) == len(set(stored)), "a mention was stored twice"
    assert sorted(stored) == sorted(expected), f"{len(stored)} stored of {len(expected)}"


def test_replay_stored_once_and_a_second_beat_only_stands_by(make_cluster) -> None:  # type: ignore[no-untyped-def]
    cluster = make_cluster(lines=600)
    beat1 = cluster.start("beat1", "beat")
    assert wait_for(lambda: "is the leader" in cluster.log("beat1"), 120), cluster.logs()
    cluster.start("beat2", "beat")
    cluster.worker("w1", concurrency=2)
    total = len(file_ids(cluster.replay_file))
    assert wait_for(lambda: cluster.stored_count() >= total, 240, 1.0), cluster.logs()
    stored_exactly_once(cluster)
    assert "is the leader" not in cluster.log("beat2")
    # the leader dies: the standby takes over (its database lock was released with the connection)
    cluster.kill(beat1, signal.SIGKILL)
    assert wait_for(lambda: "is the leader" in cluster.log("beat2"), 60), cluster.logs()


def test_sigkill_mid_run_and_cut_database_connections_lose_and_repeat_nothing(make_cluster) -> None:  # type: ignore[no-untyped-def]
    cluster = make_cluster(lines=1400)
    total = len(file_ids(cluster.replay_file))
    cluster.start("beat", "beat")
    first = cluster.worker("w1", concurrency=1)
    assert wait_for(lambda: cluster.stored_count() >= 1 or first.poll() is not None, 240, 0.1), cluster.logs()
    assert first.poll() is None, cluster.log("w1")
    # mid-run: batches are queued, one is being analysed; the worker and its pool die at once
    cluster.kill(first, signal.SIGKILL)
    assert cluster.stored_count() < total
    cluster.terminate_db_connections()
    cluster.worker("w2", concurrency=2)
    assert wait_for(lambda: cluster.stored_count() >= total, 300, 1.0), cluster.logs()
    stored_exactly_once(cluster)
    checkpoint = cluster.query("SELECT state FROM listener_checkpoints WHERE key NOT LIKE '%#published'")
    assert checkpoint, "no checkpoint stored with the mentions"
    delivered_exactly_once(cluster)


def delivered_exactly_once(cluster: Cluster) -> None:
    def all_settled() -> bool:
        # A 'sending' row is in flight: the hook may not have it yet while the row turns 'sent' a moment
        # later (a CI run once read the hook's keys in that gap), so wait for it as for 'pending'.
        rows = cluster.query("SELECT status, count(*) FROM deliveries GROUP BY status")
        counts = dict(rows)
        return counts.get("sent", 0) > 0 and counts.get("pending", 0) == 0 and counts.get("sending", 0) == 0

    assert wait_for(all_settled, 120, 1.0), cluster.logs()
    keys = [key for key, _ in cluster.hook.received]
    repeated = [key for key, n in Counter(keys).items() if n > 1]
    assert not repeated, f"delivered twice: {repeated[:5]}"
    sent = {r[0] for r in cluster.query("SELECT dedup_key FROM deliveries WHERE status = 'sent'")}
    assert set(keys) == sent


def test_broker_and_database_restarts_mid_run_lose_and_repeat_nothing(  # type: ignore[no-untyped-def]
    make_cluster, rabbitmq_restart, postgres_restart
) -> None:
    """RabbitMQ stopped and started while batches wait in its queues and one is being analysed,
    then the PostgreSQL server restarted: workers and beat reconnect by themselves."""
    cluster = make_cluster(lines=1400)
    total = len(file_ids(cluster.replay_file))
    cluster.start("beat", "beat")
    cluster.worker("w1", concurrency=2)
    assert wait_for(lambda: cluster.stored_count() >= 1, 240, 0.1), cluster.logs()
    before = cluster.stored_count()
    assert before < total
    rabbitmq_restart(3.0)
    # the workers reconnected: storing goes on
    assert wait_for(lambda: cluster.stored_count() > before, 240, 0.5), cluster.logs()
    assert cluster.stored_count() < total
    postgres_restart()
    assert wait_for(lambda: cluster.stored_count() >= total, 300, 1.0), cluster.logs()
    stored_exactly_once(cluster)
    delivered_exactly_once(cluster)
    assert all(p.poll() is None for p in cluster.procs), "a process gave up instead of reconnecting"
