"""The watched series: negative mentions per brand and per (brand, touchpoint), counted in buckets.

Buckets are aligned to local midnight (``timezone``), so a 60-minute bucket is an hour on the
Tehran clock. A series is named by its key (``alerts:neg:<brand>[:<touchpoint>]``), which also
names its detector's stored state.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.own_accounts import by_customers
from storage.models import Mention, MentionBrand

SERIES_PREFIX = "alerts:neg:"


def series_key(brand: str, touchpoint: str | None) -> str:
    return f"{SERIES_PREFIX}{brand}" + (f":{touchpoint}" if touchpoint else "")


@dataclass(frozen=True)
class BucketGrid:
    """Fixed-width buckets aligned to local midnight in ``tz``."""

    tz: ZoneInfo
    width: timedelta

    @classmethod
    def of(cls, bucket_minutes: int, timezone: str) -> BucketGrid:
        return cls(ZoneInfo(timezone), timedelta(minutes=bucket_minutes))

    def start(self, moment: datetime) -> datetime:
        """Start of the bucket holding ``moment``, aligned to local (Tehran) midnight, as UTC."""
        local = moment.astimezone(self.tz)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        offset = (local - midnight) // self.width
        return (midnight + offset * self.width).astimezone(UTC)

    def next_start(self, moment: datetime) -> datetime:
        """``moment`` if it starts a bucket, else the start of the next one."""
        start = self.start(moment)
        return start if start == moment else start + self.width


def count_negative(
    session: Session,
    grid: BucketGrid,
    brands: list[str],
    start: datetime,
    end: datetime,
    own: frozenset[str] = frozenset(),
) -> dict[tuple[str, datetime], int]:
    """Negative mentions per (series key, bucket start) in [start, end), leaving out the posts of
    the ``own`` handles (``alerts.own_accounts``)."""
    counts: dict[tuple[str, datetime], int] = defaultdict(int)
    rows = session.execute(
        select(MentionBrand.brand, MentionBrand.created_at, Mention.aspects)
        .join(Mention, Mention.id == MentionBrand.mention_id)
        .where(
            MentionBrand.brand.in_(brands),
            MentionBrand.created_at >= start,
            MentionBrand.created_at < end,
            Mention.sentiment_label == "negative",
            by_customers(own),
        )
    )
    for brand, created_at, aspects in rows:
        bucket = grid.start(created_at)
        counts[(series_key(brand, None), bucket)] += 1
        for aspect in set(aspects or []):
            counts[(series_key(brand, aspect), bucket)] += 1
    return counts
