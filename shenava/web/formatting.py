"""Numbers, dates and user text as a person reads them: Persian digits and Jalali dates in the
configured time zone (Asia/Tehran), or Latin digits for English; user text escaped and isolated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import jdatetime
from markupsafe import Markup, escape

from alerts.digest.render import bidi_text
from shenava.web.messages import MONTHS, translator
from storage.search_dates import to_persian_digits

MAX_LIST_TEXT = 280  # characters of a mention shown in the queue
MAX_DETAIL_TEXT = 4000  # …and on its detail page: a 1 MB mention must not become a 1 MB page


@dataclass(frozen=True)
class Formatter:
    language: str
    tz: str

    @property
    def rtl(self) -> bool:
        """Persian reads right to left; English left to right (charts, layout)."""
        return self.language == "fa"

    def digits(self, text: object) -> str:
        return to_persian_digits(str(text)) if self.language == "fa" else str(text)

    def number(self, value: float | int, places: int = 0) -> str:
        text = f"{value:,.{places}f}"
        return self.digits(text.replace(",", "٬").replace(".", "٫")) if self.language == "fa" else text

    def percent(self, value: float | None) -> str:
        if value is None:
            return "—"
        return self.digits(f"{value * 100:.0f}") + ("٪" if self.language == "fa" else "%")

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(ZoneInfo(self.tz))

    def when(self, moment: datetime | None) -> str:
        """``۱ آذر ۱۴۰۳، ۱۴:۰۵`` (Jalali date, local time)."""
        if moment is None:
            return "—"
        local = self.local(moment)
        j = jdatetime.datetime.fromgregorian(datetime=local.replace(tzinfo=None))
        month = MONTHS[self.language][j.month - 1]
        separator = "، " if self.language == "fa" else ", "
        return self.digits(f"{j.day} {month} {j.year}{separator}{j.hour:02d}:{j.minute:02d}")

    def iso(self, moment: datetime) -> str:
        return moment.astimezone(UTC).isoformat()

    def ago(self, moment: datetime | None, now: datetime | None = None) -> str:
        if moment is None:
            return "—"
        t = translator(self.language)
        minutes = int(((now or datetime.now(UTC)) - moment).total_seconds() // 60)
        if minutes < 1:
            return t("time.just_now")
        if minutes < 60:
            return t("time.minutes_ago", n=self.digits(minutes))
        if minutes < 48 * 60:
            return t("time.hours_ago", n=self.digits(minutes // 60))
        return t("time.days_ago", n=self.digits(minutes // (24 * 60)))


def mention_text(text: str | None, limit: int = MAX_LIST_TEXT) -> Markup:
    """Escaped, without bidi controls, Latin runs (handles, URLs) isolated in ``<bdi>``.

    The text is cut before any work, so a megabyte of hostile text costs no more than a tweet.
    """
    return bidi_text((text or "")[: limit * 2], limit)


def isolated(value: object) -> Markup:
    """A handle, URL or other Latin value inside Persian text: ``<bdi>`` keeps its direction."""
    return Markup("<bdi>") + escape("" if value is None else str(value)) + Markup("</bdi>")


def safe_link(url: str | None) -> str | None:
    """Only http(s) links become anchors; ``javascript:`` and other schemes are dropped."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None
