"""Every word an alert message says, Persian first and English beside it (``notifications.language``).

One table, so a missing translation is a test failure rather than an English word in a Persian
message: event titles, the lines of a summary, severities, urgency reasons, touchpoints and
sources by name, Jalali dates in the configured time zone (Asia/Tehran) with Persian digits.
Channels (``alerts.render``) only lay these lines out and escape them.

What the engine decides once, when it stores an event in the outbox, is kept in its payload
(``MessageContext.extras``): the language, the time zone, the brand's display name and the link
to the item's page in the web inbox, so a restart renders the same message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

LANGUAGES = ("fa", "en")
DEFAULT_TIMEZONE = "Asia/Tehran"
_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

MESSAGES: dict[str, tuple[str, str]] = {
    # what happened (the first line, subject and chat header)
    "kind.incident_opened": ("افزایش ناگهانی اشاره‌های منفی", "Spike of negative mentions"),
    "kind.incident_grew": ("تشدید رخداد", "Incident escalated"),
    "kind.incident_resolved": ("پایان رخداد", "Incident over"),
    "kind.urgent_mention": ("اشارهٔ فوری", "Urgent mention"),
    "kind.delivery_failed": ("ارسال هشدار ناموفق ماند", "Alert delivery failed"),
    "title.incident_opened": (
        "رخداد {id}: افزایش ناگهانی اشاره‌های منفی دربارهٔ {brand} (شدت {severity})",
        "Incident {id}: spike of negative mentions about {brand} ({severity})",
    ),
    "title.incident_grew": (
        "رخداد {id} دربارهٔ {brand} شدیدتر شد: {severity}",
        "Incident {id} about {brand} escalated to {severity}",
    ),
    "title.incident_resolved": (
        "رخداد {id} دربارهٔ {brand} پایان یافت",
        "Incident {id} about {brand} is over",
    ),
    "title.urgent_mention": ("اشارهٔ فوری دربارهٔ {brand}: {reasons}", "Urgent mention of {brand}: {reasons}"),
    "title.delivery_failed": (
        "ارسال هشدار به کانال «{channel}» ناموفق ماند",
        "Delivering an alert to channel “{channel}” failed",
    ),
    # SLA escalation (alerts.sla_events; ``at`` is the deadline, so the line says when it passed)
    "kind.sla_incident_breached": ("مهلت پاسخ گذشت", "Response deadline passed"),
    "kind.sla_urgent_breached": ("مهلت پاسخ گذشت", "Response deadline passed"),
    "title.sla_incident_breached": (
        "مهلت پاسخ به رخداد {id} دربارهٔ {brand} گذشت و کسی آن را تأیید نکرد",
        "The response deadline of incident {id} about {brand} passed; nobody acknowledged it",
    ),
    "title.sla_urgent_breached": (
        "مهلت پاسخ به اشارهٔ فوری دربارهٔ {brand} گذشت و هنوز پاسخی داده نشده",
        "The response deadline of an urgent mention of {brand} passed; it is still unanswered",
    ),
    # SLA in the inbox and the digest (alerts.sla_view, alerts.digest)
    "sla.passed": ("گذشته", "overdue"),
    "sla.left": ("{minutes} دقیقهٔ کاری مانده", "{minutes} working min left"),
    "sla.left_hours": ("{hours} ساعت و {minutes} دقیقهٔ کاری مانده", "{hours} h {minutes} working min left"),
    "sla.deadline": ("مهلت: {when}", "Deadline: {when}"),
    "sla.met": ("در مهلت پاسخ داده شد", "answered in time"),
    "sla.late": ("دیرتر از مهلت پاسخ داده شد", "answered late"),
    "sla.panel_title": ("پاسخ در مهلت (۷ روز گذشته)", "Within SLA (last 7 days)"),
    "sla.brand_line": ("{brand}: {percent} ({met} از {total})", "{brand}: {percent} ({met} of {total})"),
    "sla.agent_line": ("{agent}: {percent} ({met} از {total})", "{agent}: {percent} ({met} of {total})"),
    "sla.by_brand": ("برندها", "Brands"),
    "sla.by_agent": ("کارشناسان", "Agents"),
    "sla.unassigned": ("بدون مسئول", "unassigned"),
    "sla.none": ("هنوز موردی با مهلت سررسیده نیست.", "No deadline has come due yet."),
    "sla.overdue_now": ("{count} مورد از مهلت گذشته و بی‌پاسخ", "{count} overdue and unanswered"),
    "sla.digest_title": ("پاسخ در مهلت", "Responses within the SLA"),
    "sla.digest_line": (
        "{percent} در مهلت ({met} از {total})؛ {breached} مورد دیرتر از مهلت",
        "{percent} within the deadline ({met} of {total}); {breached} late",
    ),
    # saved searches that alert (issue 13; alerts.rules.event)
    "kind.saved_search_alert": ("هشدار جستجوی ذخیره‌شده", "Saved search alert"),
    "title.saved_search_alert": ("جستجوی ذخیره‌شدهٔ «{name}» هشدار داد", "Saved search “{name}” alerted"),
    "line.saved_search_per_hour": (
        "{count} اشارهٔ منطبق در ساعتِ {hour} (آستانه: {threshold} در ساعت)",
        "{count} matching mentions in the hour from {hour} (threshold: {threshold} per hour)",
    ),
    "line.saved_search_followers": (
        "نویسنده‌ای با {followers} دنبال‌کننده (آستانه: {threshold})",
        "An author with {followers} followers (threshold: {threshold})",
    ),
    "reason.saved_search": ("جستجوی ذخیره‌شده", "saved search"),
    # summary lines
    "line.when": ("زمان: {when}", "When: {when}"),
    "line.started": ("آغاز: {when}", "Started: {when}"),
    "line.ended": ("پایان: {when}", "Ended: {when}"),
    "line.escalated": ("زمان تشدید: {when}", "Escalated at: {when}"),
    "line.count": (
        "{count} {what} در {minutes} دقیقه؛ معمولاً {expected} ({ratio} برابر)",
        "{count} {what} in {minutes} minutes; usually {expected} ({ratio}×)",
    ),
    # a usual count under one: the ratio is taken against one mention, so "0.6 (13×)" would not add up
    "line.count_rare": (
        "{count} {what} در {minutes} دقیقه؛ معمولاً کمتر از یکی ({expected})",
        "{count} {what} in {minutes} minutes; usually fewer than one ({expected})",
    ),
    # {what} of the counts above: the series that alerted, the brand's or one touchpoint's own
    "line.negative": ("اشارهٔ منفی", "negative mentions"),
    "line.negative_about": ("اشارهٔ منفی دربارهٔ {touchpoint}", "negative mentions about {touchpoint}"),
    "line.share": (
        "سهم اشاره‌های منفی برند: اکنون {now}، معمولاً {usual}",
        "Brand's negative share: now {now}, usually {usual}",
    ),
    "line.touchpoints": ("نقاط تماس (اکنون / معمول): {items}", "Touchpoints (now / usual): {items}"),
    "line.touchpoint_names": ("نقاط تماس: {items}", "Touchpoints: {items}"),
    "line.touchpoint_item": ("{name} {observed} / {expected}", "{name} {observed} / {expected}"),
    "line.terms": ("واژه‌های رو به افزایش: {terms}", "Rising terms: {terms}"),
    "line.peak": (
        "اوج: {peak} {what} در یک بازه (معمولاً {expected})",
        "Peak: {peak} {what} in one bucket (usually {expected})",
    ),
    "line.reasons": ("دلیل: {reasons}", "Why: {reasons}"),
    "line.source": ("منبع: {source}", "Source: {source}"),
    "line.followers": ("{count} دنبال‌کننده", "{count} followers"),
    "line.folded": ("{count} اشارهٔ فوری دیگر در همین رخداد", "{count} more urgent mentions in this incident"),
    "line.channel_error": ("خطا: {error}", "Error: {error}"),
    "line.link": ("در صندوق پشتیبانی: {link}", "In the support inbox: {link}"),
    "line.open_inbox": ("باز کردن در صندوق پشتیبانی", "Open in the support inbox"),
    "line.source_link": ("پیوند", "link"),
    "line.unknown_author": ("ناشناس", "unknown"),
    "list.separator": ("، ", ", "),
    # severities (alerts.severity)
    "severity.low": ("کم", "low"),
    "severity.medium": ("متوسط", "medium"),
    "severity.high": ("زیاد", "high"),
    "severity.critical": ("بحرانی", "critical"),
    # urgency reasons (alerts.urgent)
    "reason.urgency": ("فوریت بالا", "high urgency"),
    "reason.large_account": ("حساب پرمخاطب", "large account"),
    "reason.crisis_words": ("واژهٔ بحران", "crisis words"),
    "reason.unanswered_question": ("پرسش بی‌پاسخ", "unanswered question"),
    # touchpoints (nlp aspects; alerts.touchpoints)
    "touchpoint.delivery": ("ارسال و تحویل", "delivery"),
    "touchpoint.price": ("قیمت", "price"),
    "touchpoint.support": ("پشتیبانی", "support"),
    "touchpoint.quality": ("کیفیت", "quality"),
    "touchpoint.app": ("اپلیکیشن", "app"),
    "touchpoint.payment": ("پرداخت", "payment"),
    "touchpoint.staff": ("کارکنان", "staff"),
    # sources (listeners)
    "source.x": ("ایکس (توییتر)", "X (Twitter)"),
    "source.twitter": ("ایکس (توییتر)", "X (Twitter)"),
    "source.instagram": ("اینستاگرام", "Instagram"),
    "source.telegram": ("تلگرام", "Telegram"),
    "source.web": ("وب", "web"),
    "source.news": ("خبر", "news"),
    "source.import": ("فایل واردشده", "imported file"),
    "source.replay": ("بازپخش", "replay"),
    # dates
    "date.format": (
        "{day} {month} {year}، ساعت {hour}:{minute} ({zone})",
        "{day} {month} {year}, {hour}:{minute} ({zone})",
    ),
    "zone.Asia/Tehran": ("به وقت تهران", "Tehran time"),
    # what `shenava import` detected (the CLI prints it)
    "import.detected": (
        "{incidents} رخداد و {urgent} اشارهٔ فوری در داده‌های واردشده پیدا شد",
        "{incidents} incident(s) and {urgent} urgent mention(s) found in the imported data",
    ),
    "import.paged": (
        # alerts, not incidents: an incident that grew counts once for each alert it raised
        "{paged} هشدار تازه فرستاده می‌شود؛ {backfilled} هشدار قدیمی‌تر از {minutes} دقیقه "
        "(آغاز و تشدید رخدادها، اشاره‌های فوری) فقط ثبت شد",
        "{paged} fresh alert(s) are sent; {backfilled} alert(s) older than {minutes} minutes "
        "(incidents opening or growing, urgent mentions) only recorded",
    ),
    "import.incident": (
        "رخداد #{id} {brand} ({severity}){about}: از {start}{end}",
        "incident #{id} {brand} ({severity}){about}: from {start}{end}",
    ),
    "import.incident_about": (" دربارهٔ {touchpoints}", " about {touchpoints}"),
    "import.incident_end": (" تا {end}", " to {end}"),
    "import.more_incidents": ("و {n} رخداد دیگر", "and {n} more incident(s)"),
    "import.incident_details": (
        "جزئیات: shenava incidents show {id} یا صفحهٔ /inbox/incident/{id} در وب",
        "details: shenava incidents show {id} or /inbox/incident/{id} in the web app",
    ),
    "import.not_judged": (
        "تشخیص افزایش ناگهانی از {when} به بعد را بررسی کرد؛ اشاره‌های پیش از آن فقط بایگانی شدند",
        "Spike detection judged mentions from {when} on; earlier ones were archived only",
    ),
}

MONTHS = {
    "fa": (
        "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
        "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
    ),
    "en": (
        "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
        "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
    ),
}  # fmt: skip


class MissingMessage(KeyError):
    """A message key that is not in the catalogue."""


@dataclass(frozen=True)
class Words:
    """The catalogue in one language, with numbers and dates written for its reader."""

    language: str = "fa"
    timezone: str = DEFAULT_TIMEZONE

    @classmethod
    def of(cls, event: dict[str, Any]) -> Words:
        """The words an outbox payload asked for (Persian, Tehran when it says nothing)."""
        language = event.get("language")
        return cls(language if language in LANGUAGES else "fa", event.get("timezone") or DEFAULT_TIMEZONE)

    @property
    def index(self) -> int:
        return LANGUAGES.index(self.language)

    def t(self, key: str, **values: object) -> str:
        try:
            text = MESSAGES[key][self.index]
        except KeyError:
            raise MissingMessage(key) from None
        return text.format(**values) if values else text

    def label(self, group: str, code: str | None) -> str:
        """A code (``touchpoint.delivery``) in words; an unknown code is returned as it is."""
        entry = MESSAGES.get(f"{group}.{code}")
        return entry[self.index] if entry else (code or "")

    def digits(self, text: object) -> str:
        return str(text).translate(_FA_DIGITS) if self.language == "fa" else str(text)

    def number(self, value: float | int, places: int = 0) -> str:
        text = f"{value:,.{places}f}"
        if self.language == "fa":
            text = text.replace(",", "٬").replace(".", "٫")
        return self.digits(text)

    def percent(self, value: float | None, *, signed: bool = False) -> str:
        """``۸۵٪`` or ``85%``; ``signed`` keeps the sign of a change (``+۱۲٪``)."""
        if value is None:
            return "—"
        text = f"{100 * value:+.0f}" if signed else f"{100 * value:.0f}"
        return self.digits(text) + ("٪" if self.language == "fa" else "%")

    def join(self, items: Sequence[str]) -> str:
        return self.t("list.separator").join(items)

    def when(self, moment: datetime | str | None) -> str:
        """``۱۲ اسفند ۱۴۰۴، ساعت ۱۳:۳۰ (به وقت تهران)``: Jalali date, local time."""
        if moment is None or moment == "":
            return "—"
        import jdatetime  # imported late: only rendering needs it

        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        local = moment.astimezone(ZoneInfo(self.timezone))
        j = jdatetime.datetime.fromgregorian(datetime=local.replace(tzinfo=None))
        zone = MESSAGES.get(f"zone.{self.timezone}")
        return self.t(
            "date.format",
            day=self.digits(j.day),
            month=MONTHS[self.language][j.month - 1],
            year=self.digits(j.year),
            hour=self.digits(f"{j.hour:02d}"),
            minute=self.digits(f"{j.minute:02d}"),
            zone=zone[self.index] if zone else self.timezone,
        )


def event_title(event: dict[str, Any], words: Words | None = None) -> str:
    """The one-line title of a stored event, in its language."""
    words = words or Words.of(event)
    kind = str(event.get("kind", ""))
    brand = str(event.get("brand_name") or event.get("brand") or "")
    values: dict[str, object] = {
        "brand": brand,
        "severity": words.label("severity", event.get("severity")),
        "id": words.digits(f"#{event.get('incident_id', '')}"),
        "reasons": words.join([words.label("reason", r) for r in event.get("reasons") or []]),
        "channel": str(event.get("channel", "")),
        "name": str(event.get("search_name", "")),  # a saved search's (alerts.rules)
    }
    if f"title.{kind}" not in MESSAGES:
        return words.label("kind", kind)
    return words.t(f"title.{kind}", **values)


@dataclass(frozen=True)
class MessageContext:
    """What the engine adds to an event's outbox payload so every channel can render it."""

    language: str = "fa"
    timezone: str = DEFAULT_TIMEZONE
    public_url: str | None = None  # the web inbox (``web.public_url``); None: no link
    brand_names: dict[str, str] = field(default_factory=dict)

    def link(self, event: dict[str, Any]) -> str | None:
        """The event's page in the web inbox (``/inbox/incident/<id>``, ``/inbox/urgent/<id>``)."""
        if not self.public_url:
            return None
        base = self.public_url.rstrip("/")
        if event.get("incident_id") is not None:
            return f"{base}/inbox/incident/{event['incident_id']}"
        if event.get("urgent_id") is not None:
            return f"{base}/inbox/urgent/{event['urgent_id']}"
        return f"{base}/inbox"

    def extras(self, event: dict[str, Any]) -> dict[str, Any]:
        """Language, time zone, the brand's display name, the inbox link and the localised title."""
        out: dict[str, Any] = {
            "language": self.language,
            "timezone": self.timezone,
            "brand_name": self.brand_names.get(str(event.get("brand", "")), event.get("brand", "")),
            "link": self.link(event),
        }
        out["title"] = event_title({**event, **out})
        return out


def brand_display_names(brands: Sequence[Any], language: str) -> dict[str, str]:
    """brand → the name people read: its first Persian alias (fa) or first Latin alias (en)."""
    names = {}
    for b in brands:
        aliases = b.aliases_fa if language == "fa" else b.aliases_latin
        names[b.name] = (list(aliases) or [b.name])[0]
    return names
