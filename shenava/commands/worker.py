"""``shenava worker`` and ``shenava beat``: the pipeline on Celery (see shenava/distributed/).

Both read the same YAML as every other command; ``distributed.broker_url`` (or
``$SHENAVA_BROKER_URL``) names the broker and ``storage.url`` must be PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import tempfile
from typing import Annotated

import typer

from shenava.cli_support import (
    ConfigOption,
    LogJsonOption,
    VerboseOption,
    load_settings_or_exit,
    print_error,
    setup_logging,
)


def _kinds(queues: str) -> list[str]:
    from shenava.distributed.queues import KINDS

    kinds = [q.strip() for q in queues.split(",") if q.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        names = ", ".join(unknown) or "(none)"
        print_error(f"unknown queue {names}; the queues are {', '.join(KINDS)}")
        raise typer.Exit(2)
    return kinds


def _configured_app(settings):  # type: ignore[no-untyped-def]
    from shenava.distributed.app import DistributedConfigError, configure

    try:
        return configure(settings)
    except DistributedConfigError as exc:
        print_error(exc)
        raise typer.Exit(2) from None


def _serve_metrics(port: int, *, pool: bool) -> None:
    """/metrics on 127.0.0.1:``port``; a worker's (``pool``) sums every pool process
    (prometheus_client multiprocess mode). A taken port names itself: the bare OSError does not."""
    from prometheus_client import REGISTRY, CollectorRegistry, start_http_server
    from prometheus_client.multiprocess import MultiProcessCollector

    from shenava.ports import bind_or_name

    registry = REGISTRY
    if pool:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    bind_or_name("127.0.0.1", port, lambda: start_http_server(port, addr="127.0.0.1", registry=registry))


def register(app: typer.Typer) -> None:
    @app.command("worker")
    def worker(
        config: ConfigOption = None,
        queues: Annotated[
            str, typer.Option("--queues", "-Q", help="Queues to consume: listen,nlp,alerts,io.")
        ] = "listen,nlp,alerts,io",
        concurrency: Annotated[
            int, typer.Option("--concurrency", min=1, max=256, help="Worker processes (one model each).")
        ] = 1,
        name: Annotated[
            str | None, typer.Option("--name", help="Worker name (default: shenava-PID@host).")
        ] = None,
        log_json: LogJsonOption = False,
        verbose: VerboseOption = False,
    ) -> None:
        """Run a Celery worker on the given queues; the model loads once per process (nlp queue)."""
        settings = load_settings_or_exit(config)
        setup_logging(settings, log_json=log_json, verbose=verbose)
        kinds = _kinds(queues)
        port = settings.distributed.metrics_port
        if port and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:  # before prometheus_client is imported
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="shenava-metrics-")
        celery_app = _configured_app(settings)
        from shenava.distributed import runtime
        from shenava.distributed.queues import queue_name

        runtime.prepare(settings, eager_model="nlp" in kinds)
        if port:
            _serve_metrics(port + 1, pool=True)
        prefix = settings.distributed.queue_prefix
        argv = [
            "worker",
            "--queues", ",".join(queue_name(prefix, k) for k in kinds),
            "--concurrency", str(concurrency),
            "--pool", "prefork",
            "--hostname", name or f"shenava-{os.getpid()}@{socket.gethostname()}",
            "--loglevel", "DEBUG" if verbose else "INFO",
            "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        celery_app.worker_main(argv)

    @app.command("beat")
    def beat(
        config: ConfigOption = None,
        max_seconds: Annotated[
            float | None, typer.Option("--max-seconds", min=0, help="Stop after this many seconds.")
        ] = None,
        log_json: LogJsonOption = False,
        verbose: VerboseOption = False,
    ) -> None:
        """The cluster's one scheduler: sends each listener's poll once per interval, detection,
        dispatch and digests. A second beat waits as a standby and takes over if the first dies."""
        settings = load_settings_or_exit(config)
        setup_logging(settings, log_json=log_json, verbose=verbose)
        celery_app = _configured_app(settings)
        from shenava.distributed.beat import Beat
        from storage.db import init_db

        init_db(settings.storage.url)  # migrations, as `shenava run` does; workers expect them
        if settings.distributed.metrics_port:
            _serve_metrics(settings.distributed.metrics_port, pool=False)
        raise typer.Exit(Beat(settings, celery_app).run(max_seconds=max_seconds))
