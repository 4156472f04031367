"""Reading a JSONL or CSV file as records, each with the line it starts on.

The one reader behind ``shenava import``, the replay listener and ``shenava score``: the mention
format (``listeners.mention_file``) and the scorer each check the fields they need on top.

A bad line (not UTF-8, not JSON, not an object, a CSV row with the wrong number of cells) is
yielded as a ``RecordError`` in its place, never raised, so a reader can report it and go on; only
a CSV header that cannot be read or lacks a required column stops the file (``HeaderError``).
Blank lines, and CSV rows whose every cell is blank, are skipped.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

#: CSV cells may be long posts; the csv module's default limit (128 KiB) is too small. A cell
#: longer than this is reported as that line's error and reading goes on with the next line.
CSV_FIELD_LIMIT = 16 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"

Record = dict[str, Any]


class RecordError(ValueError):
    """One bad record; ``line`` is its 1-based line number in the file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.reason = message


class HeaderError(RecordError):
    """The CSV header is unreadable or lacks a required column: no record can be read."""


def sniff_format(name: str, head: bytes) -> str:
    """``jsonl`` or ``csv``: by the file name's suffix, else by the first non-blank byte of
    ``head`` (an object, array or string starts JSONL; nothing at all reads as empty JSONL)."""
    suffix = Path(name).suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    stripped = head.lstrip(_BOM + b" \t\r\n")
    return "jsonl" if not stripped or stripped[:1] in (b"{", b"[", b'"') else "csv"


def delimiter_for(name: str) -> str:
    """Tab for a ``.tsv`` file, else a comma."""
    return "\t" if Path(name).suffix.lower() == ".tsv" else ","


def file_format(path: Path) -> str:
    """``jsonl`` or ``csv`` for the file at ``path`` (see ``sniff_format``)."""
    with path.open("rb") as fh:
        return sniff_format(path.name, fh.read(4096))


def read_records(
    stream: IO[bytes], fmt: str, *, delimiter: str = ",", required: Sequence[str] = ()
) -> Iterator[tuple[int, Record | RecordError]]:
    """``(line, record-or-error)`` for every record of ``stream``, in order.

    ``required`` are the columns a CSV header must have (``HeaderError`` otherwise); CSV values
    are strings, empty cells included, as the file has them.
    """
    if fmt == "jsonl":
        yield from _jsonl(stream)
    else:
        yield from _csv(stream, delimiter, required)


def open_records(path: Path, *, required: Sequence[str] = ()) -> Iterator[tuple[int, Record | RecordError]]:
    """``read_records`` over the file at ``path``, its format and delimiter told by ``sniff_format``."""
    with path.open("rb") as fh:
        fmt = sniff_format(path.name, fh.read(4096))
        fh.seek(0)
        yield from read_records(fh, fmt, delimiter=delimiter_for(path.name), required=required)


def _jsonl(stream: IO[bytes]) -> Iterator[tuple[int, Record | RecordError]]:
    for line_no, raw in enumerate(stream, start=1):
        if line_no == 1:
            raw = raw.removeprefix(_BOM)
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
        except UnicodeDecodeError as exc:
            yield line_no, RecordError(line_no, f"not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        except json.JSONDecodeError as exc:
            yield line_no, RecordError(line_no, f"not valid JSON ({exc.msg}, column {exc.colno})")
            continue
        except RecursionError:
            yield line_no, RecordError(line_no, "not valid JSON (nested too deeply)")
            continue
        except ValueError as exc:  # NaN/Infinity, or an integer past Python's 4300-digit limit
            reason = "an integer longer than 4300 digits" if "digits" in str(exc) else str(exc)[:120]
            yield line_no, RecordError(line_no, f"not valid JSON ({reason})")
            continue
        if not isinstance(obj, dict):
            yield line_no, RecordError(line_no, f"expected a JSON object, got {type(obj).__name__}")
            continue
        yield line_no, obj


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _csv(
    stream: IO[bytes], delimiter: str, required: Sequence[str]
) -> Iterator[tuple[int, Record | RecordError]]:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    try:
        reader = csv.reader(text, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:  # an empty file: no records
            return
        except csv.Error as exc:
            raise HeaderError(1, f"unreadable CSV header ({exc})") from None
        missing = [name for name in required if name not in header]
        if missing:
            names = ", ".join(f"'{name}'" for name in missing)
            columns = f"column{'s' if len(missing) > 1 else ''}"
            raise HeaderError(
                1, f"the CSV header has no {names} {columns} (columns: {', '.join(header)[:200]})"
            )
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, RecordError(start, f"unreadable CSV ({exc})")
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield line, RecordError(line, f"{len(row)} fields where the header has {len(header)}")
                continue
            yield line, dict(zip(header, row, strict=True))
    finally:
        text.detach()  # the caller owns (and closes) the byte stream
