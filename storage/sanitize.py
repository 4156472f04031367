"""What storage does to hostile input, in one place, with one rule per problem.

- NUL (U+0000): removed from every string, text and JSON alike. PostgreSQL rejects it in
  ``text`` and ``jsonb``; SQLite would truncate at it in some tools. Removing it on both
  backends keeps them identical.
- Lone surrogates (from broken JSON escapes) cannot be encoded as UTF-8: replaced by U+FFFD.
- Huge texts: cut to ``MAX_TEXT_CHARS`` (far above any real post; keeps PostgreSQL's 1 MB
  tsvector limit out of reach); the mention's ``signals["truncated"]`` records it.
- Huge raw payloads: a payload larger than ``MAX_RAW_JSON_CHARS`` once serialised is replaced
  by a small marker, so one odd record cannot bloat the archive.
- NaN and infinities inside JSON become null (not JSON; jsonb refuses them).
- Ids too long for an index (``MAX_ID_CHARS``) become a stable ``sha256:`` digest of themselves.
Bidi controls and zero-width characters are kept: they are real content (ZWNJ is Persian
orthography) and normalisation, not storage, decides what to do with them.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
from typing import Any

MAX_TEXT_CHARS = 100_000
MAX_RAW_JSON_CHARS = 200_000
MAX_ID_CHARS = 200


def clean_str(value: str) -> str:
    """Remove NUL and replace lone surrogates."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Valid surrogate pairs recombine into their character; lone halves become U+FFFD.
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def clean_text(value: str | None, limit: int = MAX_TEXT_CHARS) -> str | None:
    if value is None:
        return None
    return clean_str(value)[:limit]


def clean_json(value: Any) -> Any:
    """Recursively clean a JSON-like value: strings (keys too) cleaned, numpy-style numbers made
    plain, sets sorted into lists, non-finite floats nulled, anything else turned into its text."""
    if isinstance(value, str):
        return clean_str(value)
    if isinstance(value, dict):
        return {clean_str(str(key)): clean_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((clean_json(item) for item in value), key=repr)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else None  # NaN/Infinity: not JSON; jsonb refuses them
    return clean_str(str(value))


def clean_raw_payload(value: dict[str, Any]) -> dict[str, Any]:
    cleaned = clean_json(value)
    size = len(json.dumps(cleaned, ensure_ascii=False, default=str))
    if size > MAX_RAW_JSON_CHARS:
        return {"_omitted": "payload too large", "_chars": size}
    return cleaned


def clean_id(value: str) -> str:
    """A cleaned id that fits an index; longer ids map to a stable digest."""
    value = clean_str(value)
    if len(value) > MAX_ID_CHARS:
        return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()
    return value
