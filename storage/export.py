"""Streaming export of search results: CSV, JSON Lines and Parquet.

Rows are written as they are read (``storage.search.iter_mentions``), so a million-row export
holds one chunk in memory (Parquet: one row group). CSV text cells that a spreadsheet would run
as a formula (=, +, -, @, tab or CR at the start) get a leading apostrophe: mention text is
hostile input. Column names are the English field names below in every format (machine-friendly,
the same as the API's JSON), whatever the page's language.
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
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}


def hit_record(hit: MentionHit) -> dict[str, Any]:
    """A flat JSON-ready record (times in ISO 8601 UTC, lists kept as lists)."""
    record = hit.model_dump()
    record["created_at"] = hit.created_at.isoformat()
    return {name: record[name] for name in FIELDS}


def _csv_cell(value: Any) -> Any:
    """A cell's value; any text (lists joined with ``|``) that starts like a formula is quoted."""
    if isinstance(value, list):
        value = "|".join(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def iter_csv(hits: Iterable[MentionHit]) -> Iterator[str]:
    """CSV text in pieces (header first), for files and HTTP streaming alike."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for count, hit in enumerate(hits, 1):
        record = hit_record(hit)
        writer.writerow([_csv_cell(record[name]) for name in FIELDS])
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
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    counted = _Counted(hits)
    with target.open("wb") as out:
        for chunk in iter_parquet(counted, batch_rows=batch_rows):
            out.write(chunk)
    return counted.count


def parquet_schema() -> Any:
    import pyarrow as pa

    return pa.schema([
        ("id", pa.int64()), ("created_at", pa.timestamp("us", tz="UTC")), ("source", pa.string()),
        ("external_id", pa.string()), ("url", pa.string()), ("author_handle", pa.string()),
        ("author_name", pa.string()), ("author_followers", pa.int64()), ("lang", pa.string()),
        ("brands", pa.list_(pa.string())), ("sentiment_label", pa.string()),
        ("sentiment_score", pa.float64()), ("aspects", pa.list_(pa.string())), ("urgency", pa.float64()),
        ("text", pa.string()),
    ])  # fmt: skip


def iter_parquet(hits: Iterable[MentionHit], *, batch_rows: int = 10_000) -> Iterator[bytes]:
    """A Parquet file in pieces: each row group's bytes as soon as it is written, the footer last.

    Parquet needs no seeking to write, so the pieces can go straight to an HTTP response.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    sink = _Pieces()
    with pq.ParquetWriter(sink, schema) as writer:
        batch: list[dict[str, Any]] = []
        written = 0
        for hit in hits:
            batch.append({name: getattr(hit, name) for name in FIELDS})
            if len(batch) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                written += len(batch)
                batch = []
                yield sink.take()
        if batch or written == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    yield sink.take()


class _Pieces(io.RawIOBase):
    """A write-only file that keeps what was written until ``take`` hands it on."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[bytes] = []
        self._at = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        piece = bytes(data)
        self._parts.append(piece)
        self._at += len(piece)
        return len(piece)

    def tell(self) -> int:
        return self._at

    def take(self) -> bytes:
        out, self._parts = b"".join(self._parts), []
        return out


class _Counted:
    """An iterable that counts what passed through it."""

    def __init__(self, items: Iterable[MentionHit]) -> None:
        self._items = items
        self.count = 0

    def __iter__(self) -> Iterator[MentionHit]:
        for item in self._items:
            self.count += 1
            yield item
