"""Digest → HTML (e-mail and standalone file) and a plain-text part, in the digest's language:
Persian right to left by default, English left to right (``digest.language``).

Jinja2 autoescapes everything; mention text additionally loses bidi controls (a hostile RLO
would flip the page) and gets ``<bdi>`` around @handles, URLs and Latin runs so they keep
their own direction inside Persian sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from html import escape

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from alerts.digest.charts import SENTIMENT_COLOURS, StackedPoint, line_chart, stacked_chart
from alerts.digest.data import BrandDigest, Digest
from alerts.digest.words import DigestWords
from alerts.messages import LANGUAGES
from alerts.sla_report import SlaFigures

_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))
#: a left-to-right run inside Persian text (a link, a @handle, English words): isolated in
#: ``<bdi dir="ltr">`` wherever mention text is shown, so its «@» and punctuation stay with it and an
#: enclosing ``dir="auto"`` reads the first Persian letter, not the handle a Persian text opens with
_LTR_RUN = re.compile(
    r"https?://\S+|www\.\S+"
    r"|[@#]?[A-Za-z][\w.@'’-]*(?:[ ,.]+(?!https?://|www\.)[@#]?[A-Za-z0-9][\w.@'’-]*)*"
)
MAX_EXCERPT = 280


def _ltr(text: str) -> Markup:
    """A signed figure kept left-to-right, so its sign stays in front of it in a Persian line."""
    return Markup(f'<bdi dir="ltr">{escape(text)}</bdi>')


def bidi_text(text: str | None, limit: int = MAX_EXCERPT, piece: Callable[[str], str] = escape) -> Markup:
    """Escaped mention text with bidi controls removed and LTR runs isolated in ``<bdi>``.

    ``piece`` escapes each stretch of text between and inside those runs (explore's highlighter
    passes one that also marks the query's words); whatever it returns is trusted as markup."""
    clean = (text or "").translate(_BIDI_CONTROLS)
    clean = " ".join(clean.split())
    if len(clean) > limit:
        clean = clean[: limit - 1] + "…"
    out: list[str] = []
    last = 0
    for match in _LTR_RUN.finditer(clean):
        out.append(piece(clean[last : match.start()]))
        out.append(f'<bdi dir="ltr">{piece(match.group(0))}</bdi>')
        last = match.end()
    out.append(piece(clean[last:]))
    return Markup("".join(out))


def _isolated(text: str | None) -> Markup:
    """Mention text in its own direction, whatever the page's: a Persian quote on an English page
    reads right to left, and an English one on a Persian page left to right («Is @x down? My order
    …» laid right to left put its second sentence first and the «?» between them). ``auto`` reads
    the first letter outside the nested ``<bdi>``s, so a Persian text opening with a @handle is
    still Persian."""
    return Markup('<bdi dir="auto">') + bidi_text(text) + Markup("</bdi>")


def bdi(text: str | None) -> Markup:
    """A handle, URL or any Latin value, isolated."""
    return Markup(f"<bdi>{escape(text or '')}</bdi>")


@lru_cache(maxsize=len(LANGUAGES))
def _env(language: str) -> Environment:
    words = DigestWords(language)
    env = Environment(
        loader=PackageLoader("alerts.digest", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        number=words.number, pct=lambda v, signed=False: _ltr(words.percent(v, signed=signed)),
        signed=lambda v: _ltr(words.signed(v)),
        points=lambda v: Markup(words.points(v, _ltr)),  # the number alone left to right
        duration=words.duration, bdi=bdi,
        mention=_isolated,
        aspect=lambda a: words.label("touchpoint", a), severity=lambda s: words.label("severity", s),
        aspects=words.touchpoints,
        status=lambda s: words.label("status", s), sentiment=lambda s: words.label("sentiment", s),
    )  # fmt: skip
    return env


def _charts(brand: BrandDigest, name: str, words: DigestWords) -> dict[str, Markup]:
    points = [
        StackedPoint(
            words.day_short(p.day), {"negative": p.negative, "neutral": p.neutral, "positive": p.positive}
        )
        for p in brand.trend
    ]
    # a day without mentions is a gap in the line, not a zero
    net = [(words.day_short(p.day), _net(p.positive, p.negative, p.total)) for p in brand.trend]
    volume = stacked_chart(
        points, words.t("chart.volume", name=name), colours=SENTIMENT_COLOURS, language=words.language
    )
    return {
        "volume": Markup(volume),
        "net": Markup(line_chart(net, words.t("chart.net", name=name), language=words.language)),
    }


def _net(positive: int, negative: int, total: int) -> float | None:
    return (positive - negative) / total if total else None


def subject(digest: Digest, language: str = "fa") -> str:
    return DigestWords(language, digest.period.tz).subject(digest.period)


def sla_line(figures: SlaFigures | None, language: str = "fa") -> str:
    """«۸۰٪ در مهلت (۴ از ۵)؛ ۱ مورد دیرتر از مهلت», or the words for none due (alerts.messages)."""
    words = DigestWords(language).alerts
    if figures is None or not figures.total:
        return words.t("sla.none")
    return words.t(
        "sla.digest_line",
        percent=words.percent(figures.met_share),
        met=words.number(figures.met),
        total=words.number(figures.total),
        breached=words.number(figures.breached),
    )


def render_html(digest: Digest, display_names: dict[str, str] | None = None, language: str = "fa") -> str:
    """The complete HTML document (used both as the e-mail body and as the standalone file)."""
    names = display_names or {}
    words = DigestWords(language, digest.period.tz)
    sections = []
    for b in digest.brands:
        name = names.get(b.brand, b.brand)
        sections.append({"d": b, "name": name, "charts": _charts(b, name, words)})
    return _env(language).get_template("digest.html").render(
        title=words.subject(digest.period), period=digest.period, sections=sections, names=names,
        generated=words.moment(digest.generated_at), when=words.moment, w=words,
        colours=SENTIMENT_COLOURS, sla_line=lambda f: sla_line(f, language),
        sla_title=words.alerts.t("sla.digest_title"),
    )  # fmt: skip


def render_text(digest: Digest, display_names: dict[str, str] | None = None, language: str = "fa") -> str:
    """The plain-text alternative: the same headline figures, no charts."""
    names = display_names or {}
    words = DigestWords(language, digest.period.tz)
    comma = words.alerts.join
    lines = [words.subject(digest.period), ""]
    for b in digest.brands:
        name = names.get(b.brand, b.brand)
        lines += [
            f"■ {name}",
            "  " + words.counted("text.volume", b.current.total,
                                 change=words.percent(b.volume_change, signed=True)),
            "  " + words.t("text.net", now=words.signed(b.current.net), before=words.signed(b.previous.net)),
        ]  # fmt: skip
        if b.rivals:
            lines.append("  " + words.t("text.voice", shares=comma(
                [f"{names.get(v.brand, v.brand)} {words.percent(v.share)}" for v in b.voice])))  # fmt: skip
        if b.themes:
            themes = [f"{words.label('touchpoint', t.aspect)} ({words.number(t.count)})" for t in b.themes]
            lines.append("  " + words.t("text.complaints", themes=comma(themes)))
        if b.keyphrases:
            lines.append("  " + words.t("text.keyphrases", terms=comma([term for term, _ in b.keyphrases])))
        lines.append(f"  {words.alerts.t('sla.digest_title')}: {sla_line(b.sla, language)}")
        for i in b.incidents:
            about = (
                words.t("text.incident_about", touchpoints=words.touchpoints(i.touchpoints))
                if i.touchpoints
                else ""
            )
            lines.append(
                "  " + words.t("text.incident", id=words.alerts.digits(i.id),
                               severity=words.label("severity", i.severity), about=about,
                               tta=words.duration(i.tta), ttr=words.duration(i.ttr))
            )  # fmt: skip
        lines.append("")
    lines.append(words.t("text.generated", when=words.moment(digest.generated_at)))
    return "\n".join(lines)
