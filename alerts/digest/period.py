"""Which days a digest covers: one local day, or a Saturday-to-Friday week (the Persian week)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import jdatetime

from storage.search_dates import DayRange, day_range, parse_day, week_start

PeriodKind = Literal["daily", "weekly"]


@dataclass(frozen=True)
class DigestPeriod:
    kind: PeriodKind
    first: date  # first local day covered
    days: int
    tz: str

    @classmethod
    def for_day(cls, day: str | date, kind: PeriodKind = "daily", tz: str = "Asia/Tehran") -> DigestPeriod:
        """The daily digest of ``day``, or the weekly digest of the week containing ``day``."""
        when = parse_day(day)
        if kind == "weekly":
            return cls("weekly", week_start(when), 7, tz)
        if kind != "daily":
            raise ValueError(f"period must be daily or weekly, not {kind!r}")
        return cls("daily", when, 1, tz)

    @classmethod
    def last_complete(cls, now: datetime, kind: PeriodKind, tz: str = "Asia/Tehran") -> DigestPeriod:
        """Yesterday's digest, or last week's, as seen at ``now`` (what the scheduler sends)."""
        today = now.astimezone(ZoneInfo(tz)).date()
        if kind == "weekly":
            return cls("weekly", week_start(today) - timedelta(days=7), 7, tz)
        return cls("daily", today - timedelta(days=1), 1, tz)

    @property
    def last(self) -> date:
        return self.first + timedelta(days=self.days - 1)

    @property
    def range(self) -> DayRange:
        return day_range(self.first, self.days, self.tz)

    @property
    def previous(self) -> DigestPeriod:
        return DigestPeriod(self.kind, self.first - timedelta(days=self.days), self.days, self.tz)

    @property
    def trend_days(self) -> int:
        """How many days the trend charts show, ending with this period."""
        return 14 if self.kind == "daily" else 28

    def slug(self) -> str:
        """File-name part, e.g. ``daily-1403-09-01``."""
        return f"{self.kind}-{jdatetime.date.fromgregorian(date=self.first).strftime('%Y-%m-%d')}"
