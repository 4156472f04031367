"""SLA clocks count working time in the Iranian week: Thursday half-day, Friday and Jalali holidays off."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from alerts.sla import FRIDAY, THURSDAY, WorkingWeek, deadline, working_minutes

TEHRAN = ZoneInfo("Asia/Tehran")


def at(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=TEHRAN)


@pytest.mark.parametrize(
    ("start", "minutes", "due"),
    [
        (at("2026-12-01", "10:00"), 15, at("2026-12-01", "10:15")),  # Tuesday, inside hours
        (at("2026-12-01", "06:30"), 15, at("2026-12-01", "08:15")),  # before opening
        (at("2026-12-02", "16:55"), 15, at("2026-12-03", "08:10")),  # Wednesday evening → Thursday
        (at("2026-12-03", "12:50"), 15, at("2026-12-05", "08:05")),  # Thursday half-day, Friday off
        (at("2026-12-04", "11:00"), 10, at("2026-12-05", "08:10")),  # written on a Friday
    ],
)
def test_deadline_in_working_time(start: datetime, minutes: int, due: datetime) -> None:
    assert deadline(start, minutes, WorkingWeek()) == due


def test_jalali_holidays_and_a_configurable_friday() -> None:
    nowruz = WorkingWeek(holidays=frozenset({"01-01", "01-02", "1405-01-03"}))
    # Friday 1404-12-29 evening; 1 and 2 Farvardin (every year) and 3 Farvardin 1405 are holidays
    assert deadline(at("2026-03-20", "20:00"), 15, nowruz) == at("2026-03-24", "08:15")
    open_friday = WorkingWeek(hours={**WorkingWeek().hours, FRIDAY: (time(10), time(14))})
    assert deadline(at("2026-12-03", "12:50"), 15, open_friday) == at("2026-12-04", "10:05")
    closed_thursday = WorkingWeek(hours={**WorkingWeek().hours, THURSDAY: None})
    assert deadline(at("2026-12-02", "16:55"), 15, closed_thursday) == at("2026-12-05", "08:10")


def test_working_minutes_between_two_times() -> None:
    week = WorkingWeek()
    assert working_minutes(at("2026-12-03", "12:00"), at("2026-12-05", "09:00"), week) == 120
    assert working_minutes(at("2026-12-04", "09:00"), at("2026-12-04", "12:00"), week) == 0
    assert working_minutes(at("2026-12-05", "09:00"), at("2026-12-05", "08:00"), week) == 0


def test_a_week_without_working_time_is_refused() -> None:
    with pytest.raises(ValueError, match="no working time"):
        deadline(at("2026-12-01", "10:00"), 15, WorkingWeek(hours={}))
