"""Routing rules and quiet hours, alone and through the engine's outbox."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alerts.engine import AlertEngine
from alerts.routing import Router, quiet_until
from alerts.settings import NotificationsSettings, QuietHours
from storage.models import Delivery
from storage.repository import MentionStore
from tests.alerts.builders import mention
from tests.alerts.conftest import make_settings

CHANNELS = [
    {"type": "console", "name": "console"},
    {"type": "file", "name": "oncall", "path": "x.jsonl"},
    {"type": "file", "name": "marketing", "path": "y.jsonl"},
]
NIGHT = QuietHours(start=time(23, 0), end=time(7, 0))


def _at_tehran(hh: int, mm: int = 0, day: int = 3) -> datetime:
    return datetime(2026, 3, day, hh, mm, tzinfo=UTC) - timedelta(hours=3, minutes=30)


def test_routes_by_brand_severity_and_event() -> None:
    settings = NotificationsSettings.model_validate(
        {
            "channels": CHANNELS,
            "routes": [
                {"channels": ["oncall"], "brands": ["sabzino"], "min_severity": "high"},
                {"channels": ["marketing"], "events": ["incident_opened", "incident_resolved"]},
                {"channels": ["console"]},
            ],
        }
    )
    router = Router(settings, ["console", "oncall", "marketing"])
    assert router.channels_for("incident_opened", "sabzino", "critical") == ["oncall", "marketing", "console"]
    assert router.channels_for("incident_opened", "sabzino", "medium") == ["marketing", "console"]
    assert router.channels_for("urgent_mention", "nobank", "critical") == ["console"]
    assert Router(NotificationsSettings.model_validate({"channels": CHANNELS}), ["a", "b"]).channels_for(
        "urgent_mention", "x", "low"
    ) == ["a", "b"]


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"channels": [{"type": "webhook", "name": "w", "url": "ftp://x"}]}, "expected an http"),
        ({"channels": [{"type": "console", "name": "bad name!"}]}, "channel names use"),
        (
            {"channels": CHANNELS, "routes": [{"channels": ["console"], "events": ["spike"]}]},
            "unknown event kinds",
        ),
        ({"quiet_hours": {"start": "23:00", "end": "07:00", "timezone": "Mars/Base"}}, "unknown time zone"),
        (
            {"channels": [{"type": "email", "name": "m", "sender": "a@b", "recipients": []}]},
            "at least 1 item",
        ),
        ({"channels": [{"type": "pager", "name": "p"}]}, "does not match any of the expected tags"),
    ],
)
def test_malformed_notification_settings_are_refused(section: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationError, match=message):
        NotificationsSettings.model_validate(section)


def test_routes_must_name_known_channels() -> None:
    with pytest.raises(ValidationError, match="unknown channels: pager"):
        NotificationsSettings.model_validate({"channels": CHANNELS, "routes": [{"channels": ["pager"]}]})
    with pytest.raises(ValidationError, match="duplicate channel names: console"):
        NotificationsSettings.model_validate(
            {"channels": [*CHANNELS, {"type": "console", "name": "console"}]}
        )


@pytest.mark.parametrize(
    ("local", "expected_end"),
    [
        ((1, 0, 3), (7, 0, 3)),  # after midnight: wait until 07:00 the same day
        ((23, 30, 3), (7, 0, 4)),  # before midnight: until 07:00 tomorrow
        ((22, 59, 3), None),
        ((7, 0, 3), None),
    ],
)
def test_quiet_hours_cross_midnight_in_tehran(
    local: tuple[int, int, int], expected_end: tuple | None
) -> None:  # type: ignore[type-arg]
    now = _at_tehran(*local)
    end = quiet_until(NIGHT, "oncall", "incident_opened", "high", now)
    assert end == (None if expected_end is None else _at_tehran(*expected_end))


def test_quiet_hours_bypass_and_channel_scope() -> None:
    now = _at_tehran(2)
    assert quiet_until(NIGHT, "oncall", "incident_opened", "critical", now) is None
    assert quiet_until(NIGHT, "oncall", "urgent_mention", "high", now) is None
    strict = NIGHT.model_copy(update={"bypass_urgent": False, "channels": ["marketing"]})
    assert quiet_until(strict, "oncall", "urgent_mention", "high", now) is None
    assert quiet_until(strict, "marketing", "urgent_mention", "high", now) == _at_tehran(7)


def test_engine_defers_deliveries_in_quiet_hours(sqlite_engine: Engine, tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path,
        notifications={
            "channels": [{"type": "file", "name": "file", "path": str(tmp_path / "a.jsonl")}],
            "quiet_hours": {"start": "23:00", "end": "07:00", "bypass_urgent": False},
        },
    )
    night = _at_tehran(2)
    alerts = AlertEngine(settings, sqlite_engine, clock=lambda: night)
    ids = MentionStore(sqlite_engine).save_batch([mention(1, night, "کلاهبرداری سبزینو")], None).inserted_ids
    assert len(alerts.on_stored(ids)) == 1
    with Session(sqlite_engine) as session:
        (row,) = session.scalars(select(Delivery)).all()
        assert row.next_attempt_at == _at_tehran(7)
    assert alerts.dispatch(night + timedelta(hours=1)).sent == 0
    assert alerts.dispatch(_at_tehran(7, 1)).sent == 1
    assert (tmp_path / "a.jsonl").read_text(encoding="utf-8").count("\n") == 1
