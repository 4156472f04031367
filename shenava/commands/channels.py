"""``shenava channels``: each notification channel, whether it can send, and its outbox backlog."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from shenava.cli_support import (
    ConfigOption,
    console,
    err_console,
    load_settings_or_exit,
    storage_engine_or_exit,
)


def register(app: typer.Typer) -> None:
    @app.command("channels")
    def channels(
        config: ConfigOption = None,
        test: Annotated[
            str | None,
            typer.Option("--test", help="Send a test message through this channel now (no outbox)."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    ) -> None:
        """Notification channels: ready or off (and why), pending/sent/failed deliveries, last error."""
        settings = load_settings_or_exit(config)
        from alerts.notifiers import build_notifiers, channel_settings

        notifiers, off = build_notifiers(settings.notifications)
        if test:
            _send_test(test, notifiers, off)
            return
        from sqlalchemy.orm import Session

        from alerts.outbox import outbox_summary

        with storage_engine_or_exit(settings) as engine, Session(engine) as session:
            backlog = outbox_summary(session)
        rows = []
        for channel in channel_settings(settings.notifications):
            counts = backlog.get(channel.name, {})
            rows.append(
                {
                    "name": channel.name,
                    "type": channel.type,
                    "state": "ready" if channel.name in notifiers else off.get(channel.name, "off"),
                    **{k: counts.get(k, 0) for k in ("pending", "sending", "sent", "failed")},
                    "oldest_waiting": counts.get("oldest_waiting"),
                    "last_error": counts.get("last_error"),
                }
            )
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
            return
        _table(rows)


def _table(rows: list[dict[str, Any]]) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table("channel", "type", "state", "pending", "sent", "failed", "last error", title="channels")
    for row in rows:
        state = "[green]ready[/]" if row["state"] == "ready" else f"[yellow]{escape(row['state'])}[/]"
        table.add_row(
            row["name"],
            row["type"],
            state,
            str(row["pending"] + row["sending"]),
            str(row["sent"]),
            str(row["failed"]),
            escape((row["last_error"] or "")[:80]),
        )
    console.print(table)


def _send_test(name: str, notifiers: dict[str, Any], off: dict[str, str]) -> None:
    from alerts.events import UrgentMention
    from alerts.notifiers import DeliveryError

    if name not in notifiers:
        err_console.print(off.get(name) or f"no enabled channel named {name!r}", markup=False)
        raise typer.Exit(2)
    now = datetime.now(UTC)
    event = UrgentMention(
        brand="shenava",
        severity="low",
        at=now,
        urgent_id=0,
        mention_id=0,
        reasons=["test"],
        text="پیام آزمایشی شنوا — test message from Shenava",
        source="test",
    )
    try:
        notifiers[name].send(event.to_json(), delivery_key=f"test:{now.isoformat()}->{name}")
    except DeliveryError as exc:
        err_console.print(f"{name}: {exc}", markup=False)
        raise typer.Exit(1) from None
    console.print(f"✓ test message sent through {name}", markup=False)
