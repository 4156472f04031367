"""Why an alert fired, in facts a support agent can check.

For a spike window and the baseline period before it: the negative count against the expected
count, the terms over-represented now (weighted log-odds with an informative prior,
``nlp.keyphrases.log_odds_terms``; words that only name a brand or a competitor left out,
``alerts.brand_terms``), the touchpoints ranked by their excess over their own usual count
(``alerts.attribution``), 3–5 representative mentions with links and authors, and the brand's
negative share now against usual. The result is plain JSON, stored with the event.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.attribution import named_touchpoints, rank_touchpoints
from alerts.brand_terms import names_a_brand
from alerts.own_accounts import by_customers
from alerts.text import clean_text, gist
from storage.models import Mention, MentionBrand

BASELINE_SAMPLE = 3000  # newest baseline mentions used for terms; bounds the work on busy brands
TERMS = 10


def _log_odds_terms(
    target: list[str], baseline: list[str], top: int, exclude: frozenset[str]
) -> list[tuple[str, float]]:
    from nlp.keyphrases import log_odds_terms  # imported late: it pulls in the normaliser

    # Ask for more than needed: brand names rank high and are dropped here.
    ranked = log_odds_terms(target, baseline, top=top * 4 if exclude else top, normalized=True)
    return [(term, z) for term, z in ranked if not names_a_brand(term, exclude)][:top]


def _negative_mentions(
    session: Session,
    brand: str,
    start: datetime,
    end: datetime,
    limit: int | None = None,
    newest_first: bool = False,
    own: frozenset[str] = frozenset(),
) -> list[Mention]:
    query = (
        select(Mention)
        .join(MentionBrand, MentionBrand.mention_id == Mention.id)
        .where(
            MentionBrand.brand == brand,
            MentionBrand.created_at >= start,
            MentionBrand.created_at < end,
            Mention.sentiment_label == "negative",
            by_customers(own),
        )
        .order_by(Mention.created_at.desc() if newest_first else Mention.created_at)
    )
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def _brand_counts(
    session: Session, brand: str, start: datetime, end: datetime, own: frozenset[str]
) -> tuple[int, int]:
    """(all mentions, negative mentions) of ``brand`` in [start, end), not by the ``own`` handles."""
    row = session.execute(
        select(func.count(), func.count().filter(Mention.sentiment_label == "negative"))
        .select_from(MentionBrand)
        .join(Mention, Mention.id == MentionBrand.mention_id)
        .where(
            MentionBrand.brand == brand,
            MentionBrand.created_at >= start,
            MentionBrand.created_at < end,
            by_customers(own),
        )
    ).one()
    return int(row[0]), int(row[1])


def _reach(mention: Mention) -> float:
    engagement = (mention.likes or 0) + 2 * (mention.replies or 0) + 2 * (mention.reposts or 0)
    return math.log1p(mention.author_followers or 0) + math.log1p(engagement)


def representative(mentions: list[Mention], terms: list[str], k: int) -> list[Mention]:
    """Mentions that carry the driving terms and reach people, one per author and one per text (copies
    of a headline or of a complaint say nothing new)."""
    term_set = set(terms)

    def score(m: Mention) -> float:
        tokens = set((m.normalized_text or "").split())
        return 2.0 * len(tokens & term_set) + _reach(m) + 3.0 * (m.urgency or 0.0)

    chosen: list[Mention] = []
    authors: set[str] = set()
    texts: set[str] = set()
    for m in sorted(mentions, key=score, reverse=True):
        author = (m.author_handle or m.author_id or f"#{m.id}").lower()
        said = gist(m.text)
        if author in authors or said in texts:
            continue
        authors.add(author)
        texts.add(said)
        chosen.append(m)
        if len(chosen) == k:
            break
    return chosen


def mention_json(m: Mention) -> dict[str, Any]:
    return {
        "id": m.id,
        "source": m.source,
        "text": clean_text(m.text, 500),
        "url": m.url,
        "author": m.author_handle or m.author_name,
        "followers": m.author_followers,
        "created_at": m.created_at.isoformat(),
        "aspects": list(m.aspects or []),
    }


def explain_spike(
    session: Session,
    *,
    brand: str,
    window_start: datetime,
    window_end: datetime,
    expected: float,
    baseline_hours: int,
    touchpoint: str | None = None,
    representatives: int = 4,
    expected_by_touchpoint: dict[str, float] | None = None,
    brand_words: frozenset[str] = frozenset(),
    own_handles: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The explanation of a spike of negative mentions of ``brand`` in [window_start, window_end).

    ``expected_by_touchpoint``: each touchpoint's expected count for the window, from its own
    series; a touchpoint without one is expected at its usual share of ``expected``.
    ``brand_words`` (``alerts.brand_terms.brand_words``) never appear among the terms; posts by
    ``own_handles`` (``alerts.own_accounts``) are not counted, quoted or mined for terms.
    """
    baseline_start = window_start - timedelta(hours=baseline_hours)
    now_all = _negative_mentions(session, brand, window_start, window_end, own=own_handles)
    now = [m for m in now_all if touchpoint is None or touchpoint in (m.aspects or [])] or now_all
    base = _negative_mentions(
        session, brand, baseline_start, window_start, BASELINE_SAMPLE, newest_first=True, own=own_handles
    )

    terms = _log_odds_terms(
        [m.normalized_text for m in now], [m.normalized_text for m in base], TERMS, brand_words
    )
    now_aspects = Counter(a for m in now_all for a in set(m.aspects or []))
    base_aspects = Counter(a for m in base for a in set(m.aspects or []))
    shares = {a: c / len(base) for a, c in base_aspects.items()} if base else {}
    per_touchpoint = dict(expected_by_touchpoint or {})
    for aspect in now_aspects:
        per_touchpoint.setdefault(aspect, shares.get(aspect, 0.0) * float(expected))
    touchpoints = rank_touchpoints(now_aspects, per_touchpoint, total_now=len(now_all), baseline_share=shares)

    total_now, negative_now = _brand_counts(session, brand, window_start, window_end, own_handles)
    total_base, negative_base = _brand_counts(session, brand, baseline_start, window_start, own_handles)
    buckets = max(1.0, (window_end - window_start).total_seconds() / 60)
    return {
        "window": {"start": window_start.isoformat(), "end": window_end.isoformat()},
        "baseline": {"start": baseline_start.isoformat(), "end": window_start.isoformat()},
        "touchpoint": touchpoint,
        "count": len(now),
        "expected": round(float(expected), 3),
        "ratio": round(len(now) / max(float(expected), 1.0), 2),
        "per_minute": round(len(now) / buckets, 3),
        "terms": [{"term": term, "z": round(float(z), 2)} for term, z in terms],
        "touchpoints": touchpoints[:6],
        "named_touchpoints": named_touchpoints(touchpoints),
        "mentions": [mention_json(m) for m in representative(now, [t for t, _ in terms], representatives)],
        "negative_share": {
            "now": negative_now / total_now if total_now else None,
            "usual": negative_base / total_base if total_base else None,
        },
    }
