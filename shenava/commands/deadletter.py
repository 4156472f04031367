"""``shenava deadletter``: mentions that could not be stored (list, show, retry, drop).

A mention lands here when storing it failed on its own (the pipeline isolates it from its batch);
its source's checkpoint moved on. ``retry`` puts it back through analysis and storage (after
the cause is fixed, e.g. a migration), ``drop`` forgets it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from shenava.cli_support import ConfigOption, console, err_console, load_settings_or_exit
from shenava.terminal_text import markup_cell

if TYPE_CHECKING:
    from config.settings import Settings


def _dead_letter_or_exit(settings: Settings, dead_letter_id: int) -> dict[str, Any]:
    """The dead letter's row, or "no dead letter #N" and exit code 1."""
    from shenava.cli_support import storage_engine_or_exit
    from storage import deadletters

    with storage_engine_or_exit(settings) as engine:
        row = deadletters.get(engine, dead_letter_id)
    if row is None:
        err_console.print(f"no dead letter #{dead_letter_id}")
        raise typer.Exit(1)
    return row


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Mentions that could not be stored: list, show, retry, drop.", no_args_is_help=True
    )
    app.add_typer(group, name="deadletter")

    @group.command("list")
    def list_cmd(
        config: ConfigOption = None,
        limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many, newest first.")] = 50,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON array.")] = False,
    ) -> None:
        """The dead letters, newest first (without their payloads)."""
        from shenava.cli_support import storage_engine_or_exit
        from storage import deadletters

        settings = load_settings_or_exit(config)
        with storage_engine_or_exit(settings) as engine:
            rows = deadletters.list_rows(engine, limit=limit)
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False, default=str))
            return
        if not rows:
            console.print("no dead letters")
            return
        from rich.table import Table

        table = Table("id", "listener", "source/id", "attempts", "last failed", "error", title="dead letters")
        for row in rows:
            table.add_row(
                str(row["id"]),
                markup_cell(row["listener"]),
                markup_cell(f"{row['source']}/{row['external_id']}"[:80]),
                str(row["attempts"]),
                row["last_failed_at"].isoformat(timespec="seconds"),
                markup_cell(row["error"][:160]),
            )
        console.print(table)

    @group.command("show")
    def show_cmd(dead_letter_id: int, config: ConfigOption = None) -> None:
        """One dead letter with its error and the mention it holds (as JSON)."""
        from shenava.terminal_text import terminal_safe

        settings = load_settings_or_exit(config)
        row = _dead_letter_or_exit(settings, dead_letter_id)
        row["payload"] = json.loads(row["payload"])
        # ensure_ascii=False keeps Persian readable; terminal_safe escapes what JSON leaves raw
        typer.echo(terminal_safe(json.dumps(row, ensure_ascii=False, indent=2, default=str)))

    @group.command("retry")
    def retry_cmd(dead_letter_id: int, config: ConfigOption = None) -> None:
        """Put a dead letter back through analysis and storage; removed when it is stored."""
        from shenava.service.pipeline import Pipeline
        from storage import deadletters

        settings = load_settings_or_exit(config)
        row = _dead_letter_or_exit(settings, dead_letter_id)
        mention = deadletters.payload_mention(row["payload"])
        with console.status("loading the NLP models…"):
            pipeline = Pipeline.from_settings(settings, alerts=False)
        report = pipeline.process(row["listener"], [mention], None, alerts=False)
        if report.rejected:
            err_console.print(
                f"dead letter #{dead_letter_id} still cannot be stored (see shenava deadletter show)"
            )
            raise typer.Exit(3)
        deadletters.drop(pipeline.store.engine, dead_letter_id)
        state = "stored" if report.inserted else "already stored"
        console.print(f"[green]✓[/] dead letter #{dead_letter_id}: {state}")

    @group.command("drop")
    def drop_cmd(dead_letter_id: int, config: ConfigOption = None) -> None:
        """Forget a dead letter."""
        from shenava.cli_support import storage_engine_or_exit
        from storage import deadletters

        settings = load_settings_or_exit(config)
        with storage_engine_or_exit(settings) as engine:
            if not deadletters.drop(engine, dead_letter_id):
                err_console.print(f"no dead letter #{dead_letter_id}")
                raise typer.Exit(1)
        console.print(f"dead letter #{dead_letter_id} dropped")
