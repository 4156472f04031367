"""``shenava score``: analyse a file of texts offline and write one JSON line per input line.

Contract (used for independent evaluation; keep it exact):
``shenava score --input IN --output OUT``. IN is JSONL, one object per line with at least
``"text"`` (or CSV with a ``text`` column; ``-`` is stdin/stdout). OUT is JSONL, one line per
input record in the same order, with the input's fields plus ``lang``, ``sentiment``
(label, score, probs; emotion and emotion_probs when the model has an emotion head), ``aspects``
and ``urgency``. A malformed line stops the run with an error
naming its line number; with ``--skip-bad`` it is skipped and counted. Blank JSONL lines are
ignored. Input is streamed in batches, never read whole.
"""

from __future__ import annotations

import typer

HELP = (
    "Score texts offline: JSONL (or CSV with a 'text' column) in, JSONL out with lang, sentiment, "
    "aspects and urgency added to each record, in input order."
)


def register(app: typer.Typer) -> None:
    app.command("score", help=HELP)(score)


def score(
    input_path: str = typer.Option(
        ..., "--input", "-i", help="JSONL or CSV file with a 'text' field/column; '-' reads stdin."
    ),
    output_path: str = typer.Option(..., "--output", "-o", help="JSONL file to write; '-' writes stdout."),
    input_format: str = typer.Option(
        "auto", "--format", help="auto (by extension, or by the first byte on stdin), jsonl or csv."
    ),
    skip_bad: bool = typer.Option(
        False, "--skip-bad", help="Skip malformed lines (and count them) instead of stopping."
    ),
    batch_size: int = typer.Option(256, "--batch-size", min=1, help="Records analysed per batch."),
    config: str | None = typer.Option(
        None,
        "--config",
        help="Settings file (default: $SHENAVA_CONFIG or config/shenava.yaml) for brands/lexicons.",
    ),
) -> None:
    from shenava.scoring import ScoreError, run_score

    try:
        report = run_score(
            input_path,
            output_path,
            input_format=input_format,
            skip_bad=skip_bad,
            batch_size=batch_size,
            config=config,
        )
    except ScoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=exc.exit_code) from None
    except BrokenPipeError:
        # The reader of stdout went away (`| head`): stop quietly, as Unix tools do.
        import os
        import sys

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(code=141) from None
    summary = f"scored {report.written} record(s)"
    if report.skipped:
        shown = ", ".join(map(str, report.skipped_lines[:20]))
        more = "…" if len(report.skipped_lines) > 20 else ""
        summary += f"; skipped {report.skipped} malformed line(s): {shown}{more}"
    typer.echo(summary, err=True)
