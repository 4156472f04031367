"""The words of the saved-searches pages (``/searches``), Persian first; merged into
``shenava.web.messages.MESSAGES`` so the one catalogue test checks them too."""

from __future__ import annotations

SEARCHES_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.searches": ("جستجوهای ذخیره‌شده", "Saved searches"),
    "searches.title": ("جستجوهای ذخیره‌شده", "Saved searches"),
    "searches.new": ("جستجوی تازه", "New saved search"),
    "searches.edit": ("ویرایش جستجو", "Edit saved search"),
    "searches.none": ("هنوز جستجویی ذخیره نشده است.", "No saved search yet."),
    "searches.name": ("نام", "Name"),
    "searches.query": ("جستجو", "Query"),
    "searches.owner": ("سازنده", "Owner"),
    "searches.sharing": ("هم‌رسانی", "Shared with"),
    "searches.sharing.private": ("فقط خودم", "only me"),
    "searches.sharing.team": ("تیم", "a team"),
    "searches.sharing.everyone": ("همه", "everyone"),
    "searches.team": ("تیم", "Team"),
    "searches.rule": ("قاعدهٔ هشدار", "Alert rule"),
    "searches.rule_enabled": ("هشدار روشن باشد", "Alert on"),
    "searches.rule_off": ("خاموش", "off"),
    "searches.rule_per_hour": ("دست‌کم این تعداد اشاره در یک ساعت", "At least this many mentions in an hour"),
    "searches.rule_min_followers": (
        "هر اشاره از نویسنده‌ای با دست‌کم این تعداد دنبال‌کننده",
        "Any mention by an author with at least this many followers",
    ),
    "searches.rule_summary_per_hour": ("≥ {n} اشاره در ساعت", "≥ {n} mentions per hour"),
    "searches.rule_summary_followers": ("نویسنده با ≥ {n} دنبال‌کننده", "author with ≥ {n} followers"),
    "searches.rule_help": (
        "ساعت‌ها به وقت تهران و بر پایهٔ زمان خود اشاره‌ها شمرده می‌شوند؛ "
        "هر قاعده در هر ساعت یک بار هشدار می‌دهد و هشدار در صندوق پشتیبانی می‌نشیند.",
        "Hours are Tehran clock hours of the mentions' own time; "
        "each rule alerts once per hour, into the support inbox.",
    ),
    "searches.fired": ("آخرین هشدار", "Last alert"),
    "searches.fired_count": ("{n} هشدار", "{n} alerts"),
    "searches.save": ("ذخیره", "Save"),
    "searches.delete": ("حذف", "Delete"),
    "searches.open": ("نمایش نتایج", "Show results"),
    "searches.saved": ("جستجو ذخیره شد.", "Saved."),
    "searches.deleted": ("جستجو حذف شد.", "Deleted."),
    "searches.save_this": ("ذخیرهٔ این جستجو", "Save this search"),
    "searches.err.name": ("نام لازم است (تا ۲۰۰ نویسه).", "A name is needed (up to 200 characters)."),
    "searches.err.name_taken": (
        "جستجویی با این نام دارید.",
        "You already have a saved search with this name.",
    ),
    "searches.err.query": ("جستجو لازم است (تا ۱۰۰۰ نویسه).", "A query is needed (up to 1000 characters)."),
    "searches.err.sharing": ("هم‌رسانی نامعتبر است.", "Unknown sharing."),
    "searches.err.team": ("برای هم‌رسانی با تیم، تیم را برگزینید.", "Choose the team to share with."),
    "searches.err.rule_per_hour": (
        "برای هشدار، تعداد اشاره در ساعت (عدد صحیح از ۱) یا تعداد دنبال‌کننده را بنویسید.",
        "For an alert, give mentions per hour (a whole number from 1) or a follower count.",
    ),
    "searches.err.rule_min_followers": (
        "تعداد دنبال‌کننده عددی صحیح از ۰ است.",
        "The follower count is a whole number from 0.",
    ),
    "searches.err.number": ("«{value}» عدد صحیح نیست.", "“{value}” is not a whole number."),
}
