"""Every word the digest says, Persian first and English beside it (``digest.language``), and its
numbers and Jalali dates written for its reader: Persian digits and separators, or Latin ones.

One table, as for alert messages (``alerts.messages``, whose touchpoint and severity names the
digest shares), so a missing translation is a test failure rather than a Persian heading in an
English digest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import jdatetime

from alerts.messages import DEFAULT_TIMEZONE, LANGUAGES, MONTHS, MissingMessage, Words

if TYPE_CHECKING:
    from alerts.digest.period import DigestPeriod

DIGEST_MESSAGES: dict[str, tuple[str, str]] = {
    "subject.daily": ("گزارش روزانه شنوا — {period}", "Shenava daily digest — {period}"),
    "subject.weekly": ("گزارش هفتگی شنوا — {period}", "Shenava weekly digest — {period}"),
    "period": ("بازه", "Period"),
    "zone": ("منطقهٔ زمانی", "time zone"),
    "range": ("{first} تا {last}", "{first} to {last}"),
    "no_brands": ("برندی برای گزارش پیکربندی نشده است.", "No brand is configured for the digest."),
    "kpi.mentions": ("اشاره", "mentions"),
    "kpi.mentions.one": ("اشاره", "mention"),
    "kpi.net": ("احساس خالص", "net sentiment"),
    "kpi.vs_previous": ("نسبت به دورهٔ قبل", "vs the previous period"),
    "unit.points": ("{n} واحد درصد", "{n} pts"),
    "kpi.negative": ("منفی", "negative"),
    "trend": ("روند", "Trend"),
    "chart.volume": ("حجم روزانهٔ اشاره‌ها به {name}", "Daily mentions of {name}"),
    "chart.net": ("احساس خالص روزانهٔ {name}", "Daily net sentiment of {name}"),
    "sentiment.negative": ("منفی", "negative"),
    "sentiment.neutral": ("خنثی", "neutral"),
    "sentiment.positive": ("مثبت", "positive"),
    "voice": ("سهم صدا در برابر رقبا", "Share of voice against competitors"),
    "voice.none": (
        "رقیبی برای این برند تعریف نشده است (competitors در تنظیمات برند).",
        "No competitors are set for this brand (competitors in the brand's settings).",
    ),
    "column.brand": ("برند", "Brand"),
    "column.mentions": ("اشاره", "Mentions"),
    "column.share": ("سهم", "Share"),
    "column.net": ("احساس خالص", "Net sentiment"),
    "complaints": ("گلایه‌های اصلی", "Main complaints"),
    "complaints.count": ("{count} اشارهٔ منفی", "{count} negative mentions"),
    "complaints.count.one": ("{count} اشارهٔ منفی", "{count} negative mention"),
    "complaints.previous": ("دورهٔ قبل {count}", "previous period {count}"),
    "complaints.none": ("گلایه‌ای ثبت نشده است.", "No complaints."),
    "keyphrases": ("عبارت‌های پرتکرار در گلایه‌ها:", "Frequent phrases in complaints:"),
    "praise": ("بیشترین تعریف‌ها", "Most praised"),
    "praise.none": ("تعریفی ثبت نشده است.", "No praise."),
    "incidents": ("رخدادها", "Incidents"),
    "column.started": ("زمان شروع", "Started"),
    "column.topic": ("موضوع", "Touchpoints"),
    "column.severity": ("شدت", "Severity"),
    "column.status": ("وضعیت", "Status"),
    "column.tta": ("زمان تا تأیید", "Time to acknowledge"),
    "column.ttr": ("زمان تا حل", "Time to resolve"),
    "incidents.none": ("رخدادی نبود.", "No incidents."),
    "status.open": ("باز", "open"),
    "status.acknowledged": ("تأییدشده", "acknowledged"),
    "status.resolved": ("حل‌شده", "resolved"),
    "generated": ("تهیه‌شده با شنوا در {when}", "Made by Shenava on {when}"),
    "duration.hours_minutes": ("{hours} ساعت و {minutes} دقیقه", "{hours} h {minutes} min"),
    "duration.hours": ("{hours} ساعت", "{hours} h"),
    "duration.minutes": ("{minutes} دقیقه", "{minutes} min"),
    "moment": ("{day}، {time}", "{day}, {time}"),
    # the plain-text part
    "text.volume": ("حجم: {count} اشاره (تغییر {change})", "Volume: {count} mentions (change {change})"),
    "text.volume.one": ("حجم: {count} اشاره (تغییر {change})", "Volume: {count} mention (change {change})"),
    "text.net": ("احساس خالص: {now} (دورهٔ قبل {before})", "Net sentiment: {now} (previous period {before})"),
    "text.voice": ("سهم صدا: {shares}", "Share of voice: {shares}"),
    "text.complaints": ("گلایه‌ها: {themes}", "Complaints: {themes}"),
    "text.keyphrases": ("عبارت‌های پرتکرار: {terms}", "Frequent phrases: {terms}"),
    "text.incident": (
        "رخداد #{id} ({severity}){about}: زمان تا تأیید {tta}، زمان تا حل {ttr}",
        "Incident #{id} ({severity}){about}: time to acknowledge {tta}, time to resolve {ttr}",
    ),
    # {about} above: the touchpoints the incident named, as the HTML part's table gives them
    "text.incident_about": (" دربارهٔ {touchpoints}", " about {touchpoints}"),
    "text.generated": ("تهیه‌شده در {when}", "Made on {when}"),
}

#: Monday first, as ``date.weekday()``
WEEKDAYS = {
    "fa": ("دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


@dataclass(frozen=True)
class DigestWords:
    """The digest's catalogue in one language; dates in the digest's time zone."""

    language: str = "fa"
    timezone: str = DEFAULT_TIMEZONE

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"digest language must be one of {', '.join(LANGUAGES)}, not {self.language!r}")

    @cached_property  # every label, number and date goes through it: built once, not per call
    def alerts(self) -> Words:
        """The alert catalogue in the same language (touchpoints, severities, the SLA line)."""
        return Words(self.language, self.timezone)

    @property
    def rtl(self) -> bool:
        return self.language == "fa"

    def t(self, key: str, **values: object) -> str:
        try:
            text = DIGEST_MESSAGES[key][LANGUAGES.index(self.language)]
        except KeyError:
            raise MissingMessage(key) from None
        return text.format(**values) if values else text

    def counted(self, key: str, n: int, **values: object) -> str:
        """``key`` for a count: its ``.one`` form for exactly one (English: «1 mention»), with
        ``count`` written for the reader."""
        one = f"{key}.one"
        return self.t(one if n == 1 and one in DIGEST_MESSAGES else key, count=self.number(n), **values)

    def touchpoints(self, codes: list[str]) -> str:
        """Touchpoint codes in words, as one list (an incident's, in the table and the text part)."""
        return self.alerts.join([self.label("touchpoint", code) for code in codes])

    def label(self, group: str, code: str | None) -> str:
        """A status or sentiment code in words; touchpoints, severities and sources as alerts name them."""
        if group in ("touchpoint", "severity", "source"):
            return self.alerts.label(group, code)
        entry = DIGEST_MESSAGES.get(f"{group}.{code}")
        return entry[LANGUAGES.index(self.language)] if entry else (code or "")

    def number(self, value: float | int) -> str:
        return self.alerts.number(value)

    def percent(self, value: float | None, *, signed: bool = False) -> str:
        return self.alerts.percent(value, signed=signed)

    def signed(self, value: float) -> str:
        """Net sentiment in [-1, 1] as a percent with its sign (``+۲۵٪``, ``-61%``), as the dashboard and
        explore write it: the same figure on each surface marketing reads."""
        return self.alerts.percent(value, signed=True)

    def points(self, value: float, wrap: Callable[[str], str] = str) -> str:
        """A change of net sentiment, in percentage points (``-۴۹ واحد درصد``, ``-49 pts``): a
        difference of two percents, not a relative change like the volume's. ``wrap`` marks up the
        signed number alone (kept left to right in a Persian line)."""
        return self.t("unit.points", n=wrap(self.alerts.digits(f"{100 * value:+.0f}")))

    def duration(self, value: timedelta | None) -> str:
        if value is None:
            return "—"
        hours, minutes = divmod(max(0, round(value.total_seconds() / 60)), 60)
        h, m = self.alerts.digits(hours), self.alerts.digits(minutes)
        if hours and minutes:
            return self.t("duration.hours_minutes", hours=h, minutes=m)
        if hours:
            return self.t("duration.hours", hours=h)
        return self.t("duration.minutes", minutes=m)

    def day(self, day: date) -> str:
        """``۱ آذر ۱۴۰۳`` or ``1 Azar 1403``."""
        j = jdatetime.date.fromgregorian(date=day)
        return self.alerts.digits(f"{j.day} {MONTHS[self.language][j.month - 1]} {j.year}")

    def day_short(self, day: date) -> str:
        """``۹/۱`` (month/day), for chart axes."""
        j = jdatetime.date.fromgregorian(date=day)
        return self.alerts.digits(f"{j.month}/{j.day}")

    def moment(self, moment: datetime) -> str:
        """``۱ آذر ۱۴۰۳، ۱۴:۰۵``: the Jalali day and the local time, to the minute."""
        local = moment.astimezone(ZoneInfo(self.timezone))
        return self.t("moment", day=self.day(local.date()), time=self.alerts.digits(local.strftime("%H:%M")))

    def period(self, period: DigestPeriod) -> str:
        """``شنبه ۱ آذر ۱۴۰۳`` for a day, ``۲۶ آبان ۱۴۰۳ تا ۲ آذر ۱۴۰۳`` for a week."""
        if period.kind == "daily":
            return f"{WEEKDAYS[self.language][period.first.weekday()]} {self.day(period.first)}"
        return self.t("range", first=self.day(period.first), last=self.day(period.last))

    def subject(self, period: DigestPeriod) -> str:
        return self.t(f"subject.{period.kind}", period=self.period(period))
