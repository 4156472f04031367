"""``shenava search``: full-text archive search with filters, export and aggregates."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from shenava.cli_support import (
    ConfigOption,
    console,
    err_console,
    load_settings_or_exit,
    local_minute,
    print_error,
    setup_logging,
)

AGGREGATES = ("volume-day", "volume-hour", "sentiment", "sov")
FORMATS = ("table", "csv", "jsonl", "parquet")


def register(app: typer.Typer) -> None:
    @app.command("search")
    def search(
        text: Annotated[
            str | None, typer.Argument(help='Words (AND), "a phrase", prefix*, -exclude.')
        ] = None,
        brand: Annotated[list[str] | None, typer.Option("--brand", "-b", help="Brand (repeatable).")] = None,
        source: Annotated[
            list[str] | None, typer.Option("--source", "-s", help="Source (repeatable).")
        ] = None,
        sentiment: Annotated[
            list[str] | None, typer.Option("--sentiment", help="negative, neutral or positive (repeatable).")
        ] = None,
        aspect: Annotated[
            list[str] | None,
            typer.Option("--touchpoint", "--aspect", help="Touchpoint, e.g. delivery (repeatable)."),
        ] = None,
        lang: Annotated[
            list[str] | None, typer.Option("--lang", help="fa, ar, en, finglish (repeatable).")
        ] = None,
        author: Annotated[str | None, typer.Option("--author", help="Author handle.")] = None,
        since: Annotated[
            str | None, typer.Option("--since", help="From day (Jalali 1403-09-01 or ISO).")
        ] = None,
        until: Annotated[
            str | None, typer.Option("--until", help="To day, inclusive (Jalali or ISO).")
        ] = None,
        min_followers: Annotated[int | None, typer.Option("--min-followers", help="Minimum reach.")] = None,
        sort: Annotated[
            str, typer.Option("--sort", help="newest, oldest, relevance, reach, urgency.")
        ] = "newest",
        limit: Annotated[
            int | None, typer.Option("--limit", "-n", help="Rows (table default 20; exports: all).")
        ] = None,
        offset: Annotated[int, typer.Option("--offset", help="Rows to skip (table only).")] = 0,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, jsonl or parquet.")] = "table",
        out: Annotated[
            Path | None, typer.Option("--out", "-o", help="Write to this file (parquet needs it).")
        ] = None,
        aggregate: Annotated[
            str | None, typer.Option("--aggregate", "-a", help="volume-day, volume-hour, sentiment or sov.")
        ] = None,
        config: ConfigOption = None,
    ) -> None:
        """Search the archive (Persian full text, normalised like stored text) and export or aggregate."""
        from pydantic import ValidationError

        from storage.query import MentionQuery, SearchError

        settings = load_settings_or_exit(config)
        setup_logging(settings)
        if fmt not in FORMATS:
            _fail(f"--format must be one of {', '.join(FORMATS)}")
        if aggregate and aggregate not in AGGREGATES:
            _fail(f"--aggregate must be one of {', '.join(AGGREGATES)}")
        if fmt == "parquet" and not out:
            _fail("--format parquet needs --out FILE")
        try:
            query = MentionQuery(
                text=text, brands=brand or [], sources=source or [], sentiments=sentiment or [],
                aspects=aspect or [], langs=lang or [], author=author, since=since, until=until,
                min_followers=min_followers, sort=sort, limit=min(limit or 20, 1000), offset=offset,
                tz=settings.timezone,
            )  # fmt: skip
        except ValidationError as exc:
            _fail("; ".join(f"{'.'.join(map(str, e['loc'])) or 'query'}: {e['msg']}" for e in exc.errors()))
        from sqlalchemy.exc import OperationalError
        from sqlalchemy.orm import Session

        from storage.db import create_engine_from_url
        from storage.limits import CLI_TIME_LIMIT_S, is_timeout, limit_time, time_limit_message

        engine = create_engine_from_url(settings.storage.url)
        try:
            with Session(engine) as session:
                if aggregate:
                    limit_time(session, CLI_TIME_LIMIT_S)
                    _aggregate(session, query, aggregate, fmt, out)
                elif fmt == "table":
                    limit_time(session, CLI_TIME_LIMIT_S)
                    _table(session, query, settings.timezone)
                else:  # exports stream for as long as they need (their rows are bounded by --limit)
                    _export(session, query, fmt, out, limit)
        except SearchError as exc:
            if caret := getattr(exc, "caret", None):  # a boolean-query mistake: show where
                err_console.print(caret(text or ""), markup=False, highlight=False)
            _fail(str(exc))
        except OperationalError as exc:
            if not is_timeout(exc):
                raise
            _fail(time_limit_message(CLI_TIME_LIMIT_S))
        finally:
            engine.dispose()


def _fail(message: str) -> None:
    print_error(message)
    raise typer.Exit(2)


def _table(session: Any, query: Any, timezone: str) -> None:
    from rich.table import Table

    from shenava.terminal_text import one_line
    from storage.search import search_mentions

    page = search_mentions(session, query)
    table = Table(title=f"{page.total} mention(s); showing {len(page.items)} from {query.offset + 1}")
    for name in ("id", f"when ({timezone})", "source", "author", "brands", "sentiment", "text"):
        table.add_column(name, overflow="fold")
    for hit in page.items:
        table.add_row(
            str(hit.id), local_minute(hit.created_at, timezone), one_line(hit.source),
            one_line(hit.author_handle), one_line(",".join(hit.brands)), one_line(hit.sentiment_label),
            one_line(hit.text[:160]),
        )  # fmt: skip
    console.print(table, markup=False)


def _export(session: Any, query: Any, fmt: str, out: Path | None, limit: int | None) -> None:
    from storage.export import iter_csv, iter_jsonl, write_parquet, write_text
    from storage.search import iter_mentions

    hits = iter_mentions(session, query, limit=limit)
    if fmt == "parquet":
        assert out is not None
        rows = write_parquet(hits, out)
        err_console.print(f"{rows} row(s) → {out}", markup=False)
        return
    chunks = iter_csv(hits) if fmt == "csv" else iter_jsonl(hits)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        # utf-8-sig for CSV: spreadsheet programs then read Persian correctly
        with out.open("w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as handle:
            write_text(chunks, handle)
        err_console.print(f"written → {out}", markup=False)
    else:
        write_text(chunks, sys.stdout)


def _aggregate(session: Any, query: Any, aggregate: str, fmt: str, out: Path | None) -> None:
    import json

    from storage.aggregates import sentiment_share, share_of_voice, volume_by

    rows: list[dict[str, Any]]
    if aggregate.startswith("volume"):
        points = volume_by(session, query, "hour" if aggregate == "volume-hour" else "day")
        rows = [{"start": p.start.isoformat(), "total": p.total, "negative": p.negative, "neutral": p.neutral,
                 "positive": p.positive} for p in points]  # fmt: skip
    elif aggregate == "sentiment":
        s = sentiment_share(session, query)
        rows = [{"total": s.total, "negative": s.negative, "neutral": s.neutral, "positive": s.positive,
                 "net": round(s.net, 4)}]  # fmt: skip
    else:
        voices = share_of_voice(session, query)
        rows = [{"brand": v.brand, "mentions": v.mentions, "share": round(v.share, 4),
                 "net_sentiment": round(v.net_sentiment, 4)} for v in voices]  # fmt: skip
    if fmt in ("table", "parquet"):
        if fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            assert out is not None
            pq.write_table(pa.Table.from_pylist(rows), str(out))
            return
        from rich.table import Table

        table = Table(title=aggregate)
        for name in rows[0] if rows else ["(no rows)"]:
            table.add_column(name)
        from shenava.terminal_text import one_line

        for row in rows:
            table.add_row(*(one_line(v) for v in row.values()))
        console.print(table, markup=False)
        return
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["total"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    else:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
