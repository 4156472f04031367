"""The ``sla`` section: defaults, per-brand overrides and the working week, and the messages a
person gets for a bad value (file, line, key path and what to write instead)."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from alerts.sla import FRIDAY, SATURDAY, THURSDAY
from config.loader import ConfigError, load_settings
from config.settings import Settings

BRANDS = "brands:\n  - name: sabzino\n  - name: nobank\n"
CHANNELS = (
    "notifications:\n  channels:\n    - {type: file, name: file, path: var/a.jsonl}\n"
    "    - {type: console, name: leads, enabled: false}\n"
)


def _load(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "shenava.yaml"
    path.write_text(BRANDS + CHANNELS + text, encoding="utf-8")
    return load_settings(path)


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as excinfo:
        _load(tmp_path, text)
    message = str(excinfo.value)
    assert str(tmp_path / "shenava.yaml") in message
    return message


def test_defaults_are_the_iranian_week_and_the_issue_targets(tmp_path: Path) -> None:
    sla = _load(tmp_path, "").sla
    targets = sla.targets("sabzino")
    assert (targets.first_response_minutes, targets.acknowledge_minutes, targets.escalate_to) == (15, 10, [])
    week = sla.working_week.week("Asia/Tehran")
    assert week.hours[SATURDAY] == (time(8), time(17)) and week.hours[THURSDAY] == (time(8), time(13))
    assert week.hours[FRIDAY] is None and week.tz == "Asia/Tehran"


def test_a_brand_overrides_field_by_field(tmp_path: Path) -> None:
    sla = _load(
        tmp_path,
        "sla:\n  brands:\n    nobank: {acknowledge_minutes: 30, escalate_to: [file]}\n"
        "  working_week: {friday: '10:00-12:00', thursday: null, holidays: ['01-01', '1405-01-13'],"
        " timezone: Asia/Tehran}\n",
    ).sla
    nobank, sabzino = sla.targets("nobank"), sla.targets("sabzino")
    assert (nobank.first_response_minutes, nobank.acknowledge_minutes, nobank.escalate_to) == (
        15,
        30,
        ["file"],
    )
    assert (sabzino.acknowledge_minutes, sabzino.escalate_to) == (10, [])
    week = sla.working_week.week("UTC")
    assert week.hours[FRIDAY] == (time(10), time(12)) and week.hours[THURSDAY] is None
    assert week.holidays == frozenset({"01-01", "1405-01-13"}) and week.tz == "Asia/Tehran"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "sla:\n  brands:\n    sabzno: {}\n",
            "sla.brands names unknown brands: sabzno (configured: nobank, sabzino)",
        ),
        (
            "sla:\n  brands:\n    sabzino: {escalate_to: [leads]}\n",
            "sla.brands.sabzino.escalate_to names channels not configured or not enabled: leads",
        ),
        ("sla:\n  defaults: {escalate_to: [nowhere]}\n", "sla.defaults.escalate_to names channels"),
        (
            "sla:\n  working_week: {thursday: '8-13'}\n",
            "working hours must be 'HH:MM-HH:MM' (e.g. 08:00-17:00)",
        ),
        ("sla:\n  working_week: {monday: '17:00-08:00'}\n", "must come after their start"),
        (
            "sla:\n  working_week: {holidays: ['12-31']}\n",
            "holiday '12-31' is not a date of the Jalali calendar",
        ),
        ("sla:\n  working_week: {holidays: ['Nowruz']}\n", "use YYYY-MM-DD (1405-01-01) or MM-DD"),
        ("sla:\n  working_week: {timezone: Tehran}\n", "unknown time zone 'Tehran'"),
        (
            "sla:\n  working_week: {saturday: null, sunday: null, monday: null, tuesday: null,"
            " wednesday: null, thursday: null}\n",
            "the working week has no working day",
        ),
        ("sla:\n  defaults: {acknowledge_minutes: 0}\n", "sla.defaults.acknowledge_minutes"),
        ("sla:\n  brands:\n    sabzino: {first_response_minutes: 999999}\n", "less than or equal to 43200"),
        ("sla:\n  working_week: {fridays: null}\n", "sla.working_week.fridays"),
    ],
)
def test_bad_values_get_a_clear_message(tmp_path: Path, text: str, expected: str) -> None:
    message = _error(tmp_path, text)
    assert expected in message, message
    assert "Traceback" not in message
