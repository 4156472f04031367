"""The mention-file format (JSONL or CSV, one mention per line), read by import and replay.

The format, one record per line:

- required: ``text``; ``created_at`` (ISO 8601 *with* a UTC offset, e.g. ``2026-10-03T18:20:00+03:30``)
- optional: ``source``, ``id``, ``url``, ``author``, ``author_followers``, ``lang``, ``metrics``
  (an object of integer counts; in CSV a JSON object in one cell)
- also understood: ``author_name``, ``conversation_id``; any other field is kept in ``raw``.

A record without ``id`` gets one derived from its content (``domain.identity.content_id``), so
reading the same file twice yields the same ids. A bad record raises ``RecordError`` naming
its line; readers report it and go on with the rest. Lines and formats are read by
``listeners.line_records`` (as for ``shenava score``); this module checks the fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from domain.bounds import MAX_JSON_DEPTH, BoundsError, count_or_error, json_depth, time_or_error
from domain.identity import content_id
from domain.mention import RawMention
from listeners.line_records import HeaderError, RecordError, file_format, open_records

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


@dataclass(frozen=True)
class FileRecord:
    """A parsed record: the mention, or the error that stopped it."""

    line: int
    mention: RawMention | None
    error: RecordError | None = None


def default_id_deriver() -> IdDeriver:
    """The rule for content-derived ids, the same one storage applies."""
    return content_id


def parse_record(
    record: dict[str, Any], *, line: int, default_source: str, derive_id: IdDeriver
) -> RawMention:
    """Turn one record into a ``RawMention`` or raise ``RecordError``."""
    if json_depth(record) > MAX_JSON_DEPTH:
        raise RecordError(line, f"nested deeper than {MAX_JSON_DEPTH} levels")
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
    # an empty CSV cell is an absent field, as a missing JSON key is
    blank_is_absent = file_format(path) == "csv"
    try:
        for line, item in open_records(path, required=REQUIRED_FIELDS):
            if isinstance(item, RecordError):
                yield FileRecord(line, None, item)
                continue
            if blank_is_absent:
                item = {k: v for k, v in item.items() if v != ""}
            try:
                mention = parse_record(item, line=line, default_source=default_source, derive_id=derive)
                yield FileRecord(line, mention)
            except RecordError as exc:
                yield FileRecord(line, None, exc)
    except HeaderError as exc:
        yield FileRecord(exc.line, None, exc)


def _parse_created_at(value: Any, line: int) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise RecordError(line, "'created_at' is required: ISO 8601 with offset, e.g. 2026-10-03T18:20+03:30")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RecordError(line, f"'created_at' {value[:40]!r} is not ISO 8601") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise RecordError(line, f"'created_at' {value[:40]!r} has no UTC offset (add e.g. +03:30 or Z)")
    try:
        return time_or_error(parsed)
    except BoundsError as exc:
        raise RecordError(line, str(exc)) from None


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
    try:
        return count_or_error(value, name)
    except BoundsError as exc:
        raise RecordError(line, str(exc)) from None


def _parse_metrics(value: Any, line: int) -> dict[str, int]:
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise RecordError(line, "'metrics' must be a JSON object of counts") from None
    if not isinstance(value, dict):
        raise RecordError(line, "'metrics' must be an object of counts, e.g. {\"likes\": 3}")
    return {str(k)[:64]: _parse_count(v, f"metrics.{k}", line) or 0 for k, v in value.items()}
