"""What the explore page shows for one query: results (words marked), and the charts beside them,
each bar a link that adds its filter to the query. Every count comes from the same
``MentionQuery`` (storage.search, storage.aggregates, storage.facets), so the page, the API and the
CLI agree; a mistake in the query comes back as a positioned message in the page's language."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy.orm import Session

from alerts.brand_terms import names_a_brand
from nlp.keyphrases import stopwords
from shenava.web.explore_charts import Bar, columns, hbars, notice
from shenava.web.explore_volume import BUCKETS, volume_bars
from shenava.web.formatting import Formatter
from shenava.web.highlight import highlighted
from storage.aggregates import sentiment_share, touchpoint_counts
from storage.boolean_query import Plan, QueryError, plan_query
from storage.facets import facet_counts, top_authors
from storage.limits import QueryTooLarge
from storage.query import MentionHit, MentionQuery, SearchError
from storage.search import matches_once, newest_texts, search_mentions
from storage.search_fts import tokens

PAGE_SIZE = 30
#: the newest matches the top terms are counted in
TERMS_SAMPLE = 300
_PLAIN_VALUE = re.compile(r"[^\s()\"]+")


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


def link(q: str, bucket: str = "day") -> str:
    """The explore page of ``q`` (the volume chart's bucket kept when it is not the default)."""
    return "/explore?" + urlencode({"q": q, **({"bucket": bucket} if bucket != "day" else {})})


@dataclass
class Explore:
    q: str
    bucket: str = "day"
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


def build(
    session: Session,
    q: str,
    tz: str,
    t: Any,
    fmt: Formatter,
    label_of: Any,
    bucket: str = "day",
    brand_words: frozenset[str] = frozenset(),
) -> Explore:
    page = Explore(q=q, bucket=bucket if bucket in BUCKETS else "day")
    # the results and every chart share one reading of the query's full-text matches (PostgreSQL)
    with ExitStack() as shared:
        try:
            plan = plan_query(q, tz)
            query = MentionQuery(text=q or None, limit=PAGE_SIZE, tz=tz)
            shared.enter_context(matches_once(session, query))
            found = search_mentions(session, query)
        except QueryError as exc:
            page.error, page.error_caret = error_message(exc, t, fmt.digits), exc.caret(q)
            return page
        except (SearchError, ValueError) as exc:
            page.error = str(exc)
            return page
        page.total = found.total
        page.hits = [(hit, highlighted(hit.text, plan.highlight)) for hit in found.items]
        asked = _asked_words(plan)
        ctx = ChartContext(session, query, q, t, fmt, label_of, page.bucket, asked, brand_words)
        try:
            page.charts = {name: draw(ctx) for name, draw in CHARTS.items()}
        except SearchError as exc:  # a cap past which a chart cannot be drawn: narrow the dates
            page.error = str(exc)
    return page


@dataclass(frozen=True)
class ChartContext:
    """What every chart of one query needs: the query, the page's words and the volume bucket."""

    session: Session
    query: MentionQuery
    q: str
    t: Any
    fmt: Formatter
    label_of: Any
    bucket: str = "day"
    asked: frozenset[str] | set[str] = frozenset()
    brand_words: frozenset[str] = frozenset()

    def link(self, name: str, value: str) -> str:
        """The drill-down: this query AND ``name:value``, the bucket kept."""
        return link(with_filter(self.q, name, value), self.bucket)


def _volume(c: ChartContext) -> Markup:
    title = c.t(f"explore.chart.volume_{c.bucket}")
    try:
        bars = volume_bars(c.session, c.query, c.bucket, c.fmt, lambda span: c.link("date", span))
    except QueryTooLarge:  # too many hours: say so in the chart's place, the other charts still draw
        return notice(title, c.t("explore.too_many_buckets"), rtl=c.fmt.rtl)
    return columns(bars, title, c.fmt.number, rtl=c.fmt.rtl)


def _sentiment(c: ChartContext) -> Markup:
    share = sentiment_share(c.session, c.query)
    return hbars(
        [Bar(c.t(f"sentiment.{s}"), getattr(share, s), c.link("sentiment", s))
         for s in ("negative", "neutral", "positive")],
        c.t("explore.chart.sentiment"), c.fmt.number, rtl=c.fmt.rtl,
    )  # fmt: skip


def _touchpoints(c: ChartContext) -> Markup:
    return hbars(
        [Bar(c.label_of("touchpoint", a), n, c.link("touchpoint", a))
         for a, n in touchpoint_counts(c.session, c.query)[:10]],
        c.t("explore.chart.touchpoints"), c.fmt.number, rtl=c.fmt.rtl,
    )  # fmt: skip


def _facet(name: str) -> Callable[[ChartContext], Markup]:
    def draw(c: ChartContext) -> Markup:
        return hbars(
            [Bar(c.label_of(name, v), n, c.link(name, v)) for v, n in facet_counts(c.session, c.query, name)],
            c.t(f"explore.chart.{name}"), c.fmt.number, rtl=c.fmt.rtl,
        )  # fmt: skip

    return draw


def _authors(by: Literal["volume", "reach"]) -> Callable[[ChartContext], Markup]:
    def draw(c: ChartContext) -> Markup:
        rows = top_authors(c.session, c.query, by)
        return hbars(
            [Bar("@" + h, n if by == "volume" else f, c.link("author", h)) for h, n, f in rows],
            c.t(f"explore.chart.authors_{by}"), c.fmt.number, rtl=c.fmt.rtl,
        )  # fmt: skip

    return draw


def _terms(c: ChartContext) -> Markup:
    terms: Counter[str] = Counter()
    # function words (hazm's list and colloquial ones) and the brands' own names say nothing about
    # what people wrote: a search for a brand would list its name first
    stop = stopwords()
    # the stored normalised text is the text as the normaliser left it: no normalising here again
    for text in newest_texts(c.session, c.query, TERMS_SAMPLE):
        words = tokens(text[:2000])
        terms.update({w for w in words if len(w) > 2 and w not in stop and w not in c.asked})
    top = [(w, n) for w, n in terms.most_common(40) if not names_a_brand(w, c.brand_words)][:10]
    return hbars(
        [Bar(w, n, link(narrowed(c.q, w), c.bucket)) for w, n in top],
        c.t("explore.chart.terms"), c.fmt.number, rtl=c.fmt.rtl,
    )  # fmt: skip


#: the page's charts in the order shown; a download draws one of them by name
CHARTS: dict[str, Callable[[ChartContext], Markup]] = {
    "volume": _volume,
    "sentiment": _sentiment,
    "touchpoints": _touchpoints,
    "terms": _terms,
    "authors_volume": _authors("volume"),
    "authors_reach": _authors("reach"),
    "source": _facet("source"),
    "lang": _facet("lang"),
}


def _asked_words(plan: Plan) -> set[str]:
    """The index tokens the query asked for, in every spelling: the terms chart leaves them out."""
    return {w for term in plan.highlight for c in term.clauses for w in c.tokens}


def one_chart(
    session: Session,
    q: str,
    name: str,
    bucket: str,
    t: Any,
    fmt: Formatter,
    label_of: Any,
    brand_words: frozenset[str] = frozenset(),
) -> Markup:
    """Chart ``name`` of query ``q`` alone (for a download); QueryError/SearchError as the page."""
    plan = plan_query(q, fmt.tz)
    query = MentionQuery(text=q or None, limit=PAGE_SIZE, tz=fmt.tz)
    asked = _asked_words(plan)
    bucket = bucket if bucket in BUCKETS else "day"
    ctx = ChartContext(session, query, q, t, fmt, label_of, bucket, asked, brand_words)
    return CHARTS[name](ctx)
