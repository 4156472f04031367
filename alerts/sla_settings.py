"""The ``sla`` section: per-brand response targets, the working week they are counted in, and where
a breach is escalated (issue 12 item 6).

Targets are working minutes (``alerts.sla``): an urgent mention must get its first response (a reply
sent from the inbox, or a brand handle's reply found by the listeners) and an incident must be
acknowledged within them. A brand's own entry overrides the defaults field by field. The hours of a
day are ``"HH:MM-HH:MM"`` or null (closed); holidays are Jalali dates, ``"1405-01-01"`` once or
``"01-01"`` every year.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Any

import jdatetime
from pydantic import Field, field_validator, model_validator

from alerts.sla import FRIDAY, MONDAY, SATURDAY, SUNDAY, THURSDAY, TUESDAY, WEDNESDAY, WorkingWeek
from domain.settings_base import StrictModel, known_timezone

_SPAN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
_HOLIDAY = re.compile(r"^(?:(\d{4})-)?(\d{2})-(\d{2})$")
MAX_TARGET_MINUTES = 60 * 24 * 30  # a month of working minutes: more is a typo


def _span(value: str | None, day: str) -> str | None:
    if value is None:
        return None
    found = _SPAN.match(value.strip())
    if not found:
        raise ValueError(f"{day}: working hours must be 'HH:MM-HH:MM' (e.g. 08:00-17:00) or null")
    start = int(found[1]) * 60 + int(found[2])
    end = int(found[3]) * 60 + int(found[4])
    if end > 24 * 60 or end <= start:
        raise ValueError(f"{day}: the end of the working hours must come after their start ({value!r})")
    return value.strip()


def _clock(text: str) -> time:
    hours, minutes = (int(x) for x in text.split(":"))
    return time(23, 59, 59, 999999) if hours == 24 else time(hours, minutes)


class WorkingWeekSettings(StrictModel):
    """The Iranian week by default: Saturday to Wednesday full days, Thursday half, Friday off."""

    saturday: str | None = Field(
        default="08:00-17:00", description="Working hours (HH:MM-HH:MM); null: closed."
    )
    sunday: str | None = Field(
        default="08:00-17:00", description="Working hours (HH:MM-HH:MM); null: closed."
    )
    monday: str | None = Field(
        default="08:00-17:00", description="Working hours (HH:MM-HH:MM); null: closed."
    )
    tuesday: str | None = Field(
        default="08:00-17:00", description="Working hours (HH:MM-HH:MM); null: closed."
    )
    wednesday: str | None = Field(
        default="08:00-17:00", description="Working hours (HH:MM-HH:MM); null: closed."
    )
    thursday: str | None = Field(
        default="08:00-13:00", description="Working hours (HH:MM-HH:MM); null: closed. A half day by default."
    )
    friday: str | None = Field(
        default=None, description="Working hours (HH:MM-HH:MM); null (default): closed."
    )
    holidays: list[str] = Field(
        default_factory=list,
        description="Public holidays, Jalali: 'YYYY-MM-DD' (one date, e.g. 1405-01-01) or 'MM-DD' "
        "(every year, e.g. 01-01 for Nowruz). Holidays do not count towards any target.",
    )
    timezone: str | None = Field(
        default=None, description="Time zone of the hours; empty: the root `timezone` (Asia/Tehran)."
    )

    @field_validator("saturday", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday")
    @classmethod
    def _valid_span(cls, value: str | None, info: Any) -> str | None:
        return _span(value, info.field_name)

    @field_validator("holidays")
    @classmethod
    def _valid_holidays(cls, value: list[str]) -> list[str]:
        for day in value:
            found = _HOLIDAY.match(day.strip())
            if not found:
                raise ValueError(
                    f"holiday {day!r} is not a Jalali date: use YYYY-MM-DD (1405-01-01) or MM-DD"
                )
            year, month, dom = int(found[1] or 1403), int(found[2]), int(found[3])  # 1403: a leap year
            try:
                jdatetime.date(year, month, dom)
            except ValueError:
                raise ValueError(f"holiday {day!r} is not a date of the Jalali calendar") from None
        return [d.strip() for d in value]

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return known_timezone(value) if value else None

    @model_validator(mode="after")
    def _some_working_time(self) -> WorkingWeekSettings:
        if not any(self.spans().values()):
            raise ValueError("the working week has no working day: give at least one day its hours")
        return self

    def spans(self) -> dict[int, str | None]:
        return {
            SATURDAY: self.saturday,
            SUNDAY: self.sunday,
            MONDAY: self.monday,
            TUESDAY: self.tuesday,
            WEDNESDAY: self.wednesday,
            THURSDAY: self.thursday,
            FRIDAY: self.friday,
        }

    def week(self, default_timezone: str) -> WorkingWeek:
        hours: dict[int, tuple[time, time] | None] = {}
        for day, span in self.spans().items():
            hours[day] = None if span is None else (_clock(span[:5]), _clock(span[6:]))
        return WorkingWeek(
            hours=hours, holidays=frozenset(self.holidays), tz=self.timezone or default_timezone
        )


class SlaTargets(StrictModel):
    """A brand's targets; a field left out takes the default (``sla.defaults``)."""

    first_response_minutes: float | None = Field(
        default=None,
        gt=0,
        le=MAX_TARGET_MINUTES,
        description="Working minutes within which an urgent mention gets its first response.",
    )
    acknowledge_minutes: float | None = Field(
        default=None,
        gt=0,
        le=MAX_TARGET_MINUTES,
        description="Working minutes within which an incident is acknowledged.",
    )
    escalate_to: list[str] | None = Field(
        default=None,
        description="Channels (notifications.channels names) a breach is sent to, once: another team's "
        "chat, or a person's own e-mail/Telegram channel; empty: a breach is recorded, not escalated.",
    )


class SlaSettings(StrictModel):
    enabled: bool = Field(default=True, description="Track deadlines and escalate breaches (`shenava run`).")
    defaults: SlaTargets = Field(
        default_factory=lambda: SlaTargets(first_response_minutes=15, acknowledge_minutes=10, escalate_to=[]),
        description="Targets of every brand without its own entry.",
    )
    brands: dict[str, SlaTargets] = Field(
        default_factory=dict, description="Per brand (its `name`): targets overriding the defaults."
    )
    working_week: WorkingWeekSettings = Field(
        default_factory=WorkingWeekSettings, description="The hours the targets are counted in."
    )
    check_interval_seconds: float = Field(
        default=30.0, ge=1, le=3600, description="How often `shenava run` looks for breaches."
    )

    @model_validator(mode="after")
    def _complete_defaults(self) -> SlaSettings:
        """A field left out of ``defaults`` keeps the built-in target (15 and 10 minutes)."""
        builtin = {"first_response_minutes": 15.0, "acknowledge_minutes": 10.0, "escalate_to": []}
        given = self.defaults.model_dump(exclude_none=True)
        self.defaults = SlaTargets.model_validate({**builtin, **given})
        return self

    def targets(self, brand: str) -> SlaTargets:
        """The brand's effective targets (its own fields over the defaults)."""
        own = self.brands.get(brand)
        merged = self.defaults.model_dump()
        if own is not None:
            merged.update({k: v for k, v in own.model_dump().items() if v is not None})
        merged["escalate_to"] = merged.get("escalate_to") or []
        return SlaTargets.model_validate(merged)


def check_sla_references(settings: Any) -> Any:
    """Root-settings check: ``sla`` names only configured brands and enabled channels."""
    sla: SlaSettings = settings.sla
    brands = {b.name for b in settings.brands}
    unknown = sorted(set(sla.brands) - brands)
    if unknown:
        raise ValueError(
            f"sla.brands names unknown brands: {', '.join(unknown)} (configured: {', '.join(sorted(brands))})"
        )
    notifications = settings.notifications
    channels = {c.name for c in notifications.channels if c.enabled}
    if not notifications.channels and notifications.console:
        channels.add("console")
    for where, targets in [
        ("sla.defaults", sla.defaults),
        *((f"sla.brands.{b}", t) for b, t in sla.brands.items()),
    ]:
        missing = [c for c in targets.escalate_to or [] if c not in channels]
        if missing:
            names = ", ".join(missing)
            raise ValueError(f"{where}.escalate_to names channels not configured or not enabled: {names}")
    return settings
