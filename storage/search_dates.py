"""Day arithmetic for people: Jalali or ISO dates, Asia/Tehran days, Saturday-first weeks.

Analysts type ``1403-09-01`` (Jalali) or ``2024-11-21`` (ISO), sometimes in Persian digits or with
slashes. A *day* is a local calendar day in the configured time zone; ranges are half-open
``[start, end)`` instants in UTC so both databases compare plain timestamps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jdatetime

DEFAULT_TZ = "Asia/Tehran"
#: years below this are read as Jalali (1403 is Jalali; 2024 is Gregorian)
_JALALI_YEAR_LIMIT = 1700
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_DATE_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_CLOCK_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


class DateParseError(ValueError):
    """A date the user typed is neither a Jalali nor an ISO date."""


@dataclass(frozen=True)
class DayRange:
    """Half-open UTC interval covering whole local days."""

    start: datetime
    end: datetime


def parse_day(text: str | date) -> date:
    """The Gregorian date of ``1403-09-01`` / ``۱۴۰۳/۰۹/۰۱`` (Jalali) or ``2024-11-21`` (ISO)."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    cleaned = str(text).strip().translate(_DIGITS)
    match = _DATE_RE.match(cleaned)
    if not match:
        raise DateParseError(f"{text!r} is not a date: use Jalali 1403-09-01 or ISO 2024-11-21")
    year, month, day = (int(g) for g in match.groups())
    try:
        if year < _JALALI_YEAR_LIMIT:
            return jdatetime.date(year, month, day).togregorian()
        return date(year, month, day)
    except ValueError as exc:
        raise DateParseError(f"{text!r} is not a valid date: {exc}") from None


def parse_instant(text: str | datetime | date, tz: str = DEFAULT_TZ, *, end_of_day: bool = False) -> datetime:
    """An aware UTC instant from a date (local midnight; the next midnight with ``end_of_day``)
    or a timestamp: ISO, or a Jalali day with a clock time (``1405/07/17T18:30``); naive is local."""
    zone = ZoneInfo(tz)
    if isinstance(text, datetime):
        moment = text if text.tzinfo else text.replace(tzinfo=zone)
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise DateParseError(f"{text.isoformat()!r} is out of range once in UTC") from None
    if isinstance(text, str) and ("T" in text or " " in text.strip()):
        cleaned = text.strip().translate(_DIGITS)
        stamp: datetime | None
        try:
            stamp = datetime.fromisoformat(cleaned)
        except ValueError:
            stamp = None
        # 1403-09-01T18:00 is a Jalali day, not 1403 AD; a timestamp with a UTC offset is ISO (software)
        if stamp is None or (stamp.year < _JALALI_YEAR_LIMIT and stamp.tzinfo is None):
            stamp = _jalali_moment(cleaned, text)
        return parse_instant(stamp, tz)
    day = parse_day(text)
    try:
        if end_of_day:
            day += timedelta(days=1)
        return datetime.combine(day, time(0), zone).astimezone(UTC)
    except OverflowError:  # 9999-12-31 (its end) or 0001-01-01 (east of UTC) leave datetime's range
        raise DateParseError(f"{text!r} is out of the range of dates the archive can compare") from None


def _jalali_moment(cleaned: str, text: str) -> datetime:
    """``1405/07/17T18:30`` (or with a space): a Jalali day and a clock time, local (naive)."""
    day_part, _, clock = cleaned.replace(" ", "T", 1).partition("T")
    match = _CLOCK_RE.match(clock)
    if not match or not _DATE_RE.match(day_part):
        raise DateParseError(
            f"{text!r} is not a timestamp: use 1405-07-17T18:30 (Jalali) or 2026-10-08T18:30 (ISO)"
        )
    day = parse_day(day_part)
    try:
        return datetime.combine(day, time(int(match[1]), int(match[2]), int(match[3] or 0)))
    except ValueError as exc:
        raise DateParseError(f"{text!r} is not a valid time: {exc}") from None


def day_range(day: date, days: int = 1, tz: str = DEFAULT_TZ) -> DayRange:
    """``days`` local days starting at ``day``, as UTC instants (DST-safe: each end is a local midnight)."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(0), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=days), time(0), zone).astimezone(UTC)
    return DayRange(start, end)


def week_start(day: date) -> date:
    """The Saturday that starts the Persian week containing ``day``."""
    # Monday=0 … Saturday=5, Sunday=6
    return day - timedelta(days=(day.weekday() - 5) % 7)


def local_day(moment: datetime, tz: str = DEFAULT_TZ) -> date:
    """The local calendar day of an instant (naive instants are taken as UTC, as stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(tz)).date()


def jalali_label(day: date, *, persian_digits: bool = True) -> str:
    """``1403/09/01`` style label (Persian digits by default) for a Gregorian date."""
    text = jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")
    return to_persian_digits(text) if persian_digits else text


def to_persian_digits(text: str) -> str:
    return str(text).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
