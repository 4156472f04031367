"""``shenava cluster status``: the Celery cluster's workers, queue depths and backpressure."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from shenava.cli_support import ConfigOption, console, load_settings_or_exit
from shenava.terminal_text import markup_literal

cluster_app = typer.Typer(help="The Celery cluster (shenava worker / shenava beat): its state.")


@cluster_app.command("status")
def status(
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as one JSON object.")] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, max=30, help="Seconds to wait for pings.")
    ] = 1.0,
) -> None:
    """Workers that answer a ping, messages waiting per queue, and whether polls are held back."""
    settings = load_settings_or_exit(config)
    report = cluster_report(settings, timeout)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_cluster(report)
    raise typer.Exit(1 if "broker_error" in report else 0)


def cluster_report(settings, timeout: float = 1.0) -> dict:  # type: ignore[no-untyped-def]
    """What ``shenava cluster status`` and ``shenava status --cluster`` show."""
    from shenava.commands.worker import _configured_app
    from shenava.distributed.cluster_status import collect

    return collect(settings, _configured_app(settings), ping_timeout=timeout)


def print_cluster(report: dict) -> None:  # type: ignore[type-arg]
    if "broker_error" in report:
        console.print(f"[red]broker unreachable[/]: {markup_literal(report['broker_error'])}")
        return
    console.print(f"[bold]workers[/] ({len(report['workers'])} answered):")
    for name, queues in report["workers"].items():
        console.print(f"  {name}: {', '.join(queues)}", markup=False)
    console.print("[bold]queues[/]:")
    for q in report["queues"]:
        waiting = "not declared yet" if q["messages"] is None else f"{q['messages']} waiting"
        if q["kind"] == "dead":  # no consumers by design: beat moves them to the dead letters
            console.print(f"  {q['queue']}: {waiting} (past the delivery limit; shenava deadletter list)")
            continue
        console.print(f"  {q['queue']}: {waiting}, {q['consumers'] or 0} consumers")
    state = "ON — listener polls are skipped" if report["backpressure"] else "off"
    console.print(f"[bold]backpressure[/]: {state} (nlp bound {report['nlp_queue_bound']})")


def register(app: typer.Typer) -> None:
    app.add_typer(cluster_app, name="cluster")
