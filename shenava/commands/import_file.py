"""``shenava import FILE``: backfill mentions from a JSONL or CSV export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shenava.cli_support import (
    ConfigOption,
    LogJsonOption,
    VerboseOption,
    console,
    err_console,
    load_settings_or_exit,
    print_error,
    setup_logging,
)

#: bad lines listed one by one before the rest is summarised
SHOW_ERRORS = 20
#: the exit code when some lines were rejected (bad, or dead-lettered) and the rest stored;
#: 1 means nothing could be read, 2 a usage or configuration error
LINES_REJECTED = 3


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_(
        file: Annotated[
            Path, typer.Argument(help="JSONL or CSV file, one mention per line.", show_default=False)
        ],
        config: ConfigOption = None,
        source: Annotated[
            str, typer.Option("--source", help="Source name for lines that have no 'source' field.")
        ] = "import",
        batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Mentions per batch.")] = 256,
        log_json: LogJsonOption = False,
        verbose: VerboseOption = False,
    ) -> None:
        """Import mentions from a JSONL or CSV file (analysts' backfills).

        Each line: text and created_at (ISO 8601 with offset) required; source, id, url, author,
        author_followers, lang, metrics optional. Lines without an id get one derived from their
        content, so importing the same file twice adds nothing. Bad lines are reported with their
        line number; the rest goes in. The imported mentions go through urgent and spike detection:
        what they contain is recorded (archive, digest, API, inbox) and the CLI says what was found;
        only what is newer than alerts.backfill_page_max_age_minutes is sent to the channels.
        """
        settings = load_settings_or_exit(config)
        setup_logging(settings, log_json=log_json, verbose=verbose)
        if not file.is_file():
            print_error(file, "no such file")
            raise typer.Exit(2)

        import logging

        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from alerts.messages import Words, brand_display_names
        from listeners.importer import import_file
        from shenava.import_detection import ImportDetection
        from shenava.service.pipeline import Pipeline
        from storage.db import init_db

        init_db(settings.storage.url)
        with console.status("loading the NLP models…"):
            pipeline = Pipeline.from_settings(settings)
        detection = ImportDetection(pipeline)
        # the bar replaces the per-batch log lines on the console
        logging.getLogger("shenava.pipeline").setLevel(logging.WARNING)
        columns = (
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("lines"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("import", total=None)

            def on_progress(report) -> None:  # type: ignore[no-untyped-def]
                bar.update(task, total=report.total_lines, completed=report.lines)

            report = import_file(
                file,
                detection.process,
                batch_size=batch_size,
                default_source=source,
                on_progress=on_progress,
            )
        from rich.markup import escape

        from shenava.terminal_text import terminal_safe

        for error in report.errors[:SHOW_ERRORS]:
            reason = escape(terminal_safe(error.reason))
            err_console.print(f"[yellow]{escape(file.name)}:{error.line}[/]: {reason}", soft_wrap=True)
        if len(report.errors) > SHOW_ERRORS:
            err_console.print(f"[yellow]… and {len(report.errors) - SHOW_ERRORS} more bad lines[/]")
        console.print(
            f"[green]✓[/] {report.read} mentions read: {report.inserted} new, "
            f"{report.duplicates} already stored"
            + (f", [yellow]{len(report.errors)} bad line(s) skipped[/]" if report.errors else "")
            + (
                f", [yellow]{pipeline.rejected_total} could not be stored (shenava deadletter list)[/]"
                if pipeline.rejected_total
                else ""
            )
        )
        if report.read == 0 and report.errors:
            raise typer.Exit(1)
        with console.status("detecting…"):
            findings = detection.finish()
        language = settings.notifications.language
        names = brand_display_names(settings.brands, language)
        for line in findings.lines(Words(language, settings.timezone), names):
            console.print(line, markup=False, highlight=False)
        if report.errors or pipeline.rejected_total:
            raise typer.Exit(LINES_REJECTED)
