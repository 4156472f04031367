"""What the explore page shows for one query: results (words marked), and the charts beside them,
each bar a link that adds its filter to the query. Every count comes from the same
``MentionQuery`` (storage.search, storage.aggregates, storage.facets), so the page, the API and the
CLI agree; a mistake in the query comes back as a positioned message in the page's language."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy.orm import Session

from shenava.web.explore_charts import Bar, columns, hbars
from shenava.web.formatting import Formatter
from shenava.web.highlight import highlighted
from storage.aggregates import sentiment_share, touchpoint_counts, volume_by
from storage.boolean_query import QueryError, plan_query
from storage.facets import facet_counts, top_authors
from storage.query import MentionHit, MentionQuery, SearchError
from storage.query_normalizer import query_normalizer
from storage.search import iter_mentions, search_mentions
from storage.search_dates import jalali_label
from storage.search_fts import tokens

PAGE_SIZE = 30
_PLAIN_VALUE = re.compile(r"[^\s()\"]+")
#: words too common to be a "top term" (the query's own words are left out too)
_STOP = frozenset(
    "از به با در که این آن را و یا برای هم تا من ما شما او می نمی هست بود شد کرد های ها".split()  # noqa: SIM905
)


def with_filter(q: str, name: str, value: str) -> str:
    """``q`` AND a field filter (quoted when the value has spaces or syntax)."""
    value = value.replace('"', "")
    text = value if _PLAIN_VALUE.fullmatch(value) else f'"{value}"'
    return narrowed(q, f"{name}:{text}")


def narrowed(q: str, extra: str) -> str:
    """``q`` AND ``extra``; a query with an OR is parenthesised first (AND binds tighter)."""
    q = q.strip()
    if not q:
        return extra
    return f"({q}) {extra}" if re.search(r"(^|[\s()])OR([\s()]|$)", q) else f"{q} {extra}"


def link(q: str) -> str:
    return "/explore?" + urlencode({"q": q})


@dataclass
class Explore:
    q: str
    error: str | None = None
    error_caret: str | None = None
    total: int = 0
    hits: list[tuple[MentionHit, Markup]] = field(default_factory=list)
    charts: dict[str, Markup] = field(default_factory=dict)


def error_message(exc: SearchError, t: Any, digits: Any = str) -> str:
    """The mistake in the page's language (Persian by default), with its column."""
    code = getattr(exc, "code", "")
    key = f"explore.qerr.{code}"
    try:
        reason = t(key, **getattr(exc, "args_", {}))
    except Exception:  # a code without its own words: the English reason
        reason = getattr(exc, "reason", str(exc))
    column = getattr(exc, "column", None)
    return t("explore.query_error_at", column=digits(column), reason=reason) if column else reason


def build(session: Session, q: str, tz: str, t: Any, fmt: Formatter, label_of: Any) -> Explore:
    page = Explore(q=q)
    try:
        plan = plan_query(q, tz)
        query = MentionQuery(text=q or None, limit=PAGE_SIZE, tz=tz)
        found = search_mentions(session, query)
    except QueryError as exc:
        page.error, page.error_caret = error_message(exc, t, fmt.digits), exc.caret(q)
        return page
    except (SearchError, ValueError) as exc:
        page.error = str(exc)
        return page
    page.total = found.total
    page.hits = [(hit, highlighted(hit.text, plan.highlight)) for hit in found.items]
    digits = fmt.number
    try:
        asked = {w for term in plan.highlight for w in term.clause.tokens}
        page.charts = _charts(session, query, q, t, fmt, digits, asked, label_of)
    except SearchError as exc:  # too many buckets: narrow the dates
        page.error = str(exc)
    return page


def _charts(session: Session, query: MentionQuery, q: str, t: Any, fmt: Formatter, digits: Any,
            asked: set[str], label_of: Any) -> dict[str, Markup]:  # fmt: skip
    charts: dict[str, Markup] = {}
    days = volume_by(session, query, "day", fill=False)
    bars = []
    for point in days:
        day = point.start.date()
        bars.append(
            Bar(jalali_label(day, persian_digits=fmt.language == "fa"), point.total,
                link(with_filter(q, "date", day.isoformat())),
                (("negative", point.negative), ("neutral", point.neutral), ("positive", point.positive)))
        )  # fmt: skip
    charts["volume"] = columns(bars, t("explore.chart.volume"), digits)
    share = sentiment_share(session, query)
    charts["sentiment"] = hbars(
        [Bar(t(f"sentiment.{s}"), getattr(share, s), link(with_filter(q, "sentiment", s)))
         for s in ("negative", "neutral", "positive")],
        t("explore.chart.sentiment"), digits,
    )  # fmt: skip
    charts["touchpoints"] = hbars(
        [Bar(label_of("touchpoint", a), n,
             link(with_filter(q, "touchpoint", a))) for a, n in touchpoint_counts(session, query)[:10]],
        t("explore.chart.touchpoints"), digits,
    )  # fmt: skip
    for name in ("source", "lang"):
        charts[name] = hbars(
            [Bar(v, n, link(with_filter(q, name, v))) for v, n in facet_counts(session, query, name)],
            t(f"explore.chart.{name}"), digits,
        )  # fmt: skip
    for by in ("volume", "reach"):
        rows = top_authors(session, query, by)
        charts[f"authors_{by}"] = hbars(
            [Bar("@" + h, n if by == "volume" else f, link(with_filter(q, "author", h))) for h, n, f in rows],
            t(f"explore.chart.authors_{by}"), digits,
        )  # fmt: skip
    terms: Counter[str] = Counter()
    normalize = query_normalizer()
    for hit in iter_mentions(session, query.model_copy(update={"sort": "newest"}), limit=300):
        words = tokens(normalize(hit.text[:2000]))
        terms.update({w for w in words if len(w) > 2 and w not in _STOP and w not in asked})
    charts["terms"] = hbars(
        [Bar(w, n, link(narrowed(q, w))) for w, n in terms.most_common(10)],
        t("explore.chart.terms"), digits,
    )  # fmt: skip
    return charts
