"""The explore page's volume over time: one stacked column (negative, neutral, positive) per local
hour, day or Saturday-to-Friday week in the page's time zone (Asia/Tehran), each a link that
narrows the query to its span (``date:`` takes local ISO timestamps for an hour).

Weeks are ``storage.aggregates.volume_by_week`` (summed from the day counts), so a week's total is
the sum of its days' and the three toggles always agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta

import jdatetime
from sqlalchemy.orm import Session

from shenava.web.explore_charts import Bar
from shenava.web.formatting import Formatter
from storage.aggregates import VolumePoint, volume_by, volume_by_week
from storage.limits import QueryTooLarge
from storage.query import MentionQuery
from storage.search_dates import jalali_label

BUCKETS = ("hour", "day", "week")
#: more columns than this cannot be read (or clicked) in the chart's width: the page asks to narrow
MAX_COLUMNS = 400
_SENTIMENTS = ("negative", "neutral", "positive")


def volume_bars(
    session: Session, query: MentionQuery, bucket: str, fmt: Formatter, link_for: Callable[[str], str]
) -> list[Bar]:
    """Columns oldest first; ``link_for(span)`` is the drill-down for a ``date:`` value.

    ``QueryTooLarge`` past ``storage.limits.MAX_BUCKETS`` buckets or ``MAX_COLUMNS`` hour columns.
    """
    if bucket == "hour":
        points = volume_by(session, query, "hour", fill=False)
        if len(points) > MAX_COLUMNS:
            raise QueryTooLarge(f"{len(points):,} hours hold mentions; at most {MAX_COLUMNS} columns")
        return [_hour_bar(p, fmt, link_for) for p in points]
    if bucket == "day":
        fa = fmt.language == "fa"
        days = volume_by(session, query, "day", fill=False)
        return [_bar(jalali_label(p.day, persian_digits=fa), _counts(p), link_for(str(p.day))) for p in days]
    return [_week_bar(p, fmt, link_for) for p in volume_by_week(session, query, fill=False)]


def _week_bar(point: VolumePoint, fmt: Formatter, link_for: Callable[[str], str]) -> Bar:
    first = point.day  # the week's Saturday
    span = f"{first.isoformat()}..{(first + timedelta(days=6)).isoformat()}"
    return _bar(_week_label(first, fmt), _counts(point), link_for(span))


def _hour_bar(point: VolumePoint, fmt: Formatter, link_for: Callable[[str], str]) -> Bar:
    start = point.start.replace(tzinfo=None)  # local wall time: ``date:`` reads naive times as local
    end = start + timedelta(hours=1)
    span = f"{start:%Y-%m-%dT%H:%M}..{end:%Y-%m-%dT%H:%M}"
    return _bar(_hour_label(point.start, fmt), _counts(point), link_for(span))


def _counts(point: VolumePoint) -> Counter[str]:
    return Counter({s: getattr(point, s) for s in _SENTIMENTS})


def _bar(label: str, counts: Counter[str], href: str) -> Bar:
    return Bar(label, sum(counts.values()), href, tuple((s, counts[s]) for s in _SENTIMENTS))


def _hour_label(start: datetime, fmt: Formatter) -> str:
    j = jdatetime.date.fromgregorian(date=start.date())
    return fmt.digits(f"{j.month}/{j.day} {start.hour:02d}:00")


def _week_label(first: date, fmt: Formatter) -> str:
    """The week's Saturday, ``1403/09/03…``: a week is read by where it starts."""
    return jalali_label(first, persian_digits=fmt.language == "fa") + "…"
