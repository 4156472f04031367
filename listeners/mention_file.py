"""Reading mention files (JSONL or CSV, one mention per line): shared by import and replay.

The format, one record per line:

- required: ``text``; ``created_at`` (ISO 8601 *with* a UTC offset, e.g. ``2026-10-03T18:20:00+03:30``)
- optional: ``source``, ``id``, ``url``, ``author``, ``author_followers``, ``lang``, ``metrics``
  (an object of integer counts; in CSV a JSON object in one cell)
- also understood: ``author_name``, ``conversation_id``; any other field is kept in ``raw``.

A record without ``id`` gets one derived from its content (``domain.identity.content_id``), so
reading the same file twice yields the same ids. A bad record raises ``RecordError`` naming
its line; readers report it and go on with the rest.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from domain.identity import content_id
from domain.mention import RawMention

REQUIRED_FIELDS = ("text", "created_at")
OPTIONAL_FIELDS = ("source", "id", "url", "author", "author_followers", "lang", "metrics")
EXTRA_FIELDS = ("author_name", "conversation_id")
#: Longer texts are cut: a hostile 100 MB "tweet" must not stall NLP or bloat the store.
MAX_TEXT_CHARS = 20_000
MAX_FIELD_CHARS = 2_000
_SOURCE_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,31}$")
# PostgreSQL text cannot hold NUL; nobody means it.
_NUL = "\x00"

IdDeriver = Callable[[str, datetime, str | None], str]


class RecordError(ValueError):
    """One bad record; ``line`` is its 1-based line number in the file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.reason = message


@dataclass(frozen=True)
class FileRecord:
    """A parsed record: the mention, or the error that stopped it."""

    line: int
    mention: RawMention | None
    error: RecordError | None = None


def default_id_deriver() -> IdDeriver:
    """The rule for content-derived ids, the same one storage applies."""
    return content_id


def file_format(path: Path) -> str:
    """``jsonl`` or ``csv``: by suffix, else by the first non-blank character."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    with path.open("rb") as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return "jsonl" if head.startswith(b"{") else "csv"


def iter_raw_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | RecordError]]:
    """Yield ``(line, record-or-error)`` in file order; blank lines are skipped."""
    if file_format(path) == "jsonl":
        yield from _iter_jsonl(path)
    else:
        yield from _iter_csv(path)


def _iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any] | RecordError]]:
    with path.open("rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            if line_no == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield line_no, RecordError(line_no, f"not UTF-8 ({exc.reason} at byte {exc.start})")
                continue
            except json.JSONDecodeError as exc:
                yield line_no, RecordError(line_no, f"not valid JSON ({exc.msg}, column {exc.colno})")
                continue
            if not isinstance(obj, dict):
                yield line_no, RecordError(line_no, f"expected a JSON object, got {type(obj).__name__}")
                continue
            yield line_no, obj


def _iter_csv(path: Path) -> Iterator[tuple[int, dict[str, Any] | RecordError]]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        missing = [f for f in REQUIRED_FIELDS if f not in (reader.fieldnames or [])]
        if missing:
            yield 1, RecordError(1, f"CSV header lacks required column(s): {', '.join(missing)}")
            return
        start = reader.line_num + 1
        try:
            for row in reader:
                if None in row:  # more cells than header columns
                    yield start, RecordError(start, "more cells than header columns")
                elif any(v for v in row.values()):
                    yield start, {k: v for k, v in row.items() if v not in (None, "")}
                start = reader.line_num + 1
        except csv.Error as exc:
            yield start, RecordError(start, f"unreadable CSV ({exc}); the rest of the file is skipped")


def parse_record(
    record: dict[str, Any], *, line: int, default_source: str, derive_id: IdDeriver
) -> RawMention:
    """Turn one record into a ``RawMention`` or raise ``RecordError``."""
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise RecordError(line, "'text' is required and must be a non-empty string")
    text = text.replace(_NUL, "")[:MAX_TEXT_CHARS]
    created_at = _parse_created_at(record.get("created_at"), line)
    source = _clean_str(record.get("source"), "source", line) or default_source
    source = source.lower()
    if not _SOURCE_RE.match(source):
        raise RecordError(line, f"'source' {source[:40]!r} must be a short lowercase name like 'x' or 'rss'")
    author = (_clean_str(record.get("author"), "author", line) or "").lstrip("@") or None
    external_id = _clean_str(record.get("id"), "id", line) or derive_id(text, created_at, author)
    followers = _parse_count(record.get("author_followers"), "author_followers", line)
    return RawMention(
        source=source,
        external_id=external_id,
        text=text,
        created_at=created_at,
        url=_clean_str(record.get("url"), "url", line),
        author_id=author,
        author_handle=author,
        author_name=_clean_str(record.get("author_name"), "author_name", line),
        author_followers=followers,
        lang_hint=_clean_str(record.get("lang"), "lang", line),
        conversation_id=_clean_str(record.get("conversation_id"), "conversation_id", line),
        metrics=_parse_metrics(record.get("metrics"), line),
        raw={k: v for k, v in record.items() if k != "text"},
    )


def iter_file(path: Path, *, default_source: str, derive_id: IdDeriver | None = None) -> Iterator[FileRecord]:
    """Every record of ``path`` parsed, in file order, errors included (never raised)."""
    derive = derive_id or default_id_deriver()
    for line, item in iter_raw_records(path):
        if isinstance(item, RecordError):
            yield FileRecord(line, None, item)
            continue
        try:
            mention = parse_record(item, line=line, default_source=default_source, derive_id=derive)
            yield FileRecord(line, mention)
        except RecordError as exc:
            yield FileRecord(line, None, exc)


def _parse_created_at(value: Any, line: int) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise RecordError(line, "'created_at' is required: ISO 8601 with offset, e.g. 2026-10-03T18:20+03:30")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RecordError(line, f"'created_at' {value[:40]!r} is not ISO 8601") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise RecordError(line, f"'created_at' {value[:40]!r} has no UTC offset (add e.g. +03:30 or Z)")
    return parsed


def _clean_str(value: Any, name: str, line: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise RecordError(line, f"'{name}' must be a string")
    value = value.replace(_NUL, "").strip()
    if len(value) > MAX_FIELD_CHARS:
        raise RecordError(line, f"'{name}' is longer than {MAX_FIELD_CHARS} characters")
    return value or None


def _parse_count(value: Any, name: str, line: int) -> int | None:
    if value is None or value == "":
        return None
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise RecordError(line, f"'{name}' must be a whole number, got {str(value)[:40]!r}") from None
    if (isinstance(value, float) and value != count) or isinstance(value, bool) or count < 0:
        raise RecordError(line, f"'{name}' must be a whole number ≥ 0, got {value!r}")
    return count


def _parse_metrics(value: Any, line: int) -> dict[str, int]:
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise RecordError(line, "'metrics' must be a JSON object of counts") from None
    if not isinstance(value, dict):
        raise RecordError(line, "'metrics' must be an object of counts, e.g. {\"likes\": 3}")
    return {str(k)[:64]: _parse_count(v, f"metrics.{k}", line) or 0 for k, v in value.items()}
