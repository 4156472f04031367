"""Which channels get an event, and when (quiet hours)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from alerts.events import URGENT_MENTION
from alerts.settings import NotificationsSettings, QuietHours
from alerts.severity import severity_rank


class Router:
    """Routing rules per brand, severity and event kind; no rules: every enabled channel."""

    def __init__(self, settings: NotificationsSettings, channel_names: list[str]) -> None:
        self.settings = settings
        self.channel_names = list(channel_names)

    def channels_for(self, kind: str, brand: str, severity: str) -> list[str]:
        if not self.settings.routes:
            return list(self.channel_names)
        chosen: list[str] = []
        for rule in self.settings.routes:
            if rule.brands and brand not in rule.brands:
                continue
            if rule.events and kind not in rule.events:
                continue
            if severity_rank(severity) < severity_rank(rule.min_severity):
                continue
            chosen.extend(c for c in rule.channels if c in self.channel_names and c not in chosen)
        return chosen


def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz)


def quiet_until(
    quiet: QuietHours | None, channel: str, kind: str, severity: str, now: datetime
) -> datetime | None:
    """The end of the quiet period ``now`` falls in (aware UTC-comparable), or None to send now."""
    if quiet is None or (quiet.channels and channel not in quiet.channels):
        return None
    if kind == URGENT_MENTION and quiet.bypass_urgent:
        return None
    if kind != URGENT_MENTION and severity in quiet.bypass_severities:
        return None
    if quiet.start == quiet.end:
        return None
    tz = ZoneInfo(quiet.timezone)
    local = _local(now, tz)
    clock = local.time().replace(tzinfo=None)
    start, end = quiet.start, quiet.end
    crosses_midnight = start > end
    inside = (start <= clock or clock < end) if crosses_midnight else (start <= clock < end)
    if not inside:
        return None
    end_day = local.date()
    if crosses_midnight and clock >= start:
        end_day = end_day + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=tz)
