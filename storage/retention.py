"""Retention: mentions older than their rule's days are deleted (their daily counts kept) or
anonymised, per source and brand (``storage.retention`` in the settings).

Each chunk of mentions is counted into ``retained_counts`` and erased in one transaction, so a
crash loses neither counts nor leaves counted mentions behind. A mention matching several rules
goes when the first of them expires. Every applied rule appends an audit record (how many rows,
never what they said).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from storage import audit
from storage.erasure import anonymise, erase
from storage.models import Mention, MentionBrand
from storage.retained import ALL_TOUCHPOINTS, RetainedCount
from storage.settings import RetentionRule

BATCH = 5_000  # mentions per transaction


@dataclass
class RuleOutcome:
    rule: RetentionRule
    cutoff: datetime
    mentions: int = 0
    rows: Counter[str] = field(default_factory=Counter)

    @property
    def label(self) -> str:
        rule = self.rule
        return f"{rule.action} source={rule.source or '*'} brand={rule.brand or '*'} older than {rule.days} d"


def _due(rule: RetentionRule, cutoff: datetime) -> list[object]:
    where: list[object] = [Mention.created_at < cutoff]
    if rule.source:
        where.append(Mention.source == rule.source)
    if rule.brand:
        where.append(exists().where(MentionBrand.mention_id == Mention.id, MentionBrand.brand == rule.brand))
    if rule.action == "anonymise":
        where.append(~Mention.external_id.startswith("anon:"))
    return where


def keep_counts(session: Session, ids: list[int], zone: ZoneInfo) -> int:
    """Add the mentions to the daily counts (before they are deleted); the rows added or grown."""
    counts: Counter[tuple[date, str, str, str, str]] = Counter()
    m = Mention
    stmt = select(m.created_at, m.source, m.sentiment_label, m.brands, m.aspects)
    for start in range(0, len(ids), 500):
        for created, source, sentiment, brands, aspects in session.execute(
            stmt.where(Mention.id.in_(ids[start : start + 500]))
        ):
            day = created.astimezone(zone).date()
            for brand in sorted(set(brands or [])) or [""]:
                counts[(day, source, brand, sentiment, ALL_TOUCHPOINTS)] += 1
                for touchpoint in sorted(set(aspects or [])):
                    counts[(day, source, brand, sentiment, touchpoint)] += 1
    for key, n in counts.items():
        row = session.get(RetainedCount, key)
        if row is None:
            day, source, brand, sentiment, touchpoint = key
            session.add(RetainedCount(day=day, source=source, brand=brand, sentiment=sentiment,
                                      touchpoint=touchpoint, mentions=n))  # fmt: skip
        else:
            row.mentions += n
    return len(counts)


def apply_retention(
    sessions: Callable[[], Session],
    rules: list[RetentionRule],
    *,
    now: datetime | None = None,
    tz: str = "Asia/Tehran",
    dry_run: bool = False,
    actor: str = "service:retention",
) -> list[RuleOutcome]:
    """Apply every rule (deletions first); with ``dry_run`` only count what would go."""
    now = now or datetime.now(UTC)
    zone = ZoneInfo(tz)
    outcomes = []
    for rule in sorted(rules, key=lambda r: r.action != "delete"):
        outcome = RuleOutcome(rule, now - timedelta(days=rule.days))
        where = _due(rule, outcome.cutoff)
        with sessions() as session:
            ids = list(session.scalars(select(Mention.id).where(*where).order_by(Mention.id)))
        outcome.mentions = len(ids)
        if not dry_run:
            for start in range(0, len(ids), BATCH):
                batch = ids[start : start + BATCH]
                with sessions() as session, session.begin():
                    if rule.action == "delete":
                        outcome.rows["retained_counts"] += keep_counts(session, batch, zone)
                        outcome.rows.update(erase(session, batch))
                    else:
                        outcome.rows.update(anonymise(session, batch))
            if ids:
                with sessions() as session, session.begin():
                    audit.record(
                        session, actor=actor, action="privacy.retention",
                        target=f"retention:{rule.source or '*'}:{rule.brand or '*'}:{rule.action}",
                        new={"cutoff": outcome.cutoff.isoformat(), "mentions": len(ids),
                             "rows": dict(sorted(outcome.rows.items()))},
                        at=now,
                    )  # fmt: skip
        outcomes.append(outcome)
    return outcomes
