"""The figures of a digest, read through the archive query layer (``storage.aggregates``/``search``).

Per brand: volume and sentiment against the previous period, a daily trend, share of voice
against the competitors, complaint themes (touchpoints with example mentions, and keyphrases
over-represented in negative mentions), top praise, and the period's incidents with their time
to acknowledge (TTA) and time to resolve (TTR).

The configured brands' own accounts (their handles) are not quoted as complaints or praise (a
brand's apology or its own advert is neither), and the keyphrases leave out the brands' names:
they are counted, not examples of what customers say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from alerts.brand_terms import brand_words, names_a_brand
from alerts.digest.period import DigestPeriod
from alerts.incidents.state import read_state
from alerts.own_accounts import handle_key, own_handles
from alerts.sla_report import SlaFigures, sla_report
from alerts.text import gist
from alerts.workflow import DETECTOR, incident_touchpoints, raised_at
from domain.brands import BrandSettings
from storage.aggregates import (
    SentimentShare,
    VoiceShare,
    VolumePoint,
    sentiment_share,
    share_of_voice,
    touchpoint_counts,
    volume_by,
)
from storage.models import Incident
from storage.query import MentionHit, MentionQuery
from storage.search import iter_mentions

#: mentions read per side for keyphrases: enough for stable counts, bounded for big archives
KEYPHRASE_SAMPLE = 2000
#: rows read at most for one list of examples. By reach the brands' own accounts come first (tens of
#: thousands of followers, every support reply and advert), so the customers' best can lie behind
#: hundreds of them: the sample's top 60 positive mentions of sabzino by reach are all its own.
EXAMPLES_READ_LIMIT = 5000


@dataclass(frozen=True)
class OwnVoice:
    """What the configured brands say themselves: their accounts and the words naming them."""

    handles: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()

    @classmethod
    def of(cls, brands: Sequence[BrandSettings]) -> OwnVoice:
        return cls(own_handles(brands), brand_words(brands))

    def examples(
        self, session: Session, query: MentionQuery, n: int, quoted: set[str] | None = None
    ) -> list[MentionHit]:
        """The ``n`` first customers' mentions in ``query``'s order, read as a stream until found."""
        with closing(iter_mentions(session, query, limit=EXAMPLES_READ_LIMIT, chunk=200)) as hits:
            return self.customers(hits, n, quoted)

    def customers(
        self, hits: Iterable[MentionHit], n: int, quoted: set[str] | None = None
    ) -> list[MentionHit]:
        """The first ``n`` hits not posted by a brand's own account, each saying something the ones
        before it did not: a headline that several outlets (or retweets) carry is quoted once.

        ``quoted`` holds the gists an earlier list (another touchpoint's) showed: a complaint tagged
        with two touchpoints is shown again only when nothing else is left; the gists shown are added.
        """
        shown: list[MentionHit] = []
        again: list[MentionHit] = []
        said: set[str] = set()
        if n <= 0:
            return shown
        earlier = quoted if quoted is not None else set()
        for hit in hits:
            if handle_key(hit.author_handle) in self.handles:
                continue
            key = gist(hit.text)
            if key in said:
                continue
            said.add(key)
            if key not in earlier:
                shown.append(hit)
            elif len(again) < n:
                again.append(hit)
            if len(shown) == n:
                break
        shown += again[: n - len(shown)]
        earlier.update(gist(hit.text) for hit in shown)
        return shown


@dataclass(frozen=True)
class Theme:
    aspect: str
    count: int
    previous: int
    examples: list[MentionHit]


@dataclass(frozen=True)
class IncidentRow:
    id: int
    #: the touchpoints the incident names (its alert's and the inbox's), else its series' own
    touchpoints: list[str]
    severity: str
    status: str
    opened_at: datetime
    peak: float
    tta: timedelta | None
    ttr: timedelta | None
    acknowledged_by: str | None


@dataclass
class BrandDigest:
    brand: str
    current: SentimentShare
    previous: SentimentShare
    trend: list[VolumePoint]
    voice: list[VoiceShare]
    themes: list[Theme]
    keyphrases: list[tuple[str, float]]
    praise: list[MentionHit]
    incidents: list[IncidentRow]
    sla: SlaFigures | None = None  # met/breached deadlines that fell in the period (alerts.sla_report)

    @property
    def rivals(self) -> bool:
        """Whether the brand is compared with any competitor (alone, its 100% share says nothing)."""
        return len(self.voice) > 1

    @property
    def volume_change(self) -> float | None:
        """Relative change of volume vs the previous period; None when there was none before."""
        if not self.previous.total:
            return None
        return (self.current.total - self.previous.total) / self.previous.total

    @property
    def net_change(self) -> float:
        return self.current.net - self.previous.net


@dataclass
class Digest:
    period: DigestPeriod
    generated_at: datetime
    brands: list[BrandDigest] = field(default_factory=list)


def _query(period: DigestPeriod, **filters: object) -> MentionQuery:
    r = period.range
    return MentionQuery(since=r.start, until=r.end, tz=period.tz, **filters)


def _incidents(session: Session, brand: str, period: DigestPeriod) -> list[IncidentRow]:
    r = period.range
    rows = session.execute(
        select(Incident)
        .where(
            Incident.brand == brand,
            Incident.opened_at < r.end,
            or_(Incident.resolved_at.is_(None), Incident.resolved_at >= r.start),
        )
        .order_by(Incident.opened_at, Incident.id)
    ).scalars()
    # The period is mention time: an incident whose burst ended before it is not in it, even when
    # an import recorded (and resolved) it today.
    rows = [i for i in rows if (read_state(i.details).burst_end or r.end) >= r.start]
    # as in the support workflow's report: times run from when support could first see the
    # incident, and a resolve by the detector (the spike faded) is not a human response
    return [
        IncidentRow(
            id=i.id, touchpoints=incident_touchpoints(i), severity=i.severity, status=i.status,
            opened_at=i.opened_at,
            peak=i.peak_count, acknowledged_by=i.acknowledged_by,
            tta=(i.acknowledged_at - raised_at(i)) if i.acknowledged_at else None,
            ttr=(i.resolved_at - raised_at(i)) if i.resolved_at and i.resolved_by not in (None, DETECTOR)
            else None,
        )
        for i in rows
    ]  # fmt: skip


def _sla(session: Session, brand: str, period: DigestPeriod) -> SlaFigures | None:
    """The brand's SLA figures for deadlines in the period (None: no deadline fell in it)."""
    figures = sla_report(session, period.range.start, period.range.end, brand=brand).brands
    return figures[0] if figures else None


def _themes(session: Session, brand: str, period: DigestPeriod, examples: int, own: OwnVoice) -> list[Theme]:
    negatives = _query(period, brands=[brand], sentiments=["negative"])
    themes = []
    quoted: set[str] = set()  # a complaint naming two touchpoints is quoted under the first only
    for aspect, count in touchpoint_counts(session, negatives)[:5]:
        before = sentiment_share(
            session, _query(period.previous, brands=[brand], aspects=[aspect], sentiments=["negative"])
        ).negative
        shown = own.examples(
            session, negatives.model_copy(update={"aspects": [aspect], "sort": "reach"}), examples, quoted
        )
        themes.append(Theme(aspect, count, before, shown))
    return themes


def _keyphrases(
    session: Session, brand: str, period: DigestPeriod, top: int, own: OwnVoice
) -> list[tuple[str, float]]:
    if top <= 0:
        return []
    from nlp.keyphrases import log_odds_terms

    target = [h.text for h in iter_mentions(
        session, _query(period, brands=[brand], sentiments=["negative"]), limit=KEYPHRASE_SAMPLE
    )]  # fmt: skip
    if not target:
        return []
    # baseline: the brand's other mentions, this period and the trend window before it
    start = period.first - timedelta(days=period.trend_days)
    wide = DigestPeriod(period.kind, start, period.trend_days + period.days, period.tz)
    baseline = [
        h.text
        for h in iter_mentions(session, _query(wide, brands=[brand]), limit=KEYPHRASE_SAMPLE * 2)
        if h.sentiment_label != "negative"
    ]
    found = log_odds_terms(target, baseline, top=top + len(own.words))
    return [(term, z) for term, z in found if not names_a_brand(term, own.words)][:top]


def _praise(
    session: Session, brand: str, period: DigestPeriod, own: OwnVoice, top: int = 3
) -> list[MentionHit]:
    return own.examples(session, _query(period, brands=[brand], sentiments=["positive"], sort="reach"), top)


def build_digest(
    session: Session,
    period: DigestPeriod,
    brands: list[str],
    competitors: Mapping[str, Sequence[str]],
    *,
    examples: int = 2,
    keyphrases: int = 8,
    now: datetime | None = None,
    configured: Sequence[BrandSettings] = (),
) -> Digest:
    """Everything the digest shows for ``brands`` (each compared with ``competitors[brand]``);
    ``configured`` (the settings' brands) names their own accounts and words (``OwnVoice``)."""
    digest = Digest(period=period, generated_at=now or datetime.now(UTC))
    own = OwnVoice.of(configured)
    trend = DigestPeriod(period.kind, period.last - timedelta(days=period.trend_days - 1), period.trend_days,
                         period.tz)  # fmt: skip
    for brand in brands:
        current = sentiment_share(session, _query(period, brands=[brand]))
        previous = sentiment_share(session, _query(period.previous, brands=[brand]))
        compared = [brand, *[c for c in competitors.get(brand, ()) if c != brand]]
        digest.brands.append(
            BrandDigest(
                brand=brand,
                current=current,
                previous=previous,
                trend=volume_by(session, _query(trend, brands=[brand]), "day"),
                voice=share_of_voice(session, _query(period), compared),
                themes=_themes(session, brand, period, examples, own),
                keyphrases=_keyphrases(session, brand, period, keyphrases, own),
                praise=_praise(session, brand, period, own),
                incidents=_incidents(session, brand, period),
                sla=_sla(session, brand, period),
            )
        )
    return digest
