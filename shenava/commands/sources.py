"""``shenava sources``: each listener's state (configured, last run, checkpoint, error, 24 h items)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from shenava.cli_support import ConfigOption, console, load_settings_or_exit, storage_engine_or_exit


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if hasattr(value, "strftime") else "never"


def register(app: typer.Typer) -> None:
    @app.command("sources")
    def sources(
        config: ConfigOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per source.")] = False,
    ) -> None:
        """Each listener: configured or not (and why), last run, checkpoint, last error, items in 24 h."""
        settings = load_settings_or_exit(config)
        from rich.markup import escape

        from listeners.status import sources_report

        with storage_engine_or_exit(settings) as engine:
            reports = sources_report(settings, engine)
        if as_json:
            typer.echo(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2))
            return
        for report in reports:
            state = "[green]on[/]" if report.configured else f"[yellow]off[/] — {escape(report.reason or '')}"
            console.print(
                f"[bold]{report.name}[/]: {state}; {report.items_24h} items stored in the last 24 h",
                soft_wrap=True,
            )
            for target in report.targets:
                console.print(f"  {escape(target.key)}", soft_wrap=True)
                console.print(
                    f"    last run: {_when(target.last_run_at)} ({target.items_last_run} new items);"
                    f" last success: {_when(target.last_ok_at)}",
                    soft_wrap=True,
                )
                if target.last_error_kind:
                    console.print(
                        f"    last error: [red]{target.last_error_kind}[/] "
                        f"{escape((target.last_error or '')[:200])}",
                        soft_wrap=True,
                    )
                console.print(f"    checkpoint: {escape(target.checkpoint or 'none')}", soft_wrap=True)
