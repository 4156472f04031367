"""A brand dashboard for marketing: the daily digest's content (``alerts.digest.data``) computed live
for any period, plus trends over the period (share of voice against the competitors, net sentiment,
volume by sentiment). Every figure links to the explore page with the filter that gives it.

Trends are per local day up to a month and per Persian week (Saturday first) beyond; a brand's
count in a bucket is ``storage.aggregates.volume_by`` over that brand, the same count share of
voice uses (a mention naming two brands counts for both).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from alerts.digest.data import BrandDigest, build_digest
from shenava.web.dashboard_period import Period
from shenava.web.explore import link, narrowed
from storage.aggregates import VolumePoint, volume_by
from storage.query import MentionQuery
from storage.search_dates import week_start


@dataclass(frozen=True)
class Bucket:
    """One trend column: local days ``first``..``last`` (clipped to the period)."""

    first: date
    last: date
    counts: dict[str, int]  # brand → mentions
    negative: int
    neutral: int
    positive: int

    @property
    def dates(self) -> str:
        return self.first.isoformat() if self.first == self.last else f"{self.first}..{self.last}"

    @property
    def total(self) -> int:
        return self.negative + self.neutral + self.positive

    @property
    def net(self) -> float:
        return (self.positive - self.negative) / self.total if self.total else 0.0

    def share(self, brand: str) -> float:
        whole = sum(self.counts.values())
        return self.counts.get(brand, 0) / whole if whole else 0.0


@dataclass
class Dashboard:
    brand: str
    period: Period
    compared: list[str]  # the brand first, then its competitors
    digest: BrandDigest
    buckets: list[Bucket] = field(default_factory=list)

    def q(self, *filters: str, brands: Sequence[str] | None = None) -> str:
        """The explore query of this brand (or ``brands``) over the period, AND ``filters``."""
        names = ",".join(brands or [self.brand])
        query = f"brand:{_value(names)} date:{self.period.dates}"
        for extra in filters:
            query = narrowed(query, extra)
        return query

    def explore(self, *filters: str, brands: Sequence[str] | None = None, dates: str | None = None) -> str:
        q = self.q(*filters, brands=brands)
        if dates is not None:
            q = q.replace(f"date:{self.period.dates}", f"date:{dates}")
        return link(q, "day" if self.period.bucket == "day" else "week")


def build_dashboard(
    session: Session, brand: str, period: Period, competitors: Sequence[str], *, examples: int = 2
) -> Dashboard:
    compared = [brand, *[c for c in competitors if c != brand]]
    digest = build_digest(session, period.digest, [brand], compared[1:], examples=examples).brands[0]
    board = Dashboard(brand, period, compared, digest)
    series = {b: _days(session, b, period) for b in compared}
    board.buckets = _buckets(series, brand, period)
    return board


def _days(session: Session, brand: str, period: Period) -> list[VolumePoint]:
    r = period.digest.range
    query = MentionQuery(brands=[brand], since=r.start, until=r.end, tz=period.tz)
    return volume_by(session, query, "day", fill=True)


def _buckets(series: dict[str, list[VolumePoint]], brand: str, period: Period) -> list[Bucket]:
    def key(day: date) -> date:
        return day if period.bucket == "day" else max(week_start(day), period.first)

    lasts: dict[date, date] = {}
    counts: dict[date, dict[str, int]] = {}
    sentiment: dict[date, list[int]] = {}
    for name, points in series.items():
        for p in points:
            k = key(p.day)
            lasts[k] = max(lasts.get(k, p.day), p.day)
            counts.setdefault(k, dict.fromkeys(series, 0))[name] += p.total
            if name == brand:
                row = sentiment.setdefault(k, [0, 0, 0])
                row[0], row[1], row[2] = row[0] + p.negative, row[1] + p.neutral, row[2] + p.positive
    return [
        Bucket(k, min(lasts[k], period.last), counts[k], *sentiment.get(k, [0, 0, 0]))
        for k in sorted(counts)
        if period.first <= k <= period.last
    ]


def _value(text: str) -> str:
    return text if all(c.isalnum() or c in "_-.,@" for c in text) else f'"{text}"'

