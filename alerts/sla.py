"""SLA clocks in working hours that follow the Iranian week (issue 12 item 6, first part).

Saturday to Wednesday are full days, Thursday a half day, Friday off by default; public holidays are
Jalali dates ("1405-01-01", or "01-01" for every year). Minutes outside working hours do not count:
an urgent mention written at Thursday 13:00 with a 15-minute target is due Saturday 08:15.
All times are aware; the calendar is read in ``tz`` (Asia/Tehran).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jdatetime

# Python weekday(): Monday=0 … Saturday=5, Sunday=6
SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = 5, 6, 0, 1, 2, 3, 4
MAX_DAYS = 400  # a target longer than this many calendar days is a configuration error


@dataclass(frozen=True)
class WorkingWeek:
    """Opening hours per weekday (None: closed) and Jalali public holidays."""

    hours: dict[int, tuple[time, time] | None] = field(
        default_factory=lambda: {
            SATURDAY: (time(8), time(17)),
            SUNDAY: (time(8), time(17)),
            MONDAY: (time(8), time(17)),
            TUESDAY: (time(8), time(17)),
            WEDNESDAY: (time(8), time(17)),
            THURSDAY: (time(8), time(13)),
            FRIDAY: None,
        }
    )
    holidays: frozenset[str] = frozenset()  # "YYYY-MM-DD" or "MM-DD", Jalali
    tz: str = "Asia/Tehran"

    def is_holiday(self, day: date) -> bool:
        j = jdatetime.date.fromgregorian(date=day)
        return f"{j.year:04d}-{j.month:02d}-{j.day:02d}" in self.holidays or (
            f"{j.month:02d}-{j.day:02d}" in self.holidays
        )

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The day's working hours as aware datetimes, or None when it is closed."""
        span = self.hours.get(day.weekday())
        if span is None or self.is_holiday(day):
            return None
        zone = ZoneInfo(self.tz)
        return datetime.combine(day, span[0], zone), datetime.combine(day, span[1], zone)


def deadline(start: datetime, minutes: float, week: WorkingWeek) -> datetime:
    """When ``minutes`` of working time after ``start`` have passed."""
    left = timedelta(minutes=minutes)
    now = start.astimezone(ZoneInfo(week.tz))
    for offset in range(MAX_DAYS):
        day = now.date() + timedelta(days=offset)
        window = week.window(day)
        if window is None:
            continue
        begin, end = max(window[0], now), window[1]
        if begin >= end:
            continue
        if begin + left <= end:
            return begin + left
        left -= end - begin
    raise ValueError(f"no working time within {MAX_DAYS} days: check the working week and holidays")


def working_minutes(start: datetime, end: datetime, week: WorkingWeek) -> float:
    """Working minutes between ``start`` and ``end`` (0 when end is not after start)."""
    if end <= start:
        return 0.0
    zone = ZoneInfo(week.tz)
    a, b = start.astimezone(zone), end.astimezone(zone)
    total = timedelta()
    day = a.date()
    while day <= b.date():
        window = week.window(day)
        if window is not None:
            lo, hi = max(window[0], a), min(window[1], b)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total.total_seconds() / 60
