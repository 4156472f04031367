"""A real cluster per test: ``shenava beat`` and ``shenava worker`` processes on the machine's
RabbitMQ and a private PostgreSQL database, a replay file, alerts to a local webhook server.

Each test gets its own queue prefix (``t<random>``), so parallel runs never share a queue, and
its own database. RabbitMQ unreachable: the tests skip, unless ``SHENAVA_REQUIRE_RABBITMQ=1``
(CI, set by .ci/run): then they fail, like ``SHENAVA_REQUIRE_POSTGRES`` for PostgreSQL.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text

from storage.db import init_db
from tests.conftest import PostgresServer, postgres_unavailable

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "mentions.jsonl"
BROKER_URL = os.environ.get("SHENAVA_TEST_BROKER_URL", "amqp://guest@127.0.0.1:5672//")


def rabbitmq_unavailable(reason: str) -> None:
    if os.environ.get("SHENAVA_REQUIRE_RABBITMQ") == "1":
        pytest.fail(f"RabbitMQ is required (SHENAVA_REQUIRE_RABBITMQ=1) but {reason}", pytrace=False)
    pytest.skip(f"RabbitMQ not available: {reason}")


@pytest.fixture(scope="session")
def _broker_or_error() -> str | None:
    from kombu import Connection

    try:
        with Connection(BROKER_URL, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:
        return f"{BROKER_URL} is unreachable ({type(exc).__name__}: {str(exc)[:200]})"
    return None


@pytest.fixture
def broker_url(_broker_or_error: str | None) -> str:
    if _broker_or_error is not None:
        rabbitmq_unavailable(_broker_or_error)
    return BROKER_URL


class Hook:
    """A local webhook endpoint recording each delivery's key."""

    def __init__(self) -> None:
        received: list[tuple[str, dict]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append((self.headers.get("X-Shenava-Delivery") or "", json.loads(body or b"{}")))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.received = received
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Cluster:
    dir: Path
    config: Path
    db_url: str
    prefix: str
    replay_file: Path
    hook: Hook
    procs: list[subprocess.Popen[str]] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SHENAVA_", "PROMETHEUS_"))}
        env.update(
            SHENAVA_CONFIG=str(self.config),
            SHENAVA_BROKER_URL=BROKER_URL,
            SHENAVA_WEBHOOK_SECRET="test-secret",
            PYTHONPATH=str(ROOT),
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self, name: str, *args: str, module: str = "shenava.cli") -> subprocess.Popen[str]:
        """A ``shenava`` process in its own process group (a SIGKILL reaches its pool too)."""
        log = (self.dir / f"{name}.log").open("a", encoding="utf-8")
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", module, *args],
                cwd=self.dir,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
        finally:
            log.close()
        self.procs.append(proc)
        return proc

    def worker(  # type: ignore[no-untyped-def]
        self,
        name: str,
        queues: str = "listen,nlp,alerts,io",
        concurrency: int = 1,
        module: str = "shenava.cli",
    ):
        return self.start(
            name,
            "worker",
            "--queues",
            queues,
            "--concurrency",
            str(concurrency),
            "--name",
            f"{name}@{self.prefix}",
            module=module,
        )

    def log(self, name: str) -> str:
        path = self.dir / f"{name}.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def logs(self) -> str:
        return "\n".join(
            f"== {p.name}\n{p.read_text(encoding='utf-8')[-3000:]}" for p in self.dir.glob("*.log")
        )

    def query(self, sql: str, **params: object) -> list[tuple]:
        engine = create_engine(self.db_url)
        try:
            with engine.connect() as conn:
                return [tuple(r) for r in conn.execute(text(sql), params)]
        finally:
            engine.dispose()

    def stored_count(self) -> int:
        return self.query("SELECT count(*) FROM mentions")[0][0]

    def terminate_db_connections(self) -> int:
        """What a database restart does to the workers: every connection to the database dropped."""
        rows = self.query(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(rows[0][0])

    @staticmethod
    def kill(proc: subprocess.Popen[str], sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        proc.wait(timeout=60)

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                self.kill(proc)
        _delete_queues(self.prefix)


def _delete_queues(prefix: str, url: str = BROKER_URL) -> None:
    from kombu import Connection

    from shenava.distributed.queues import KINDS, dead_name, queue_name

    try:
        with Connection(url, connect_timeout=3) as conn:
            for name in [*(queue_name(prefix, kind) for kind in KINDS), dead_name(prefix)]:
                channel = conn.channel()
                try:
                    channel.queue_delete(name)
                    channel.exchange_delete(name)
                except Exception:
                    pass
                finally:
                    with contextlib.suppress(Exception):
                        channel.close()
    except Exception:
        pass


def broker_reachable(url: str = BROKER_URL) -> bool:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False


def _run(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture
def rabbitmq_restart(broker_url: str) -> Callable[[float], None]:
    """``restart(pause)``: the machine's RabbitMQ stopped (``rabbitmqctl stop_app``) for ``pause``
    seconds and started again, always (``finally``), waiting until it accepts connections.

    Needs ``rabbitmqctl`` with the node's cookie (root or the rabbitmq user; CI runs as root);
    without it the test skips, or fails where ``SHENAVA_REQUIRE_RABBITMQ=1``."""
    probe = shutil.which("rabbitmqctl") and _run("rabbitmqctl", "status", timeout=60)
    if not probe or probe.returncode != 0:
        why = "no rabbitmqctl on PATH" if not probe else (probe.stderr or probe.stdout)[-300:]
        rabbitmq_unavailable(f"the broker cannot be restarted here: {why}")

    def restart(pause: float) -> None:
        try:
            stopped = _run("rabbitmqctl", "stop_app")
            assert stopped.returncode == 0, stopped.stderr
            assert not broker_reachable()
            time.sleep(pause)
        finally:
            _run("rabbitmqctl", "start_app")
            _run("rabbitmqctl", "await_startup")
            assert wait_for(broker_reachable, 120, 1.0), "RabbitMQ did not come back"

    return restart


@pytest.fixture
def postgres_restart(pg_server: PostgresServer) -> Callable[[], None]:
    """``restart()``: the machine's PostgreSQL cluster restarted (``pg_ctlcluster … restart -m
    fast``: every connection of every database is cut, as in a real outage), then waited for.

    Only when the tests' server is this machine's cluster and ``pg_ctlcluster`` may run (root or
    postgres; CI runs as root, one test at a time); else skip, or fail under
    ``SHENAVA_REQUIRE_POSTGRES=1``. The outage lasts about a second: other tests on a shared
    machine retry their connections."""
    port = pg_server.admin_url.port or 5432
    listed = _run("pg_lsclusters", "--no-header") if shutil.which("pg_lsclusters") else None
    cluster = None
    for line in (listed.stdout if listed and listed.returncode == 0 else "").splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[2] == str(port) and parts[3] == "online":
            cluster = (parts[0], parts[1])
    local = pg_server.admin_url.host in (None, "127.0.0.1", "localhost", "::1")
    if cluster is None or not local:
        postgres_unavailable(f"no local PostgreSQL cluster on port {port} that this user may restart")
    assert cluster is not None

    def restart() -> None:
        try:
            done = _run("pg_ctlcluster", "--skip-systemctl-redirect", *cluster, "restart", "-m", "fast")
            assert done.returncode == 0, done.stderr
        finally:
            if _run("pg_isready", "-h", "127.0.0.1", "-p", str(port)).returncode != 0:
                _run("pg_ctlcluster", "--skip-systemctl-redirect", *cluster, "start")
            assert wait_for(lambda: _pg_ready(port), 120, 0.5), "PostgreSQL did not come back"

    return restart


def _pg_ready(port: int) -> bool:
    return _run("pg_isready", "-h", "127.0.0.1", "-p", str(port), timeout=10).returncode == 0


def wait_for(predicate: Callable[[], bool], timeout: float, interval: float = 0.3) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def file_ids(path: Path) -> list[str]:
    from listeners.mention_file import iter_file

    return [r.mention.external_id for r in iter_file(path, default_source="replay") if r.mention]


@pytest.fixture
def make_cluster(
    tmp_path: Path, pg_server: PostgresServer, broker_url: str
) -> Iterator[Callable[..., Cluster]]:
    made: list[Cluster] = []

    def make(lines: int = 600, poison_at: int | None = None, **distributed: object) -> Cluster:
        db_url = pg_server.create_database()
        init_db(db_url)
        replay = tmp_path / "mentions.jsonl"
        chosen = SAMPLE.read_text(encoding="utf-8").splitlines(True)[:lines]
        if poison_at is not None:  # that line's text kills the model (tests.distributed.poison_worker)
            from tests.distributed.poison_worker import POISON

            line = json.loads(chosen[poison_at])
            chosen[poison_at] = json.dumps({**line, "text": f"{line['text']} {POISON}"}) + "\n"
        replay.write_text("".join(chosen), encoding="utf-8")
        hook = Hook()
        prefix = f"t{uuid.uuid4().hex[:10]}"
        base = yaml.safe_load((ROOT / "config" / "shenava.yaml").read_text(encoding="utf-8"))
        base["storage"] = {"url": db_url}
        # the whole file is due at once: what is under test is delivery, not the replay's clock
        base["sources"] = {
            "replay": {"enabled": True, "file": str(replay), "speed": 1e9, "interval_seconds": 1.0}
        }
        base.setdefault("nlp", {}).setdefault("sentiment", {})["model"] = "fallback"
        base["notifications"] = {"channels": [{"name": "hook", "type": "webhook", "url": hook.url}]}
        base["digest"] = {"enabled": False}
        base["distributed"] = {
            "queue_prefix": prefix,
            "detect_interval_seconds": 2,
            "dispatch_interval_seconds": 1,
            **distributed,
        }
        config = tmp_path / "shenava.yaml"
        config.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
        cluster = Cluster(tmp_path, config, db_url, prefix, replay, hook)
        made.append(cluster)
        return cluster

    yield make
    for cluster in made:
        cluster.close()
        cluster.hook.close()
