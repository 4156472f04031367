"""Counts over the mentions a ``MentionQuery`` matches, for the digest, the API and the explore
page: volume per local hour, day or week, sentiment share, share of voice between brands,
touchpoint counts.

Buckets are *local* hours, days or (Saturday-first) weeks in ``query.tz`` (Asia/Tehran by
default). A query the rollups can answer exactly (``storage.rollup_query``: brand, touchpoint,
source, sentiment, language, dates) is read from them; any other (search text, author, reach…)
counts the raw rows, as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Float, Integer, and_, case, cast, func, select
from sqlalchemy.orm import Session, aliased

from storage import rollup_query
from storage.filters import conditions, dialect
from storage.limits import check_bucket_count, check_bucket_span
from storage.models import Mention, MentionAspect, MentionBrand
from storage.query import MentionQuery, SearchError
from storage.rollup_query import ANY
from storage.search import within_matches
from storage.search_dates import week_start

#: aggregates group UTC instants into slots this wide, then map slots to local buckets in Python;
#: every real time zone offset is a multiple of 15 minutes, so no slot straddles a local boundary
_SLOT_SECONDS = 900


def _slot_expr(session: Session) -> Any:
    if dialect(session) == "postgresql":
        return cast(func.floor(func.extract("epoch", Mention.created_at) / _SLOT_SECONDS), Integer)
    # floor division: "/" would render as true division (a slot per row, the grouping undone)
    return cast(func.strftime("%s", Mention.created_at), Integer) // _SLOT_SECONDS


def _bucket_start(slot: int, bucket: str, zone: ZoneInfo) -> datetime:
    local = datetime.fromtimestamp(slot * _SLOT_SECONDS, UTC).astimezone(zone)
    if bucket == "hour":
        return local.replace(minute=0, second=0, microsecond=0)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class VolumePoint:
    """Mentions in one local bucket (``start`` is the local bucket start, aware)."""

    start: datetime
    total: int
    negative: int
    neutral: int
    positive: int

    @property
    def day(self) -> date:
        return self.start.date()


def volume_by(
    session: Session,
    query: MentionQuery,
    bucket: Literal["day", "hour"] = "day",
    *,
    fill: bool = True,
    rollups: bool = True,
) -> list[VolumePoint]:
    """Mention counts per local day or hour, split by sentiment, oldest first.

    With ``fill`` and both ``since``/``until`` set, empty buckets in the range are included.
    ``rollups=False`` counts the raw rows even when the rollups could answer (tests, benchmarks).
    """
    if bucket not in ("day", "hour"):
        raise SearchError(f"bucket must be 'day' or 'hour', not {bucket!r}")
    check_bucket_span(query.since, query.until, bucket)
    zone = ZoneInfo(query.tz)
    counts: dict[datetime, Counter[str]] = {}
    for slot_value, label, count in _slot_counts(session, query, bucket, rollups):
        start = _bucket_start(int(slot_value), bucket, zone)
        counts.setdefault(start, Counter())[label] += count
    check_bucket_count(len(counts), bucket)
    if fill and query.since and query.until:
        step = timedelta(hours=1) if bucket == "hour" else timedelta(days=1)
        cursor = _bucket_start(int(query.since.timestamp()) // _SLOT_SECONDS, bucket, zone)
        while cursor.astimezone(UTC) < query.until:
            counts.setdefault(cursor, Counter())
            # wall-clock stepping, re-attached to the zone: DST days stay one local day long
            cursor = (cursor.replace(tzinfo=None) + step).replace(tzinfo=zone)
    return [
        VolumePoint(start, sum(c.values()), c["negative"], c["neutral"], c["positive"])
        for start, c in sorted(counts.items())
    ]


def _scope(query: MentionQuery, rollups: bool) -> rollup_query.Scope | None:
    return rollup_query.scope_of(query) if rollups else None


def _slot_counts(
    session: Session, query: MentionQuery, bucket: str, rollups: bool
) -> list[tuple[int, str, int]]:
    """(slot, sentiment, mentions): from the rollups when they can answer, else the raw rows."""
    scope = _scope(query, rollups)
    if scope is not None:
        found = rollup_query.counts(session, scope, ("sentiment",), "slot" if bucket == "hour" else "day")
        return [(slot, label, n) for (slot, label), n in found.items()]
    slot = _slot_expr(session).label("slot")
    stmt = (
        select(slot, Mention.sentiment_label, func.count())
        .where(and_(True, *conditions(session, query), *within_matches(session, query)))
        .group_by(slot, Mention.sentiment_label)
    )
    return [(int(s), label, int(n)) for s, label, n in session.execute(stmt)]


def volume_by_week(
    session: Session, query: MentionQuery, *, fill: bool = True, rollups: bool = True
) -> list[VolumePoint]:
    """Mentions per local Saturday-first week, split by sentiment, oldest first (``start``: the
    Saturday's local midnight, also for a range that starts mid-week)."""
    zone = ZoneInfo(query.tz)
    weeks: dict[date, list[VolumePoint]] = {}
    for point in volume_by(session, query, "day", fill=fill, rollups=rollups):
        weeks.setdefault(week_start(point.day), []).append(point)
    return [
        VolumePoint(datetime(first.year, first.month, first.day, tzinfo=zone),
                    sum(p.total for p in days), sum(p.negative for p in days),
                    sum(p.neutral for p in days), sum(p.positive for p in days))
        for first, days in sorted(weeks.items())
    ]  # fmt: skip


@dataclass(frozen=True)
class SentimentShare:
    total: int
    negative: int
    neutral: int
    positive: int

    def share(self, label: str) -> float:
        return getattr(self, label) / self.total if self.total else 0.0

    @property
    def net(self) -> float:
        """(positive − negative) / total, in [-1, 1]; 0 with no mentions."""
        return (self.positive - self.negative) / self.total if self.total else 0.0


def touchpoint_counts(
    session: Session, query: MentionQuery, *, rollups: bool = True
) -> list[tuple[str, int]]:
    """How many matching mentions carry each touchpoint, most first (ties by name)."""
    scope = _scope(query, rollups)
    if scope is not None and scope.touchpoint == ANY:  # a touchpoint filter: its co-tags need rows
        tags = rollup_query.names(session, "touchpoint", scope.brand)
        found = rollup_query.counts(session, scope, ("touchpoint",), touchpoints=tags) if tags else Counter()
        return sorted(((a, n) for (a,), n in found.items()), key=lambda item: (-item[1], item[0]))
    if scope is not None:  # after a touchpoint drill-down: its co-tags, from the tag rows' indexes
        return _co_touchpoints(session, scope)
    # an alias: a touchpoint filter's EXISTS over mention_aspects must not correlate with these rows
    # (it would be left with no FROM of its own: "returned no FROM clauses due to auto-correlation")
    tag = aliased(MentionAspect)
    stmt = (
        select(tag.aspect, func.count())
        .join(Mention, Mention.id == tag.mention_id)
        .where(and_(True, *conditions(session, query), *within_matches(session, query)))
        .group_by(tag.aspect)
    )
    return sorted(((a, int(n)) for a, n in session.execute(stmt)), key=lambda item: (-item[1], item[0]))


def _co_touchpoints(session: Session, scope: rollup_query.Scope) -> list[tuple[str, int]]:
    """Touchpoint counts of the mentions carrying ``scope.touchpoint`` (a pair is no rollup
    dimension): driven by that touchpoint's (aspect, created_at) index, each mention's other tags
    and brand by primary key; the mention row itself only for a source/sentiment/language filter."""
    first, other = aliased(MentionAspect), aliased(MentionAspect)
    stmt = (
        select(other.aspect, func.count())
        .select_from(first)
        .join(other, other.mention_id == first.mention_id)
        .where(first.aspect == scope.touchpoint)
        .group_by(other.aspect)
    )
    if scope.since:
        stmt = stmt.where(first.created_at >= scope.since)
    if scope.until:
        stmt = stmt.where(first.created_at < scope.until)
    if scope.brand != ANY:
        brand = aliased(MentionBrand)
        on = [brand.mention_id == first.mention_id, brand.brand == scope.brand]
        if dialect(session) == "postgresql":
            # the brand's rows in the range too (their copied created_at): PostgreSQL then hashes
            # the two tags' ranges together instead of probing the brand once per touchpoint row
            # (a month of "price": 12,000 probes, 25 ms → 13 ms); SQLite's probe stays a covering
            # primary-key lookup only without the date
            on += [brand.created_at >= scope.since] if scope.since else []
            on += [brand.created_at < scope.until] if scope.until else []
        stmt = stmt.join(brand, and_(*on))
    columns = ((Mention.source, scope.sources), (Mention.sentiment_label, scope.sentiments),
               (Mention.lang, scope.langs))  # fmt: skip
    if any(allowed is not None for _, allowed in columns):
        stmt = stmt.join(Mention, Mention.id == first.mention_id)
        stmt = stmt.where(*(c.in_(sorted(allowed)) for c, allowed in columns if allowed is not None))
    return sorted(((a, int(n)) for a, n in session.execute(stmt)), key=lambda item: (-item[1], item[0]))


def sentiment_share(session: Session, query: MentionQuery, *, rollups: bool = True) -> SentimentShare:
    """How many matching mentions are negative, neutral and positive."""
    scope = _scope(query, rollups)
    if scope is not None:
        c = Counter({label: n for (label,), n in rollup_query.counts(session, scope, ("sentiment",)).items()})
        return SentimentShare(sum(c.values()), c["negative"], c["neutral"], c["positive"])
    stmt = (
        select(Mention.sentiment_label, func.count())
        .where(and_(True, *conditions(session, query), *within_matches(session, query)))
        .group_by(Mention.sentiment_label)
    )
    c = Counter({label: n for label, n in session.execute(stmt)})
    return SentimentShare(sum(c.values()), c["negative"], c["neutral"], c["positive"])


@dataclass(frozen=True)
class VoiceShare:
    brand: str
    mentions: int
    share: float
    net_sentiment: float


def share_of_voice(
    session: Session, query: MentionQuery, brands: Sequence[str] | None = None, *, rollups: bool = True
) -> list[VoiceShare]:
    """Each brand's share of the brand mentions matching ``query``, largest first (ties by name).

    ``brands`` (or ``query.brands``) names the brands compared; none: every brand seen. A mention
    naming two brands counts for both, so shares are of brand mentions.
    """
    compared = list(brands or query.brands)
    scoped = query.model_copy(update={"brands": []})
    scope = _scope(scoped, rollups)
    if scope is not None and scope.brand == ANY:  # a brand filter in the text: its co-brands need rows
        rows = _voice_from_rollups(session, scope, compared)
    else:
        rows = _voice_from_rows(session, scoped, compared)
    for brand in compared:
        rows.setdefault(brand, (0, 0.0))
    total = sum(n for n, _ in rows.values())
    shares = [
        VoiceShare(brand, n, n / total if total else 0.0, s / n if n else 0.0)
        for brand, (n, s) in rows.items()
    ]
    return sorted(shares, key=lambda v: (-v.mentions, v.brand))


def _voice_from_rollups(
    session: Session, scope: rollup_query.Scope, compared: list[str]
) -> dict[str, tuple[int, float]]:
    """(mentions, sentiment sum) per brand; brands with no mention left out."""
    brands = compared or rollup_query.names(session, "brand")
    if not brands:
        return {}
    found = rollup_query.counts(session, scope, ("brand", "sentiment"), brands=brands,
                                touchpoints=[scope.touchpoint])  # fmt: skip
    rows: dict[str, tuple[int, float]] = {}
    for (brand, label), n in sorted(found.items()):
        count, score = rows.get(brand, (0, 0.0))
        rows[brand] = (count + n, score + n * _SCORES.get(label, 0))
    return rows


_SCORES = {"positive": 1, "negative": -1}


def _voice_from_rows(
    session: Session, scoped: MentionQuery, compared: list[str]
) -> dict[str, tuple[int, float]]:
    score = case(
        (Mention.sentiment_label == "positive", 1), (Mention.sentiment_label == "negative", -1), else_=0
    )
    # an alias, as in touchpoint_counts: a brand filter's EXISTS must not correlate with these rows
    tag = aliased(MentionBrand)
    stmt = (
        select(tag.brand, func.count(), func.sum(cast(score, Float)))
        .join(Mention, Mention.id == tag.mention_id)
        .where(and_(True, *conditions(session, scoped), *within_matches(session, scoped)))
        .group_by(tag.brand)
    )
    if compared:
        stmt = stmt.where(tag.brand.in_(compared))
    if scoped.since:
        stmt = stmt.where(tag.created_at >= scoped.since)
    if scoped.until:
        stmt = stmt.where(tag.created_at < scoped.until)
    return {brand: (int(n), float(s or 0)) for brand, n, s in session.execute(stmt)}
