"""Which local days a brand dashboard covers: the last 7, 30 or 90 days up to today, or Jalali (or
ISO) ``from``/``to`` days, inclusive, in the configured time zone. A bad value is a ``PeriodError``
whose message key and values the page shows in its language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from alerts.digest.period import DigestPeriod
from storage.search_dates import DateParseError, parse_day

PRESETS = (7, 30, 90)
MAX_DAYS = 366
#: up to this many days the trends are per day, beyond per Persian week
DAILY_UP_TO = 31


class PeriodError(ValueError):
    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    tz: str
    preset: int | None = field(default=None, compare=False)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def dates(self) -> str:
        """The period as a query's ``date:`` value."""
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    @property
    def digest(self) -> DigestPeriod:
        """The same days as a digest period (its ``previous`` is the same length just before)."""
        return DigestPeriod("weekly" if self.days > 1 else "daily", self.first, self.days, self.tz)

    @property
    def bucket(self) -> str:
        return "day" if self.days <= DAILY_UP_TO else "week"


def read_period(preset: int | None, start: str, end: str, tz: str, now: datetime) -> Period:
    """``start``/``end`` (either may be empty) if given, else the preset (default 7 days)."""
    today = now.astimezone(ZoneInfo(tz)).date()
    if not (start.strip() or end.strip()):
        days = preset if preset in PRESETS else PRESETS[0]
        return Period(today - timedelta(days=days - 1), today, tz, preset=days)
    last = _day(end) if end.strip() else today
    first = _day(start) if start.strip() else last - timedelta(days=PRESETS[0] - 1)
    if last < first:
        raise PeriodError("dash.bad_order")
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError("dash.too_long", n=MAX_DAYS)
    return Period(first, last, tz)


def _day(text: str) -> date:
    try:
        return parse_day(text.strip()[:40])
    except (DateParseError, ValueError, OverflowError):
        raise PeriodError("dash.bad_date", value=text.strip()[:40]) from None
