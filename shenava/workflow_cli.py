"""The ``shenava incidents`` and ``shenava urgent`` sub-commands (list/show/ack/assign/resolve).

Both kinds share one implementation over ``alerts.workflow``; ``incidents report`` adds median
and p90 time to acknowledge and to resolve per brand.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from shenava.cli_support import (
    ConfigOption,
    console,
    load_settings_or_exit,
    local_minute,
    print_error,
    storage_engine_or_exit,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ById = Annotated[str, typer.Option("--by", help="Who does this (name or handle of the agent).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@contextmanager
def _session(config: Any) -> Iterator[Session]:
    from sqlalchemy.orm import Session

    settings = load_settings_or_exit(config)
    with storage_engine_or_exit(settings) as engine, Session(engine) as session, session.begin():
        session.info["timezone"] = settings.timezone  # dates are shown in the configured zone
        yield session


def _run(action: Callable[[], Any]) -> Any:
    from alerts.workflow import WorkflowError

    try:
        return action()
    except WorkflowError as exc:
        print_error(exc)
        raise typer.Exit(1) from None


def _print_one(kind: str, item: Any, as_json: bool) -> None:
    from alerts import workflow

    if as_json:
        console.print_json(json.dumps(workflow.to_json(kind, item), ensure_ascii=False, default=str))
        return
    status = f"{item.status}" + (f" → {item.assigned_to}" if item.assigned_to else "")
    status += f" (team {item.assigned_team})" if item.assigned_team else ""
    from shenava.terminal_text import one_line

    console.print(one_line(f"{kind} #{item.id} [{item.brand}] {status}"), markup=False)


def build_app(kind: str) -> typer.Typer:
    from alerts import workflow  # light: no model, no network

    app = typer.Typer(
        help=f"Support workflow for {kind} alerts: list, show, ack, assign, resolve.", no_args_is_help=True
    )

    @app.command("list")
    def list_cmd(
        config: ConfigOption = None,
        status: Annotated[str, typer.Option(help="open, acknowledged, resolved, active or all.")] = "active",
        brand: Annotated[str | None, typer.Option(help="Only this brand.")] = None,
        limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many, newest first.")] = 50,
        as_json: JsonOption = False,
    ) -> None:
        """List alerts, newest first."""
        with _session(config) as session:
            items = workflow.list_items(
                session,
                kind,
                status=None if status == "all" else status,  # type: ignore[arg-type]
                brand=brand,
                limit=limit,
            )
            if as_json:
                console.print_json(
                    json.dumps([workflow.to_json(kind, i) for i in items], ensure_ascii=False, default=str)
                )
                return
            from rich.table import Table

            from shenava.terminal_text import one_line

            table = Table(title=one_line(f"{kind} alerts ({status})"))
            for column in (
                "id",
                "brand",
                "status",
                "severity" if kind == "incident" else "urgency",
                "when (mention time)",
                "assigned",
            ):
                table.add_column(column)
            for i in items:
                level = i.severity if kind == "incident" else f"{i.urgency:.2f}"
                # when it happened (mention time), not when detection found it: an import or a
                # fast replay finds in minutes what happened over days
                when = local_minute(workflow.happened_at(i), session.info["timezone"])
                if (i.details or {}).get("backfilled"):
                    when += " (backfilled)"
                cells = (str(i.id), i.brand, i.status, level, when, i.assigned_to or "")
                table.add_row(*(one_line(cell) for cell in cells))
            console.print(table, markup=False)

    @app.command("show")
    def show_cmd(item_id: int, config: ConfigOption = None) -> None:
        """Show one alert with its explanation and history (JSON)."""
        with _session(config) as session:
            item = _run(lambda: workflow.get_item(session, kind, item_id))  # type: ignore[arg-type]
            _print_one(kind, item, True)

    @app.command("ack")
    def ack_cmd(item_id: int, by: ById, config: ConfigOption = None) -> None:
        """Acknowledge: someone is looking at it (starts nothing else)."""
        with _session(config) as session:
            item = _run(lambda: workflow.acknowledge(session, kind, item_id, by=by))  # type: ignore[arg-type]
            _print_one(kind, item, False)

    @app.command("assign")
    def assign_cmd(
        item_id: int,
        to: Annotated[str | None, typer.Option("--to", help="The agent who takes it.")] = None,
        team: Annotated[str | None, typer.Option("--team", help="The team that takes it (- none).")] = None,
        by: Annotated[str | None, typer.Option("--by", help="Who assigns (default: the assignee).")] = None,
        config: ConfigOption = None,
    ) -> None:
        """Assign to an agent and/or a team (also acknowledges)."""
        with _session(config) as session:
            item = _run(lambda: workflow.assign(session, kind, item_id, to=to, team=team, by=by))  # type: ignore[arg-type]
            _print_one(kind, item, False)

    @app.command("resolve")
    def resolve_cmd(
        item_id: int,
        by: ById,
        note: Annotated[str | None, typer.Option(help="What was done.")] = None,
        config: ConfigOption = None,
    ) -> None:
        """Resolve: handled."""
        with _session(config) as session:
            item = _run(lambda: workflow.resolve(session, kind, item_id, by=by, note=note))  # type: ignore[arg-type]
            _print_one(kind, item, False)

    if kind == "incident":

        @app.command("report")
        def report_cmd(
            config: ConfigOption = None,
            brand: Annotated[str | None, typer.Option(help="Only this brand.")] = None,
            as_json: JsonOption = False,
        ) -> None:
            """Median and p90 time to acknowledge (TTA) and to resolve (TTR), per brand."""
            with _session(config) as session:
                stats = workflow.response_report(session, brand=brand)
            if as_json:
                from dataclasses import asdict

                console.print_json(json.dumps([asdict(s) for s in stats], ensure_ascii=False))
                return
            from rich.table import Table

            table = Table(title="response times (minutes)")
            for column in (
                "brand",
                "kind",
                "total",
                "open",
                "TTA median",
                "TTA p90",
                "TTR median",
                "TTR p90",
            ):
                table.add_column(column)
            for s in stats:
                table.add_row(
                    s.brand,
                    s.kind,
                    str(s.total),
                    str(s.open),
                    *(
                        "—" if v is None else f"{v / 60:.1f}"
                        for v in (s.tta_median_s, s.tta_p90_s, s.ttr_median_s, s.ttr_p90_s)
                    ),
                )
            console.print(table)

    return app
