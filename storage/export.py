"""Streaming export of search results: CSV, JSON Lines and Parquet.

Rows are written as they are read (``storage.search.iter_mentions``), so a million-row export
holds one chunk in memory. CSV cells that a spreadsheet would run as a formula (=, +, -, @ at
the start) get a leading apostrophe: mention text is hostile input.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from storage.query import MentionHit

FIELDS = (
    "id", "created_at", "source", "external_id", "url", "author_handle", "author_name", "author_followers",
    "lang", "brands", "sentiment_label", "sentiment_score", "aspects", "urgency", "text",
)  # fmt: skip
FORMATS = ("csv", "jsonl", "parquet")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEXT_FIELDS = {"url", "author_handle", "author_name", "text", "external_id"}


def hit_record(hit: MentionHit) -> dict[str, Any]:
    """A flat JSON-ready record (times in ISO 8601 UTC, lists kept as lists)."""
    record = hit.model_dump()
    record["created_at"] = hit.created_at.isoformat()
    return {name: record[name] for name in FIELDS}


def _csv_cell(name: str, value: Any) -> Any:
    if isinstance(value, list):
        return "|".join(value)
    if name in _TEXT_FIELDS and isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def iter_csv(hits: Iterable[MentionHit]) -> Iterator[str]:
    """CSV text in pieces (header first), for files and HTTP streaming alike."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for count, hit in enumerate(hits, 1):
        record = hit_record(hit)
        writer.writerow([_csv_cell(name, record[name]) for name in FIELDS])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def iter_jsonl(hits: Iterable[MentionHit]) -> Iterator[str]:
    for hit in hits:
        yield json.dumps(hit_record(hit), ensure_ascii=False) + "\n"


def write_text(chunks: Iterable[str], out: IO[str]) -> None:
    for chunk in chunks:
        out.write(chunk)


def write_parquet(hits: Iterable[MentionHit], path: str | Path, *, batch_rows: int = 10_000) -> int:
    """Write a Parquet file in row groups of ``batch_rows``; returns the number of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([
        ("id", pa.int64()), ("created_at", pa.timestamp("us", tz="UTC")), ("source", pa.string()),
        ("external_id", pa.string()), ("url", pa.string()), ("author_handle", pa.string()),
        ("author_name", pa.string()), ("author_followers", pa.int64()), ("lang", pa.string()),
        ("brands", pa.list_(pa.string())), ("sentiment_label", pa.string()),
        ("sentiment_score", pa.float64()), ("aspects", pa.list_(pa.string())), ("urgency", pa.float64()),
        ("text", pa.string()),
    ])  # fmt: skip
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    total = 0
    with pq.ParquetWriter(str(target), schema) as writer:
        batch: list[dict[str, Any]] = []
        for hit in hits:
            batch.append({name: getattr(hit, name) for name in FIELDS})
            if len(batch) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                total += len(batch)
                batch = []
        if batch or total == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            total += len(batch)
    return total
