"""``shenava sources``: each listener's state (configured, last run, checkpoint, error, 24 h items)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from shenava.cli_support import ConfigOption, console, load_settings_or_exit, storage_engine_or_exit

if TYPE_CHECKING:
    from datetime import datetime

    from shenava.service.health import ListenerHealth, SourceHealth

#: a checkpoint is shown cut to this many characters
CHECKPOINT_CHARS = 160


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if hasattr(value, "strftime") else "never"


def _checkpoint(health: ListenerHealth) -> str | None:
    """The stored checkpoint in one short line, or why this version cannot read it."""
    if health.checkpoint_error:
        return f"unreadable: {health.checkpoint_error}"
    if health.checkpoint is None:
        return None
    text = json.dumps(health.checkpoint, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= CHECKPOINT_CHARS else text[: CHECKPOINT_CHARS - 1] + "…"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _to_json(source: SourceHealth) -> dict[str, Any]:
    return {
        "name": source.name,
        "configured": source.configured,
        "reason": source.reason,
        "items_24h": source.items_24h,
        "targets": [
            {
                "key": h.key,
                "last_run_at": _iso(h.last_run_at),
                "last_ok_at": _iso(h.last_ok_at),
                "last_error_kind": h.last_error_kind,
                "last_error": h.last_error,
                "consecutive_failures": h.consecutive_failures,
                "items_last_run": h.items_last_run,
                "items_total": h.items_total,
                "checkpoint": _checkpoint(h),
            }
            for h in source.listeners
        ],
    }


def register(app: typer.Typer) -> None:
    @app.command("sources")
    def sources(
        config: ConfigOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per source.")] = False,
    ) -> None:
        """Each listener: configured or not (and why), last run, checkpoint, last error, items in 24 h."""
        settings = load_settings_or_exit(config)
        from rich.markup import escape
        from sqlalchemy.orm import Session

        from shenava.service.health import source_health

        with storage_engine_or_exit(settings) as engine, Session(engine) as session:
            reports = source_health(settings, session)
        if as_json:
            typer.echo(json.dumps([_to_json(r) for r in reports], ensure_ascii=False, indent=2))
            return
        for report in reports:
            state = "[green]on[/]" if report.configured else f"[yellow]off[/] — {escape(report.reason or '')}"
            console.print(
                f"[bold]{report.name}[/]: {state}; {report.items_24h} items stored in the last 24 h",
                soft_wrap=True,
            )
            for target in report.listeners:
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
                console.print(f"    checkpoint: {escape(_checkpoint(target) or 'none')}", soft_wrap=True)
