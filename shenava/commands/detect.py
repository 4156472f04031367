"""``shenava detect``: run the spike detector (default settings) over a ``timestamp,value`` CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("detect")
    def detect(
        input_path: Annotated[
            Path,
            typer.Option(
                "--input",
                "-i",
                help="CSV with columns timestamp,value: one row per bucket, in increasing time order.",
                show_default=False,
            ),
        ],
        output_path: Annotated[
            Path,
            typer.Option(
                "--output",
                "-o",
                help="CSV to write: timestamp,value,anomaly_score,alert (alert=1 where an incident opens; "
                "anomaly_score >= 0.5 on exactly those rows).",
                show_default=False,
            ),
        ],
    ) -> None:
        """Judge every bucket causally (row t uses rows <= t only) with the default detector settings."""
        from alerts.detection.report import write_detection
        from alerts.detection.series import SeriesFormatError

        if not input_path.is_file():
            typer.echo(f"error: input file {input_path} does not exist", err=True)
            raise typer.Exit(2)
        try:
            summary = write_detection(input_path, output_path)
        except SeriesFormatError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        except UnicodeDecodeError:
            typer.echo(f"error: {input_path} is not UTF-8 text", err=True)
            raise typer.Exit(2) from None
        except OSError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"{summary.rows} buckets, {summary.incidents} incident(s) opened -> {output_path}")
