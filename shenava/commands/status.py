"""``shenava status``: what is stored, how each listener is doing, what is open."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from shenava.cli_support import (
    ConfigOption,
    console,
    load_settings_or_exit,
    local_minute,
    storage_engine_or_exit,
)
from shenava.terminal_text import markup_cell

_ERROR_CHARS = 120


def register(app: typer.Typer) -> None:
    @app.command("status")
    def status(
        config: ConfigOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the status as one JSON object.")] = False,
        cluster: Annotated[
            bool, typer.Option("--cluster", help="Also the Celery cluster: workers, queues, backpressure.")
        ] = False,
    ) -> None:
        """Counts per source, brand and sentiment; listener checkpoints and last errors; open incidents."""
        settings = load_settings_or_exit(config)
        from shenava.status_report import collect_status

        with storage_engine_or_exit(settings) as engine:
            report = collect_status(engine)
        if cluster:  # shenava worker / beat (shenava/distributed/)
            from shenava.commands.cluster import cluster_report

            report["cluster"] = cluster_report(settings)
        if as_json:
            typer.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))
            return
        _print(report, settings.timezone)
        if cluster:
            from shenava.commands.cluster import print_cluster

            print_cluster(report["cluster"])


def _local(iso: str | None, timezone: str) -> str:
    """An ISO time from the report as the configured zone reads it (the JSON keeps UTC ISO)."""
    from datetime import datetime

    return local_minute(datetime.fromisoformat(iso), timezone) if iso else "—"


def _print(report: dict[str, Any], timezone: str) -> None:
    from rich.table import Table

    newest = report["newest_mention_at"]
    console.print(
        f"[bold]{report['mentions']}[/] mentions stored"
        + (f", newest from {_local(newest, timezone)}" if newest else "")
        + f" (times in {markup_cell(timezone)})"
    )
    if report["by_source"]:
        console.print(
            "by source: " + ", ".join(f"{markup_cell(k)} {v}" for k, v in report["by_source"].items())
        )
    if report["by_sentiment"]:
        console.print(
            "by sentiment: "
            + ", ".join(f"{markup_cell(k)} {v}" for k, v in sorted(report["by_sentiment"].items()))
        )
    if report["by_brand"]:
        table = Table("brand", "mentions", "negative", "neutral", "positive", title="brands")
        for brand, counts in report["by_brand"].items():
            table.add_row(
                markup_cell(brand),
                *(str(counts.get(k, 0)) for k in ("total", "negative", "neutral", "positive")),
            )
        console.print(table)
    table = Table("listener", "last run", "items", "checkpoint", "last error", title="listeners")
    for lst in report["listeners"]:
        error = ""
        if lst["last_error_kind"]:
            error = markup_cell(f"{lst['last_error_kind']}: {(lst['last_error'] or '')[:_ERROR_CHARS]}")
            if lst["consecutive_failures"]:
                error = f"[red]{error} (×{lst['consecutive_failures']})[/]"
        checkpoint = json.dumps(lst["checkpoint"], ensure_ascii=False) if lst["checkpoint"] else "—"
        table.add_row(
            markup_cell(lst["key"]),
            _local(lst["last_run_at"], timezone),
            str(lst["items_total"]),
            markup_cell(checkpoint),
            error,
        )
    console.print(table if report["listeners"] else "no listener has run yet")
    if report["open_incidents"]:
        table = Table(
            "#", "brand", "touchpoints", "severity", "opened", "peak", "assigned", title="open incidents"
        )
        for inc in report["open_incidents"]:
            table.add_row(
                str(inc["id"]),
                markup_cell(inc["brand"]),
                markup_cell(", ".join(inc["touchpoints"]) or "—"),
                inc["severity"],
                _local(inc["opened_at"], timezone),
                f"{inc['peak_count']:g}",
                markup_cell(inc["assigned_to"] or "—"),
            )
        console.print(table)
    else:
        console.print("no open incidents")
    console.print(f"open urgent alerts: {report['open_urgent_alerts']}")
    if report.get("dead_letters"):
        console.print(
            f"[yellow]dead letters: {report['dead_letters']}[/] (mentions that could not be stored; "
            "shenava deadletter list)"
        )
