"""The one table of engagement-metric names: sources name the same count differently.

X says ``like_count``/``retweet_count``/``reply_count``, Instagram ``likes``/``comments``, Telegram
``forwards``, files whatever their exporter wrote. Every reader of metrics (storage's integer
columns, the urgency score's engagement, ``shenava score``) maps them through this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: canonical metric → the names sources give it, most specific first (``metric_count`` takes the
#: first one present)
METRIC_ALIASES: dict[str, tuple[str, ...]] = {
    "likes": ("likes", "like_count", "favorite_count", "favorites"),
    "replies": ("replies", "reply_count", "comments", "comment_count"),
    "reposts": ("reposts", "retweet_count", "retweets", "shares", "quote_count", "quotes", "forwards"),
}
#: every name any source uses for a known metric
METRIC_NAMES: frozenset[str] = frozenset(name for names in METRIC_ALIASES.values() for name in names)


def metric_count(metrics: Mapping[str, Any], canonical: str) -> int:
    """The first alias of ``canonical`` that holds a number (booleans are not counts); 0 if none."""
    for name in METRIC_ALIASES[canonical]:
        value = metrics.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return int(value)
    return 0


def metric_total(metrics: Mapping[str, Any], canonical: str) -> int:
    """The sum over every alias of ``canonical`` (negative counts as 0), for a source that reports
    parts of one metric apart (retweets and quotes are both reposts)."""
    return sum(max(0, int(metrics.get(name) or 0)) for name in METRIC_ALIASES[canonical])


def known_metrics(metrics: Mapping[str, Any]) -> dict[str, Any]:
    """Only the entries of ``metrics`` whose name is in the table."""
    return {name: value for name, value in metrics.items() if name in METRIC_NAMES}
