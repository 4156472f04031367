"""Every string the web pages show, Persian first and English beside it (``web.language``).

One table, so a missing translation is a test failure rather than an English word in a Persian
page. Placeholders use ``str.format`` names; values are escaped by the templates, never here.
"""

from __future__ import annotations

from collections.abc import Callable

from alerts.messages import MESSAGES as ALERT_MESSAGES
from alerts.messages import MONTHS
from shenava.web.searches_messages import SEARCHES_MESSAGES

LANGUAGES = ("fa", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    "app.name": ("شنوا", "Shenava"),
    "app.tagline": ("صندوق پشتیبانی", "Support inbox"),
    "nav.inbox": ("صندوق", "Inbox"),
    "nav.logout": ("خروج", "Log out"),
    "nav.skip": ("پرش به محتوا", "Skip to content"),
    "nav.signed_in_as": ("وارد شده با", "Signed in as"),
    # login
    "login.title": ("ورود به شنوا", "Log in to Shenava"),
    "login.name": ("نام کاربری", "User name"),
    "login.password": ("گذرواژه", "Password"),
    "login.submit": ("ورود", "Log in"),
    "login.failed": ("نام کاربری یا گذرواژه درست نیست.", "Wrong user name or password."),
    "login.limited": (
        "تلاش‌های ناموفق زیاد بود. چند دقیقهٔ دیگر دوباره امتحان کنید.",
        "Too many failed attempts. Try again in a few minutes.",
    ),
    "login.expired": ("نشست شما تمام شد؛ دوباره وارد شوید.", "Your session ended; please log in again."),
    "login.help": (
        "گذرواژه را فراموش کرده‌اید؟ مدیر می‌تواند با دستور زیر آن را بازنشانی کند:",
        "Forgot your password? An admin can reset it with:",
    ),
    # errors
    "error.title": ("خطا", "Error"),
    "error.csrf": (
        "فرم منقضی شده یا از جای دیگری فرستاده شده است. صفحه را دوباره باز کنید.",
        "The form expired or came from elsewhere. Reload the page and try again.",
    ),
    "error.forbidden": ("این کار به نقش «{role}» نیاز دارد.", "This needs the {role} role."),
    "error.not_found": ("پیدا نشد.", "Not found."),
    "error.conflict": ("این کار انجام نشد: {detail}", "Not done: {detail}"),
    "error.back": ("بازگشت به صندوق", "Back to the inbox"),
    # inbox
    "inbox.title": ("صندوق پشتیبانی", "Support inbox"),
    "inbox.empty": ("موردی نیست.", "Nothing here."),
    "inbox.count": ("{count} مورد", "{count} items"),
    "inbox.shown": (
        "{count} مورد اول نشان داده شده؛ با فیلترها دقیق‌تر کنید",
        "first {count} shown; narrow with the filters",
    ),
    "inbox.live": ("به‌روزرسانی زنده", "Live updates"),
    "inbox.live_off": ("اتصال زنده قطع است؛ دوباره تلاش می‌شود…", "Live updates paused; reconnecting…"),
    "inbox.filter": ("اعمال فیلتر", "Apply filters"),
    "inbox.clear": ("پاک کردن فیلترها", "Clear filters"),
    "inbox.any": ("همه", "Any"),
    "inbox.mine": ("فقط موارد من و تیم‌هایم", "Only mine and my teams' items"),
    "inbox.no_team": ("بدون تیم", "No team"),
    "inbox.reply": ("پاسخ: {status}", "Reply: {status}"),
    "inbox.unassigned": ("بدون مسئول", "Unassigned"),
    "inbox.snoozed_until": ("به تعویق تا {when}", "Snoozed until {when}"),
    "inbox.backfilled": ("از داده‌های گذشته", "From past data"),
    "inbox.updated": ("صندوق به‌روز شد", "Inbox updated"),
    # fields
    "field.brand": ("برند", "Brand"),
    "field.touchpoint": ("نقطهٔ تماس", "Touchpoint"),
    "field.touchpoints": ("نقاط تماس", "Touchpoints"),  # an incident names one or more
    "field.source": ("منبع", "Source"),
    "field.status": ("وضعیت", "Status"),
    "field.assignee": ("مسئول", "Assignee"),
    "field.severity": ("شدت", "Severity"),
    "field.kind": ("نوع", "Kind"),
    "field.raised": ("زمان ثبت", "Raised"),
    "field.happened": ("زمان رخداد", "Happened"),
    # an incident's mention times beside "Happened" (its first bucket): the peak, and the burst's end
    "field.peaked": ("زمان اوج", "Peaked"),
    "field.ended": ("پایان انفجار", "Burst ended"),
    "field.team": ("تیم", "Team"),
    "field.sla": ("مهلت پاسخ", "Response deadline"),
    "field.age": ("سن", "Age"),
    "field.summary": ("خلاصه", "Summary"),
    # roles
    "role.analyst": ("تحلیلگر", "analyst"),
    "role.support": ("پشتیبانی", "support"),
    "role.admin": ("مدیر", "admin"),
    # kinds
    "kind.incident": ("رخداد", "Incident"),
    "kind.urgent": ("اشارهٔ فوری", "Urgent mention"),
    # statuses
    "status.open": ("باز", "Open"),
    "status.acknowledged": ("دیده‌شده", "Acknowledged"),
    "status.resolved": ("حل‌شده", "Resolved"),
    "status.active": ("فعال (باز یا دیده‌شده)", "Active (open or acknowledged)"),
    "status.snoozed": ("به تعویق‌افتاده", "Snoozed"),
    # severities
    "severity.low": ("کم", "Low"),
    "severity.medium": ("متوسط", "Medium"),
    "severity.high": ("زیاد", "High"),
    "severity.critical": ("بحرانی", "Critical"),
    # touchpoints and urgency reasons by name: alerts.messages (added below), one catalogue for both
    "touchpoint.none": ("کل برند", "Whole brand"),
    "sentiment.negative": ("منفی", "Negative"),
    "sentiment.neutral": ("خنثی", "Neutral"),
    "sentiment.positive": ("مثبت", "Positive"),
    "correct.title": ("اصلاح احساس و نقطهٔ تماس", "Correct sentiment and touchpoints"),
    "correct.sentiment": ("احساس", "Sentiment"),
    "correct.touchpoints": ("نقطه‌های تماس", "Touchpoints"),
    "correct.save": ("ثبت اصلاح", "Save correction"),
    "correct.done": ("اصلاح‌شده", "Corrected"),
    # summaries
    "summary.incident": (
        "{count} {what} در برابر معمول {expected}",
        "{count} {what} against a usual {expected}",
    ),
    # {what} an incident counts: the brand's negative mentions, or one touchpoint's own series
    "summary.negative": ("اشارهٔ منفی", "negative mentions"),
    "summary.negative_about": ("اشارهٔ منفی دربارهٔ {touchpoint}", "negative mentions about {touchpoint}"),
    "summary.urgent": ("اشارهٔ فوری از {author}", "Urgent mention by {author}"),
    # detail
    "detail.explanation": ("چرا هشدار داده شد", "Why this alerted"),
    "detail.count_vs_usual": (
        "{count} {what} در پنجره؛ معمولاً {expected} ({ratio} برابر)",
        "{count} {what} in the window; usually {expected} ({ratio}×)",
    ),
    # under one usual mention the ratio is taken against one (alerts.explain): not shown beside 0.6
    "detail.count_vs_rare": (
        "{count} {what} در پنجره؛ معمولاً کمتر از یکی ({expected})",
        "{count} {what} in the window; usually fewer than one ({expected})",
    ),
    "detail.negative_share": (
        "سهم منفی اکنون {now}، معمولاً {usual}",
        "Negative share now {now}, usually {usual}",
    ),
    "detail.touchpoints_counts": ("نقاط تماس (اکنون / معمول)", "Touchpoints (now / usual)"),
    "detail.touchpoints_shares": ("نقاط تماس (سهم اکنون / معمول)", "Touchpoints (share now / usual)"),
    "detail.terms": ("واژه‌های رو به افزایش", "Rising terms"),
    "detail.chart": ("نمودار انفجار", "The burst"),
    "detail.chart_title": ("اشاره‌های منفی در هر ساعت", "Negative mentions per hour"),
    "detail.chart_title_about": (
        "اشاره‌های منفی دربارهٔ {touchpoint} در هر ساعت",
        "Negative mentions about {touchpoint} per hour",
    ),
    "detail.mentions": ("اشاره‌های نمونه", "Representative mentions"),
    "detail.mention": ("اشاره", "Mention"),
    "detail.open_link": ("باز کردن در منبع", "Open at the source"),
    "detail.history": ("تاریخچه", "History"),
    "detail.no_history": ("هنوز کاری انجام نشده است.", "No action yet."),
    "detail.reasons": ("دلیل‌ها", "Reasons"),
    "detail.followers": ("{count} دنبال‌کننده", "{count} followers"),
    "detail.thread": ("{count} اشاره در این گفت‌وگو", "{count} mentions in this conversation"),
    "detail.not_relevant": ("نامرتبط علامت خورده است", "Marked not relevant"),
    "detail.backfilled": (
        "از داده‌های گذشته ثبت شد (ورود فایل یا جبران وقفهٔ سرویس)؛ برای آن به کسی هشدار داده نشد",
        "Recorded from past data (an import or a catch-up after a pause); nobody was paged for it",
    ),
    # actions
    "action.acknowledge": ("دیدم", "Acknowledge"),
    "action.assign": ("واگذاری", "Assign"),
    "action.assign_to": ("واگذاری به", "Assign to"),
    "action.assign_me": ("به خودم", "To me"),
    "action.assign_team": ("واگذاری به تیم", "Assign to team"),
    "action.snooze": ("تعویق", "Snooze"),
    "action.snooze_minutes": ("دقیقه", "minutes"),
    "action.resolve": ("حل شد", "Resolve"),
    "action.reason": ("دلیل یا کاری که انجام شد", "Reason or what was done"),
    "action.note": ("یادداشت داخلی", "Internal note"),
    "action.add_note": ("افزودن یادداشت", "Add note"),
    "action.not_relevant": ("نامرتبط", "Not relevant"),
    "action.done": ("انجام شد.", "Done."),
    # quick replies
    "reply.title": ("پاسخ‌های پیشنهادی", "Suggested replies"),
    "reply.no_send": (
        "ارسال مستقیم از شنوا هنوز راه‌اندازی نشده است: متن را ویرایش و کپی کنید، "
        "در منبع پاسخ دهید و اینجا ثبت کنید.",
        "Sending from Shenava is not set up yet: edit and copy the text, reply at the source, "
        "then record it here.",
    ),
    "reply.copy": ("کپی متن", "Copy text"),
    "reply.copied": ("کپی شد", "Copied"),
    "reply.record": ("ثبت به‌عنوان پاسخ ارسال‌شده", "Record as sent"),
    "reply.none": ("قالب مناسبی برای این اشاره پیدا نشد.", "No template fits this mention."),
    "reply.label": ("متن پاسخ {n}", "Reply text {n}"),
    "reply.send": ("ارسال پاسخ", "Send reply"),
    "reply.standin": (
        "اعتبارنامهٔ {source} تنظیم نشده؛ پاسخ به جای ارسال در فایل {file} نوشته می‌شود.",
        "{source} credentials are not set; the reply is written to the file {file} instead of being sent.",
    ),
    "reply.via_api": (
        "پاسخ از راه API {source} فرستاده می‌شود.",
        "The reply is sent through the {source} API.",
    ),
    "reply.outbox": ("پاسخ‌های فرستاده از شنوا", "Replies sent from Shenava"),
    "reply.status.reply_pending": ("در صف (تلاش دوباره)", "queued (will retry)"),
    "reply.status.reply_sending": ("در حال ارسال", "sending"),
    "reply.status.reply_sent": ("فرستاده شد", "sent"),
    "reply.status.reply_failed": ("ناموفق", "failed"),
    "reply.status.reply_unknown": ("نامعلوم: در منبع بررسی کنید", "unknown: check at the source"),
    "audit.reply_queued": ("پاسخی در صف ارسال گذاشت", "queued a reply"),
    # history lines (audit actions)
    "audit.reply": ("پاسخ داد", "replied"),
    "audit.acknowledge": ("دید", "acknowledged"),
    "audit.assign": ("واگذار کرد به {to}", "assigned to {to}"),
    "audit.assign_team": ("واگذار کرد به تیم {team}", "assigned to team {team}"),
    # teams (the admin manages them)
    "nav.teams": ("تیم‌ها", "Teams"),
    "teams.title": ("تیم‌های پشتیبانی", "Support teams"),
    "teams.none": ("هنوز تیمی نیست.", "No teams yet."),
    "teams.no_members": ("عضوی ندارد.", "No members."),
    "teams.member": ("عضو", "Member"),
    "teams.add_member": ("افزودن عضو", "Add member"),
    "teams.remove_member": ("برداشتن", "Remove"),
    "teams.remove": ("حذف تیم", "Delete team"),
    "teams.add": ("تیم تازه", "New team"),
    "teams.name": ("نام (لاتین)", "Name (Latin)"),
    "teams.display_name": ("نام نمایشی", "Display name"),
    "audit.snooze": ("تا {until} به تعویق انداخت", "snoozed until {until}"),
    "audit.resolve": ("حل‌شده اعلام کرد", "resolved"),
    "audit.note": ("یادداشت گذاشت", "added a note"),
    "audit.not_relevant": ("نامرتبط اعلام کرد", "marked not relevant"),
    "audit.raised": ("هشدار ثبت شد", "alert raised"),
    "audit.sla_escalated": ("مهلت پاسخ گذشت؛ به مسیر پیگیری فرستاده شد", "deadline passed; escalated"),
    # time
    "time.minutes_ago": ("{n} دقیقه پیش", "{n} min ago"),
    "time.hours_ago": ("{n} ساعت پیش", "{n} h ago"),
    "time.days_ago": ("{n} روز پیش", "{n} d ago"),
    "time.just_now": ("همین حالا", "just now"),
    # explore (issue 13)
    "nav.explore": ("کاوش", "Explore"),
    "explore.title": ("کاوش در بایگانی", "Explore the archive"),
    "explore.query": ("جستجو", "Query"),
    "explore.search": ("جستجو", "Search"),
    "explore.help": (
        "مثال: (دیر OR سرد) brand:sabzino -lang:en date:1405/09/01..1405/09/10 — "
        "«غذا NEAR/3 سرد»، ‎reach>=1000‎، sentiment:negative — «میرسه» «می‌رسه» را هم پیدا می‌کند",
        "Example: (late OR cold) brand:sabzino -lang:en date:2026-11-22..2026-12-01 — "
        "food NEAR/3 cold, reach>=1000, sentiment:negative — «میرسه» also finds «می‌رسه»",
    ),
    "explore.total": ("{n} اشاره", "{n} mentions"),
    "explore.none": ("هیچ اشاره‌ای با این جستجو پیدا نشد.", "No mention matches this query."),
    "explore.open": ("باز کردن", "Open"),
    "explore.compare": ("مقایسه با", "Compare with"),
    "explore.compare_help": (
        "جستجوی دوم، مثلاً همین جستجو با date: دورهٔ قبل",
        "A second query, e.g. the same with the previous period's date:",
    ),
    "explore.query_error_at": (
        "خطا در جستجو، ستون {column}: {reason}",
        "Query error at column {column}: {reason}",
    ),
    "explore.qerr.close": ("«)» کم است", "')' expected"),
    "explore.qerr.unexpected": ("«{token_text}» این‌جا بی‌جاست", "unexpected '{token_text}'"),
    "explore.qerr.operand": (
        "پس از {op} یک واژه، عبارت یا «(» لازم است",
        "a word, phrase or '(' expected after {op}",
    ),
    "explore.qerr.empty": ("پرانتز خالی است", "empty parentheses"),
    "explore.qerr.depth": ("پرانتزها بیش از اندازه تو در تو هستند", "too many nested parentheses"),
    "explore.qerr.near_n": ("NEAR/n عددی از ۰ تا {max} می‌خواهد", "NEAR/n needs a number from 0 to {max}"),
    "explore.qerr.near_terms": ("NEAR دو واژه یا عبارت را به هم می‌پیوندد", "NEAR joins two words or phrases"),
    "explore.qerr.near_chain": ("میان دو گروه NEAR از AND استفاده کنید", "use AND between NEAR groups"),
    "explore.qerr.sentiment": (
        "احساس یکی از negative، neutral یا positive است",
        "sentiment is negative, neutral or positive",
    ),
    "explore.qerr.date": ("تاریخ «{value}» خوانا نیست", "the date '{value}' cannot be read"),
    "explore.qerr.date_order": ("بازهٔ تاریخ پیش از آغازش تمام می‌شود", "the date range ends before it starts"),
    "explore.qerr.number": ("{field} یک عدد صحیح می‌خواهد", "{field} needs a whole number"),
    "explore.qerr.value": ("{field}: مقدار لازم است", "{field}: needs a value"),
    "explore.qerr.no_words": ("جستجو هیچ حرف یا رقمی ندارد", "the query has no letters or digits"),
    "explore.qerr.only_not": (
        "جستجو باید دست‌کم یک واژه برای یافتن داشته باشد، نه فقط استثنا",
        "a query needs something to include, not only exclusions",
    ),
    "explore.qerr.too_many": ("واژه‌ها و عبارت‌های جستجو بیش از اندازه است", "too many words and phrases"),
    "explore.chart.volume": ("حجم روزانه به تفکیک احساس", "Daily volume by sentiment"),
    "explore.chart.sentiment": ("سهم احساس", "Sentiment share"),
    "explore.chart.touchpoints": ("نقاط تماس", "Touchpoints"),
    "explore.chart.source": ("منبع", "Sources"),
    # a mention's language (nlp.language), as the explore chart and its filter name it
    "lang.fa": ("فارسی", "Persian"),
    "lang.finglish": ("فینگلیش", "Finglish"),
    "lang.en": ("انگلیسی", "English"),
    "lang.ar": ("عربی", "Arabic"),
    "lang.other": ("زبان‌های دیگر", "Other languages"),
    "explore.chart.lang": ("زبان", "Languages"),
    "explore.chart.authors_volume": ("پرکارترین نویسندگان", "Top authors by mentions"),
    "explore.chart.authors_reach": ("نویسندگان پرمخاطب", "Top authors by reach"),
    "explore.chart.terms": ("واژه‌های پرتکرار", "Top terms"),
}

# the names alert messages use for touchpoints, urgency reasons and sources: a page and a Telegram
# alert about the same mention say the same words
MESSAGES.update(
    {k: v for k, v in ALERT_MESSAGES.items() if k.startswith(("touchpoint.", "reason.", "source."))}
)
MESSAGES.update(SEARCHES_MESSAGES)  # the saved-searches pages

__all__ = ["LANGUAGES", "MESSAGES", "MONTHS", "MissingMessage", "label", "translator"]


class MissingMessage(KeyError):
    """A template asked for a key that is not in the catalogue."""


def translator(language: str) -> Callable[..., str]:
    """``t(key, **values)`` in ``language`` (fa or en)."""
    index = LANGUAGES.index(language)

    def t(key: str, **values: object) -> str:
        try:
            text = MESSAGES[key][index]
        except KeyError:
            raise MissingMessage(key) from None
        return text.format(**values) if values else text

    return t


def label(language: str, group: str, value: str | None) -> str:
    """A code (``severity.high``, ``touchpoint.delivery``) in words; the code itself if unknown."""
    entry = MESSAGES.get(f"{group}.{value}")
    return entry[LANGUAGES.index(language)] if entry else (value or "")
