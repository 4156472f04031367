"""The words of the explore page's toggles and downloads and of the brand dashboards (issue 13),
Persian first and English beside them. Importing this module adds them to the one catalogue
(``shenava.web.messages.MESSAGES``); the explore and dashboard routes import it."""

from __future__ import annotations

from shenava.web.messages import MESSAGES as CATALOGUE

MESSAGES: dict[str, tuple[str, str]] = {
    # explore: volume toggle, downloads
    "explore.chart.volume_hour": ("حجم ساعتی به تفکیک احساس", "Hourly volume by sentiment"),
    "explore.chart.volume_day": ("حجم روزانه به تفکیک احساس", "Daily volume by sentiment"),
    "explore.chart.volume_week": ("حجم هفتگی به تفکیک احساس", "Weekly volume by sentiment"),
    "explore.bucket": ("بازه", "Per"),
    "explore.bucket.hour": ("ساعت", "Hour"),
    "explore.bucket.day": ("روز", "Day"),
    "explore.bucket.week": ("هفته", "Week"),
    "explore.too_many_buckets": (
        "ساعت‌ها بیش از اندازه است؛ با date: بازه را کوتاه کنید یا روزانه ببینید",
        "Too many hours; narrow the dates with date: or view per day",
    ),
    "explore.export": ("دریافت نتایج", "Download results"),
    "explore.export_note": (
        "نام ستون‌ها انگلیسی است تا نرم‌افزارها بخوانند؛ حداکثر {cap} ردیف",
        "Column names are English field names for software; at most {cap} rows",
    ),
    "explore.download": ("دریافت نمودار", "Download chart"),
    "chart.unknown": ("چنین نموداری نیست.", "No such chart."),
    # dashboards
    "nav.dashboards": ("داشبورد برند", "Brand dashboard"),
    "dash.title": ("داشبورد برند", "Brand dashboard"),
    "dash.brand": ("برند", "Brand"),
    "dash.period": ("دوره", "Period"),
    "dash.days": ("{n} روز گذشته", "Last {n} days"),
    "dash.from": ("از (شمسی)", "From (Jalali)"),
    "dash.to": ("تا (شمسی)", "To (Jalali)"),
    "dash.show": ("نمایش", "Show"),
    "dash.range": ("{first} تا {last}", "{first} to {last}"),
    "dash.no_brands": ("هیچ برندی در پیکربندی نیست.", "No brand is configured."),
    "dash.bad_brand": ("برند «{brand}» در پیکربندی نیست.", "The brand '{brand}' is not configured."),
    "dash.bad_date": (
        "تاریخ «{value}» خوانا نیست؛ مثلاً ۱۴۰۳/۰۹/۰۱",
        "Cannot read the date '{value}'; e.g. 1403/09/01",
    ),
    "dash.bad_order": ("پایان دوره پیش از آغاز آن است.", "The period ends before it starts."),
    "dash.too_long": ("دوره حداکثر {n} روز است.", "A period is at most {n} days."),
    "dash.volume": ("حجم اشاره‌ها", "Mentions"),
    "dash.net": ("احساس خالص", "Net sentiment"),
    "dash.vs_previous": ("دورهٔ قبل: {value}", "previous period: {value}"),
    "dash.negative_share": ("سهم منفی", "Negative share"),
    "dash.voice": ("سهم صدا در برابر رقبا", "Share of voice against competitors"),
    "dash.no_rivals": (
        "رقیبی برای این برند تعریف نشده است، پس سهم صدا نشان داده نمی‌شود (competitors در تنظیمات برند).",
        "No competitors are set for this brand, so there is no share of voice (competitors in the brand's "
        "settings).",
    ),
    "dash.voice_trend": ("سهم صدا در طول زمان", "Share of voice over time"),
    "dash.net_trend": ("روند احساس خالص (٪)", "Net sentiment trend (%)"),
    "dash.volume_trend": ("حجم به تفکیک احساس", "Volume by sentiment"),
    "dash.themes": ("موضوع‌های شکایت", "Complaint themes"),
    "dash.theme_row": ("{count} اشارهٔ منفی (دورهٔ قبل {previous})", "{count} negative (previous {previous})"),
    "dash.keyphrases": ("واژه‌های پررنگ در شکایت‌ها", "Words standing out in complaints"),
    "dash.praise": ("ستایش‌ها", "Praise"),
    "dash.none": ("در این دوره چیزی نیست.", "Nothing in this period."),
    "dash.latest": (
        "در این دوره اشاره‌ای به این برند نیست؛ تازه‌ترین اشاره در {day} است.",
        "No mention of this brand in this period; the newest is on {day}.",
    ),
    "dash.latest_show": ("نمایش ۷ روزِ تا آن روز", "Show the 7 days up to it"),
    "dash.open_explore": ("دیدن در کاوش", "See in explore"),
    "dash.incidents": ("رخدادها", "Incidents"),
}

CATALOGUE.update(MESSAGES)
