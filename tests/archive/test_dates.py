"""Jalali/ISO day parsing and Asia/Tehran day arithmetic (pure functions, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from storage.search_dates import DateParseError, day_range, jalali_label, parse_day, parse_instant, week_start


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1403-09-01", date(2024, 11, 21)),
        ("۱۴۰۳/۰۹/۰۱", date(2024, 11, 21)),
        ("1403.9.1", date(2024, 11, 21)),
        ("2024-11-21", date(2024, 11, 21)),
        ("1403-12-30", date(2025, 3, 20)),  # 1403 is a Jalali leap year
    ],
)
def test_parse_day(text: str, expected: date) -> None:
    assert parse_day(text) == expected


@pytest.mark.parametrize("text", ["1402-12-30", "2024-02-30", "21/11/2024", "", "1403-09-01; DROP TABLE"])
def test_bad_days(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_day(text)


def test_instants_are_tehran_days_in_utc() -> None:
    assert parse_instant("1403-09-01") == datetime(2024, 11, 20, 20, 30, tzinfo=UTC)
    assert parse_instant("1403-09-01", end_of_day=True) == datetime(2024, 11, 21, 20, 30, tzinfo=UTC)
    assert parse_instant("2024-11-21T10:00:00") == datetime(2024, 11, 21, 6, 30, tzinfo=UTC)  # naive = local
    assert parse_instant("2024-11-21T10:00:00+00:00") == datetime(2024, 11, 21, 10, 0, tzinfo=UTC)


def test_a_jalali_day_with_a_clock_time_is_a_tehran_instant() -> None:
    """«Thursday evening» in the analyst's own calendar: 1403/09/01 is Thursday 2024-11-21."""
    assert parse_instant("1403/09/01T18:00") == datetime(2024, 11, 21, 14, 30, tzinfo=UTC)
    assert parse_instant("۱۴۰۳-۰۹-۰۱T۱۸:۰۰:۳۰") == datetime(2024, 11, 21, 14, 30, 30, tzinfo=UTC)
    assert parse_instant("1403/09/01 23:59") == datetime(2024, 11, 21, 20, 29, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1403/09/01T25:00", "hour must be"),
        ("1403/13/01T10:00", "month must be"),
        ("1403/09/01Tevening", "use "),
    ],
)
def test_bad_jalali_timestamps_say_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(DateParseError, match=says):
        parse_instant(text)


def test_days_when_tehran_still_had_summer_time() -> None:
    spring = day_range(date(2021, 3, 22))  # clocks went forward at midnight: a 23-hour day
    assert (spring.end - spring.start).total_seconds() == 23 * 3600
    assert (
        day_range(date(2024, 3, 22)).end - day_range(date(2024, 3, 22)).start
    ).total_seconds() == 24 * 3600


def test_weeks_start_on_saturday_and_labels_are_persian() -> None:
    assert week_start(date(2024, 11, 21)) == date(2024, 11, 16)
    assert week_start(date(2024, 11, 16)) == date(2024, 11, 16)
    assert week_start(date(2024, 11, 15)) == date(2024, 11, 9)
    assert jalali_label(date(2024, 11, 21)) == "۱۴۰۳/۰۹/۰۱"
