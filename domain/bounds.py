"""The ranges a mention's values must fall in before anything downstream sees them.

Checked at the boundary (the mention-file parser rejects a line outside them with a reason;
source payload mappings clamp what an API gives), so a hostile ``Infinity``, ``1e30`` or year
9999 never reaches storage, where it would fail the whole batch.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from domain.mention import RawMention

#: counts (followers, likes…) are stored in 32-bit INTEGER columns on both backends
MAX_COUNT = 2**31 - 1
#: mention times outside this range are not real posts (and year 0001/9999 with an offset
#: overflows datetime when converted to UTC; a far-future time would run the event clock ahead)
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
#: deeper JSON is no mention payload (and deep recursion breaks the JSON encoders downstream)
MAX_JSON_DEPTH = 64


class BoundsError(ValueError):
    """A value outside its range; the message says which and why."""


def count_or_error(value: Any, name: str) -> int | None:
    """A whole number in ``0..MAX_COUNT`` (None for absent), else ``BoundsError`` naming ``name``."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BoundsError(f"'{name}' must be a whole number, got {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BoundsError(f"'{name}' must be a finite whole number, got {value!r}")
        if value != int(value):
            raise BoundsError(f"'{name}' must be a whole number, got {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 20 and text.lstrip("+-").isdigit():
            raise BoundsError(f"'{name}' is larger than {MAX_COUNT} ({len(text)} digits)")
        value = text
    try:
        count = int(float(value)) if isinstance(value, str) and "." in value else int(value)
    except (TypeError, ValueError, OverflowError):
        raise BoundsError(f"'{name}' must be a whole number, got {str(value)[:40]!r}") from None
    if count < 0:
        raise BoundsError(f"'{name}' must be ≥ 0, got {count}")
    if count > MAX_COUNT:
        shown = (
            str(count)
            if count.bit_length() < 64
            else f"a number of about {int(count.bit_length() * 0.30103)} digits"
        )
        raise BoundsError(f"'{name}' is larger than {MAX_COUNT} (got {shown})")
    return count


def clamp_count(value: Any) -> int | None:
    """For a source's payload: a count clamped into ``0..MAX_COUNT``; None when not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value) if not isinstance(value, int) else value
    except (TypeError, ValueError, OverflowError):
        return None
    if isinstance(number, float):
        if math.isnan(number):
            return None
        if math.isinf(number):
            return MAX_COUNT if number > 0 else 0
    return int(max(0, min(MAX_COUNT, number)))


def time_or_error(value: datetime, name: str = "created_at") -> datetime:
    """``value`` (aware) if it lies in ``EARLIEST..LATEST`` after conversion to UTC, else ``BoundsError``."""
    try:
        utc = value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise BoundsError(f"'{name}' {value.isoformat()[:40]} is out of range") from None
    if not EARLIEST <= utc < LATEST:
        raise BoundsError(f"'{name}' {value.isoformat()[:40]} is outside {EARLIEST.year}–{LATEST.year - 1}")
    return value


def json_depth(value: Any, limit: int = MAX_JSON_DEPTH) -> int:
    """How deep ``value`` nests (lists and objects), counted without recursion; stops past ``limit``."""
    depth, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            depth = max(depth, level)
            if depth > limit:
                return depth
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return depth


def bounded_mention(mention: RawMention) -> RawMention:
    """``mention`` with counts clamped into range (what a source's payload mapping gives is not
    checked line by line); ``BoundsError`` for a time outside ``EARLIEST..LATEST``."""
    time_or_error(mention.created_at)
    followers = clamp_count(mention.author_followers)
    metrics = {str(k)[:64]: clamp_count(v) or 0 for k, v in mention.metrics.items()}
    if followers == mention.author_followers and metrics == mention.metrics:
        return mention
    return replace(mention, author_followers=followers, metrics=metrics)
