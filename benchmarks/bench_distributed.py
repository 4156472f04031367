"""End-to-end throughput of the pipeline: the embedded default and the Celery cluster.

Mentions/s from the listener to stored, scored and checked (urgent check included), in steady
state (from the first stored batch to the last, so model loading is not counted), for
``shenava run`` (one process, SQLite) and for ``shenava beat`` + ``shenava worker`` with 1, 2
and 4 worker processes (RabbitMQ, PostgreSQL), with the CPU the processes used (CPU seconds per
1000 mentions and cores busy on average). The configured (builtin) sentiment model scores.
CPU seconds per 1000 mentions hardly depend on what else loads the machine, the wall-clock rates
do: each line ends with the load average, and the README sizes workers from the CPU figure.

    .venv/bin/python -m benchmarks distributed     (SHENAVA_BENCH_QUICK=1: 1000 lines, not 4000)

Needs RabbitMQ at 127.0.0.1:5672 (or $SHENAVA_BENCH_BROKER_URL) and PostgreSQL at 127.0.0.1:5432.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample" / "mentions.jsonl"
PG_ADMIN = os.environ.get("SHENAVA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BROKER = os.environ.get("SHENAVA_BENCH_BROKER_URL", "amqp://guest@127.0.0.1:5672//")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Figure:
    label: str
    mentions: int
    seconds: float
    cpu_seconds: float
    #: the machine's 1-minute load average when the run ended (other work slows wall-clock rates)
    load: float = 0.0

    def line(self) -> str:
        rate = self.mentions / self.seconds if self.seconds else float("nan")
        per_k = 1000 * self.cpu_seconds / self.mentions if self.mentions else float("nan")
        cores = self.cpu_seconds / self.seconds if self.seconds else float("nan")
        return (
            f"{self.label:<22} {rate:8.1f} mentions/s  ({self.mentions} in {self.seconds:.1f} s; "
            f"CPU {per_k:.1f} s per 1000 mentions, {cores:.2f} cores busy; load {self.load:.1f})"
        )


def group_cpu_seconds(pgids: list[int]) -> float:
    """utime + stime of every live process in these process groups (the pool processes too)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) in pgids:  # pgrp
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def count_mentions(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM mentions")).scalar() or 0)
    except Exception:
        return 0
    finally:
        engine.dispose()


def measure(
    label: str,
    url: str,
    total: int,
    procs: list[subprocess.Popen[bytes]],
    timeout: float,
    checked: Callable[[], bool] = lambda: True,
) -> Figure:
    """Steady state: from the first stored rows to the last mention stored and ``checked`` (the
    cluster's urgent checks run as tasks after their batch: none may still wait)."""
    pgids = [p.pid for p in procs]
    deadline = time.monotonic() + timeout
    first: tuple[float, int, float] | None = None
    while time.monotonic() < deadline:
        n = count_mentions(url)
        if first is None and n > 0:
            first = (time.monotonic(), n, group_cpu_seconds(pgids))
        if n >= total and first is not None and checked():
            end, cpu = time.monotonic(), group_cpu_seconds(pgids)
            return Figure(label, total - first[1], end - first[0], cpu - first[2], os.getloadavg()[0])
        time.sleep(0.1)
    raise TimeoutError(f"{label}: {count_mentions(url)} of {total} stored after {timeout:.0f} s")


def config(tmp: Path, url: str, replay: Path, prefix: str) -> Path:
    base = yaml.safe_load((ROOT / "config" / "shenava.yaml").read_text(encoding="utf-8"))
    base["storage"] = {"url": url}
    base["sources"] = {
        "replay": {"enabled": True, "file": str(replay), "speed": 1e9, "interval_seconds": 0.5}
    }
    base["notifications"] = {"channels": [{"name": "f", "type": "file", "path": str(tmp / "alerts.jsonl")}]}
    base["digest"] = {"enabled": False}
    base["distributed"] = {"queue_prefix": prefix, "batches_per_poll": 20, "nlp_queue_bound": 50}
    path = tmp / f"{prefix}.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def start(cfg: Path, tmp: Path, name: str, *args: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHENAVA_")}
    env.update(SHENAVA_CONFIG=str(cfg), SHENAVA_BROKER_URL=BROKER, PYTHONPATH=str(ROOT))
    with (tmp / f"{name}.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "shenava.cli", *args],
            cwd=tmp,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)


def embedded(tmp: Path, replay: Path, total: int) -> Figure:
    url = f"sqlite:///{tmp / 'embedded.db'}"
    cfg = config(tmp, url, replay, "embedded")
    proc = start(cfg, tmp, "embedded", "run", "--until-idle")
    try:
        return measure("embedded (shenava run)", url, total, [proc], timeout=900)
    finally:
        stop([proc])


def cluster(tmp: Path, replay: Path, total: int, workers: int) -> Figure:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from storage.db import init_db

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"shenava_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    prefix = f"bench{uuid.uuid4().hex[:8]}"
    procs: list[subprocess.Popen[bytes]] = []
    try:
        init_db(url)
        cfg = config(tmp, url, replay, prefix)
        procs.append(start(cfg, tmp, f"{prefix}-beat", "beat"))
        procs.append(start(cfg, tmp, f"{prefix}-worker", "worker", "--concurrency", str(workers)))
        label = f"cluster, {workers} worker process{'es' if workers > 1 else ''}"
        return measure(label, url, total, procs, timeout=900, checked=lambda: _alerts_idle(prefix))
    finally:
        stop(procs)
        _drop_queues(prefix)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _alerts_idle(prefix: str) -> bool:
    """No urgent check (nor batch) waits in the broker."""
    from kombu import Connection

    from shenava.distributed.queues import ALERTS, NLP, queue_name

    with Connection(BROKER, connect_timeout=3) as conn:
        channel = conn.channel()
        try:
            return all(
                channel.queue_declare(queue=queue_name(prefix, kind), passive=True).message_count == 0
                for kind in (NLP, ALERTS)
            )
        finally:
            channel.close()


def _drop_queues(prefix: str) -> None:
    from kombu import Connection

    from shenava.distributed.queues import KINDS, dead_name, queue_name

    with Connection(BROKER, connect_timeout=3) as conn:
        for name in [*(queue_name(prefix, kind) for kind in KINDS), dead_name(prefix)]:
            channel = conn.channel()
            channel.queue_delete(name)
            channel.exchange_delete(name)
            channel.close()


def main() -> None:
    quick = os.environ.get("SHENAVA_BENCH_QUICK") == "1"
    lines = 1000 if quick else 4000
    counts = (1, 2, 4)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other work skews this)")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        replay = tmp / "mentions.jsonl"
        replay.write_text(
            "".join(SAMPLE.read_text(encoding="utf-8").splitlines(True)[:lines]), encoding="utf-8"
        )
        from listeners.mention_file import iter_file

        total = sum(1 for r in iter_file(replay, default_source="replay") if r.mention)
        print(embedded(tmp, replay, total).line(), flush=True)
        for n in counts:
            print(cluster(tmp, replay, total, n).line(), flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
