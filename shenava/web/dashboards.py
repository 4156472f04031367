"""A brand dashboard for marketing: the daily digest's content (``alerts.digest.data``) computed live
for any period, plus trends over the period (share of voice against the competitors, net sentiment,
volume by sentiment). Every figure links to the explore page with the filter that gives it.

Trends are per local day up to a month and per Persian week (Saturday first) beyond; a brand's
count in a bucket is ``storage.aggregates.volume_by``/``volume_by_week`` over that brand, the same
count share of voice uses (a mention naming two brands counts for both).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.digest.data import BrandDigest, build_digest
from domain.brands import BrandSettings
from shenava.web.dashboard_period import Period
from shenava.web.explore import link, narrowed
from storage.aggregates import VolumePoint, volume_by, volume_by_week
from storage.models import MentionBrand
from storage.query import MentionQuery


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
    session: Session, brand: str, period: Period, competitors: Sequence[str], *, examples: int = 2,
    configured: Sequence[BrandSettings] = (),
) -> Dashboard:  # fmt: skip
    compared = [brand, *[c for c in competitors if c != brand]]
    digest = build_digest(
        session, period.digest, [brand], {brand: compared[1:]}, examples=examples, configured=configured
    ).brands[0]
    board = Dashboard(brand, period, compared, digest)
    series = {b: _series(session, b, period) for b in compared}
    step = timedelta(days=1 if period.bucket == "day" else 7)
    board.buckets = [
        Bucket(max(p.day, period.first), min(p.day + step - timedelta(days=1), period.last),
               {b: series[b][i].total for b in compared}, p.negative, p.neutral, p.positive)
        for i, p in enumerate(series[brand])
    ]  # fmt: skip
    return board


def latest_day(session: Session, brand: str, tz: str) -> date | None:
    """The local day of the brand's newest mention (None: none stored), so an empty period can
    point at where the brand's mentions are (an imported archive, a sample replayed from the past)."""
    # max() keeps the column's type, so UTCDateTime gives an aware UTC time on both backends
    newest = session.scalar(select(func.max(MentionBrand.created_at)).where(MentionBrand.brand == brand))
    return None if newest is None else newest.astimezone(ZoneInfo(tz)).date()


def _series(session: Session, brand: str, period: Period) -> list[VolumePoint]:
    """The brand's counts per day or Saturday-first week (every bucket of the period, empty ones too:
    each brand's list has the same buckets in the same order)."""
    r = period.digest.range
    query = MentionQuery(brands=[brand], since=r.start, until=r.end, tz=period.tz)
    if period.bucket == "day":
        return volume_by(session, query, "day", fill=True)
    return volume_by_week(session, query, fill=True)


def _value(text: str) -> str:
    return text if all(c.isalnum() or c in "_-.,@" for c in text) else f'"{text}"'
