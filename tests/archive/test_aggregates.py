"""Aggregates on both backends: local (Asia/Tehran) buckets, sentiment share, share of voice."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.aggregates import sentiment_share, share_of_voice, volume_by
from storage.query import MentionQuery, SearchError


def test_volume_by_local_day_fills_empty_days(engine: Engine, archive: dict[str, int]) -> None:
    with Session(engine) as session:
        points = volume_by(session, MentionQuery(since="1403-08-29", until="1403-09-03"), "day")
    by_day = {p.day: (p.total, p.negative, p.neutral, p.positive) for p in points}
    assert by_day == {
        date(2024, 11, 19): (0, 0, 0, 0),
        date(2024, 11, 20): (1, 1, 0, 0),  # b1: 23:40 Tehran time, 20:10 UTC
        date(2024, 11, 21): (7, 4, 1, 2),
        date(2024, 11, 22): (5, 2, 2, 1),
        date(2024, 11, 23): (0, 0, 0, 0),
    }
    assert all(p.start.utcoffset().total_seconds() == 3.5 * 3600 for p in points)


def test_volume_by_hour_is_local_and_sums_up(engine: Engine, archive: dict[str, int]) -> None:
    with Session(engine) as session:
        points = volume_by(session, MentionQuery(brands=["sabzino"]), "hour", fill=False)
        total = sentiment_share(session, MentionQuery(brands=["sabzino"])).total
    assert sum(p.total for p in points) == total == 11
    # a1 was stored at 05:00 UTC = 08:30 Tehran → the 08:00 local hour
    assert any(p.start.hour == 8 and p.start.day == 21 and p.total == 1 for p in points)
    with Session(engine) as session, pytest.raises(SearchError):
        volume_by(session, MentionQuery(), "week")  # type: ignore[arg-type]


def test_sentiment_share_and_net(engine: Engine, archive: dict[str, int]) -> None:
    with Session(engine) as session:
        share = sentiment_share(
            session, MentionQuery(brands=["sabzino"], since="1403-09-01", until="1403-09-01")
        )
        empty = sentiment_share(session, MentionQuery(brands=["nobody"]))
    assert (share.total, share.negative, share.neutral, share.positive) == (6, 3, 1, 2)
    assert share.net == pytest.approx((2 - 3) / 6)
    assert share.share("negative") == pytest.approx(0.5)
    assert empty.total == 0 and empty.net == 0.0


def test_share_of_voice_counts_brand_mentions(engine: Engine, archive: dict[str, int]) -> None:
    with Session(engine) as session:
        sov = share_of_voice(
            session, MentionQuery(since="1403-09-01", until="1403-09-02"), ["sabzino", "tazeh", "ghost"]
        )
    assert [(v.brand, v.mentions) for v in sov] == [("sabzino", 9), ("tazeh", 3), ("ghost", 0)]
    assert sum(v.share for v in sov) == pytest.approx(1.0)
    assert sov[1].net_sentiment == pytest.approx(-1 / 3)


def test_share_of_voice_respects_other_filters(engine: Engine, archive: dict[str, int]) -> None:
    with Session(engine) as session:
        sov = share_of_voice(session, MentionQuery(text="تازه‌مارکت"))
    assert {v.brand: v.mentions for v in sov} == {"tazeh": 3, "sabzino": 2}
