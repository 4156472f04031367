"""The one metric-alias table (``domain.metrics``) against the three it replaced (issue 9).

Storage's integer columns, the urgency score's engagement and ``shenava score`` each had their own
table of metric names. The one table is their superset, so every payload a source sends maps as it
did; the only change is that a name one reader knew now counts in the others too.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from domain.metrics import METRIC_ALIASES, metric_count, metric_total
from nlp.urgency import engagement_level
from shenava.scoring import _metrics as score_metrics
from storage.repository import mention_row
from tests.storage.factories import T0, analysis, raw_mention

# The tables as they were before the one table (copied from the old code, not imported).
OLD_STORAGE = {  # storage/repository.py: the first name present wins
    "likes": ("likes", "like_count", "favorite_count"),
    "replies": ("replies", "reply_count", "comments", "comment_count"),
    "reposts": ("reposts", "retweet_count", "retweets", "shares", "quote_count"),
}
OLD_URGENCY = {  # nlp/urgency.py: every name present is summed
    "likes": ("likes", "like_count", "favorites"),
    "reposts": ("shares", "retweets", "retweet_count", "quotes", "quote_count", "forwards"),
    "replies": ("replies", "reply_count", "comments"),
}
OLD_SCORE = (  # shenava/scoring.py: the names copied from a record
    "likes", "like_count", "retweets", "retweet_count", "shares", "replies", "reply_count", "comments",
)  # fmt: skip

#: what each source's listener (or file) puts in ``RawMention.metrics``
PAYLOADS: dict[str, dict[str, Any]] = {
    # listeners/twitter.py: the tweet's public_metrics as X sends them
    "x": {
        "retweet_count": 3,
        "reply_count": 2,
        "like_count": 10,
        "quote_count": 1,
        "bookmark_count": 4,
        "impression_count": 500,
    },
    "instagram-post": {"likes": 7, "comments": 2},  # listeners/instagram.py
    "instagram-comment": {"likes": 5},
    "telegram": {"views": 1200},  # listeners/web: views only
    # scripts/generate_sample.py (the bundled sample, replay and import files)
    "file-x": {"likes": 4, "replies": 1, "reposts": 2, "views": 300},
    "file-instagram": {"likes": 9, "comments": 3},
    "file-telegram": {"views": 900},
}


def engagement_level_of(total: int) -> float:
    """The engagement level of a weighted total (the formula of ``nlp.urgency``)."""
    return min(1.0, math.log10(1 + total) / 4)


def _old_storage(metrics: dict[str, Any], column: str) -> int:
    for name in OLD_STORAGE[column]:
        value = metrics.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return int(value)
    return 0


def _old_engagement_total(metrics: dict[str, Any]) -> int:
    def get(names: tuple[str, ...]) -> int:
        return sum(max(0, int(metrics.get(n) or 0)) for n in names)

    return get(OLD_URGENCY["likes"]) + 2 * get(OLD_URGENCY["reposts"]) + 2 * get(OLD_URGENCY["replies"])


def test_the_one_table_is_the_superset_of_the_three() -> None:
    for old in (OLD_STORAGE, OLD_URGENCY):
        for canonical, names in old.items():
            assert set(names) <= set(METRIC_ALIASES[canonical]), canonical
    assert set(OLD_SCORE) <= {name for names in METRIC_ALIASES.values() for name in names}


def test_storage_keeps_its_order_so_the_first_name_present_still_wins() -> None:
    for canonical, names in OLD_STORAGE.items():
        assert METRIC_ALIASES[canonical][: len(names)] == names


@pytest.mark.parametrize("source", sorted(PAYLOADS))
def test_each_sources_payload_fills_the_storage_columns_as_before(source: str) -> None:
    payload = PAYLOADS[source]
    row = mention_row(raw_mention(metrics=payload), analysis(), T0)
    for column in ("likes", "replies", "reposts"):
        assert row[column] == _old_storage(payload, column) == metric_count(payload, column)
    assert row["metrics"] == payload


@pytest.mark.parametrize("source", sorted(set(PAYLOADS) - {"file-x"}))
def test_each_sources_payload_gives_the_urgency_engagement_as_before(source: str) -> None:
    payload = PAYLOADS[source]
    assert engagement_level(payload) == pytest.approx(engagement_level_of(_old_engagement_total(payload)))


def test_a_files_reposts_now_count_in_urgency_as_they_did_in_storage() -> None:
    """Where the tables disagreed: the urgency table did not know ``reposts`` (storage did)."""
    payload = PAYLOADS["file-x"]
    assert _old_engagement_total(payload) == 4 + 2 * 1
    assert metric_total(payload, "reposts") == 2
    assert engagement_level(payload) == pytest.approx(engagement_level_of(4 + 2 * 2 + 2 * 1))


@pytest.mark.parametrize("source", sorted(PAYLOADS))
def test_score_reads_every_name_it_read_before(source: str) -> None:
    payload = PAYLOADS[source]
    read = score_metrics({"text": "x", "metrics": payload})
    assert {k: v for k, v in read.items() if k in OLD_SCORE} == {
        k: v for k, v in payload.items() if k in OLD_SCORE
    }
    # and now also the names the other readers knew (``reposts``), never the unknown ones
    assert set(read) == {k for k in payload if any(k in names for names in METRIC_ALIASES.values())}
