"""Digest → right-to-left Persian HTML (e-mail and standalone file) and a plain-text part.

Jinja2 autoescapes everything; mention text additionally loses bidi controls (a hostile RLO
would flip the page) and gets ``<bdi>`` around @handles, URLs and Latin runs so they keep
their own direction inside Persian sentences.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from html import escape
from zoneinfo import ZoneInfo

import jdatetime
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from alerts.digest.charts import SENTIMENT_COLOURS, StackedPoint, line_chart, stacked_chart
from alerts.digest.data import BrandDigest, Digest
from alerts.digest.period import jalali_long, jalali_short
from alerts.messages import Words
from alerts.sla_report import SlaFigures
from storage.search_dates import to_persian_digits

ASPECTS_FA = {
    "delivery": "ارسال و تحویل", "price": "قیمت", "support": "پشتیبانی", "quality": "کیفیت",
    "app": "اپلیکیشن", "payment": "پرداخت", "staff": "کارکنان",
}  # fmt: skip
SEVERITY_FA = {"low": "کم", "medium": "متوسط", "high": "زیاد", "critical": "بحرانی"}
STATUS_FA = {"open": "باز", "resolved": "حل‌شده", "acknowledged": "تأییدشده"}
SENTIMENT_FA = {"negative": "منفی", "neutral": "خنثی", "positive": "مثبت"}
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))
_LTR_RUN = re.compile(
    r"https?://\S+|www\.\S+"
    r"|[@#]?[A-Za-z][\w.@'’-]*(?:[ ,.]+(?!https?://|www\.)[@#]?[A-Za-z0-9][\w.@'’-]*)*"
)
MAX_EXCERPT = 280


def fa_number(value: float | int, digits: int = 0) -> str:
    text = f"{value:,.{digits}f}".replace(",", "٬")
    return to_persian_digits(text)


def fa_percent(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    text = f"{value * 100:+.0f}" if signed else f"{value * 100:.0f}"
    return to_persian_digits(text) + "٪"


def fa_signed(value: float) -> str:
    return to_persian_digits(f"{value:+.2f}").replace(".", "٫")


def _ltr(text: str) -> Markup:
    """A signed figure kept left-to-right, so its sign stays in front of it in a Persian line."""
    return Markup(f'<bdi dir="ltr">{escape(text)}</bdi>')


def fa_duration(value: timedelta | None) -> str:
    if value is None:
        return "—"
    minutes = max(0, round(value.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{to_persian_digits(hours)} ساعت و {to_persian_digits(minutes)} دقیقه"
    if hours:
        return f"{to_persian_digits(hours)} ساعت"
    return f"{to_persian_digits(minutes)} دقیقه"


def bidi_text(text: str | None, limit: int = MAX_EXCERPT) -> Markup:
    """Escaped mention text with bidi controls removed and LTR runs isolated in ``<bdi>``."""
    clean = (text or "").translate(_BIDI_CONTROLS)
    clean = " ".join(clean.split())
    if len(clean) > limit:
        clean = clean[: limit - 1] + "…"
    out: list[str] = []
    last = 0
    for match in _LTR_RUN.finditer(clean):
        out.append(escape(clean[last : match.start()]))
        out.append(f'<bdi dir="ltr">{escape(match.group(0))}</bdi>')
        last = match.end()
    out.append(escape(clean[last:]))
    return Markup("".join(out))


def bdi(text: str | None) -> Markup:
    """A handle, URL or any Latin value, isolated."""
    return Markup(f"<bdi>{escape(text or '')}</bdi>")


def local_time(moment: datetime, tz: str) -> str:
    local = moment.astimezone(ZoneInfo(tz))
    j = jdatetime.datetime.fromgregorian(datetime=local.replace(tzinfo=None))
    return to_persian_digits(f"{jalali_long(local.date())}، {j.strftime('%H:%M')}")


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("alerts.digest", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        fa=fa_number, pct=lambda v, signed=False: _ltr(fa_percent(v, signed=signed)),
        signed=lambda v: _ltr(fa_signed(v)), duration=fa_duration, mention=bidi_text, bdi=bdi,
        aspect=lambda a: ASPECTS_FA.get(a, a), severity=lambda s: SEVERITY_FA.get(s, s),
        status=lambda s: STATUS_FA.get(s, s), sentiment=lambda s: SENTIMENT_FA.get(s, s),
    )  # fmt: skip
    return env


def _charts(brand: BrandDigest, name: str) -> dict[str, Markup]:
    points = [
        StackedPoint(
            jalali_short(p.day), {"negative": p.negative, "neutral": p.neutral, "positive": p.positive}
        )
        for p in brand.trend
    ]
    net = [
        (jalali_short(p.day), (p.positive - p.negative) / p.total if p.total else None) for p in brand.trend
    ]
    return {
        "volume": Markup(stacked_chart(points, f"حجم روزانهٔ اشاره‌ها به {name}", colours=SENTIMENT_COLOURS)),
        "net": Markup(line_chart(net, f"احساس خالص روزانهٔ {name}")),
    }


def subject(digest: Digest) -> str:
    kind = "روزانه" if digest.period.kind == "daily" else "هفتگی"
    return f"گزارش {kind} شنوا — {digest.period.label()}"


def sla_line(figures: SlaFigures | None) -> str:
    """«۸۰٪ در مهلت (۴ از ۵)؛ ۱ مورد دیرتر از مهلت», or the words for none due (alerts.messages)."""
    words = Words("fa")
    if figures is None or not figures.total:
        return words.t("sla.none")
    return words.t(
        "sla.digest_line",
        percent=words.percent(figures.met_share),
        met=words.number(figures.met),
        total=words.number(figures.total),
        breached=words.number(figures.breached),
    )


def render_html(digest: Digest, display_names: dict[str, str] | None = None) -> str:
    """The complete HTML document (used both as the e-mail body and as the standalone file)."""
    names = display_names or {}
    sections = [
        {"d": b, "name": names.get(b.brand, b.brand), "charts": _charts(b, names.get(b.brand, b.brand))}
        for b in digest.brands
    ]
    tz = digest.period.tz
    return _env().get_template("digest.html").render(
        title=subject(digest), period=digest.period, sections=sections, names=names,
        generated=local_time(digest.generated_at, tz), when=lambda m: local_time(m, tz),
        colours=SENTIMENT_COLOURS, sla_line=sla_line, sla_title=Words("fa").t("sla.digest_title"),
    )  # fmt: skip


def render_text(digest: Digest, display_names: dict[str, str] | None = None) -> str:
    """The plain-text alternative: the same headline figures, no charts."""
    names = display_names or {}
    lines = [subject(digest), ""]
    for b in digest.brands:
        name = names.get(b.brand, b.brand)
        lines += [
            f"■ {name}",
            f"  حجم: {fa_number(b.current.total)} اشاره (تغییر {fa_percent(b.volume_change, signed=True)})",
            f"  احساس خالص: {fa_signed(b.current.net)} (دورهٔ قبل {fa_signed(b.previous.net)})",
            "  سهم صدا: "
            + "، ".join(f"{names.get(v.brand, v.brand)} {fa_percent(v.share)}" for v in b.voice),
        ]
        if b.themes:
            themes = [f"{ASPECTS_FA.get(t.aspect, t.aspect)} ({fa_number(t.count)})" for t in b.themes]
            lines.append("  گلایه‌ها: " + "، ".join(themes))
        if b.keyphrases:
            lines.append("  عبارت‌های پرتکرار: " + "، ".join(term for term, _ in b.keyphrases))
        lines.append(f"  {Words('fa').t('sla.digest_title')}: {sla_line(b.sla)}")
        for i in b.incidents:
            lines.append(
                f"  رخداد #{to_persian_digits(i.id)} ({SEVERITY_FA.get(i.severity, i.severity)}): "
                f"زمان تا تأیید {fa_duration(i.tta)}، زمان تا حل {fa_duration(i.ttr)}"
            )
        lines.append("")
    lines.append(f"تهیه‌شده در {local_time(digest.generated_at, digest.period.tz)}")
    return "\n".join(lines)
