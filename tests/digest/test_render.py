"""The digest's content: figures from the archive, Persian/Jalali, escaped mention text."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from alerts.digest import DigestPeriod, make_digest
from alerts.digest.render import bidi_text
from alerts.digest.words import DigestWords
from config.settings import Settings
from domain.brands import BrandSettings
from storage.repository import MentionStore
from tests.archive.corpus import corpus, save_corpus
from tests.digest.conftest import digest_settings

NOW = datetime(2024, 11, 22, 5, 30, tzinfo=UTC)


def test_periods_are_tehran_days_and_saturday_weeks() -> None:
    daily = DigestPeriod.for_day("1403-09-01")
    assert (daily.first, daily.days, daily.previous.first) == (date(2024, 11, 21), 1, date(2024, 11, 20))
    assert daily.range.start == datetime(2024, 11, 20, 20, 30, tzinfo=UTC)
    weekly = DigestPeriod.for_day("2024-11-21", "weekly")
    assert weekly.first == date(2024, 11, 16) and weekly.first.weekday() == 5  # Saturday
    assert DigestWords().period(weekly) == "۲۶ آبان ۱۴۰۳ تا ۲ آذر ۱۴۰۳"
    assert DigestPeriod.last_complete(NOW, "daily").first == date(2024, 11, 21)
    assert daily.slug() == "daily-1403-09-01"


def test_daily_digest_figures(engine: Engine, digest_archive: dict[str, int]) -> None:
    rendered = make_digest(digest_settings(), engine, DigestPeriod.for_day("1403-09-01"), now=NOW)
    sabzino = next(b for b in rendered.digest.brands if b.brand == "sabzino")
    assert [b.brand for b in rendered.digest.brands] == ["sabzino", "nobank"]  # competitors get no section
    assert (sabzino.current.total, sabzino.previous.total) == (7, 1)  # a1 a2 a3 a5 a6 a7 h1 vs b1
    assert [(v.brand, v.mentions) for v in sabzino.voice] == [("sabzino", 7), ("tazeh", 1)]
    assert sabzino.themes[0].aspect == "delivery" and sabzino.themes[0].count == 3
    assert sabzino.themes[0].examples[0].external_id == "h1"  # highest reach first
    assert [p.external_id for p in sabzino.praise] == ["a3", "a7"]
    assert len(sabzino.trend) == 14 and sabzino.trend[-1].day == date(2024, 11, 21)
    first, second = sabzino.incidents
    assert (first.tta.total_seconds(), first.ttr.total_seconds()) == (12 * 60, 125 * 60)
    assert second.tta is None and second.status == "open"
    # the touchpoints the incident's alert named, not only the series that opened it
    assert (first.touchpoints, second.touchpoints) == (["delivery"], ["delivery", "support"])


def test_html_is_rtl_jalali_and_escaped(engine: Engine, digest_archive: dict[str, int]) -> None:
    html = make_digest(digest_settings(), engine, DigestPeriod.for_day("1403-09-01"), now=NOW).html
    assert '<html dir="rtl" lang="fa">' in html
    assert "۱ آذر ۱۴۰۳" in html and "سبزینو" in html and "<svg" in html
    assert "<img" not in html and "&lt;<bdi" in html  # the hostile tag is shown as text
    assert "\u202e" not in html  # a hostile right-to-left override cannot flip the page
    assert '<bdi dir="ltr">@sabzino_support</bdi>' in html
    assert '<bdi dir="ltr">https://sabzino.ir/o?a=1&amp;b=2</bdi>' in html
    assert "۱۲ دقیقه" in html and "۲ ساعت و ۵ دقیقه" in html  # TTA / TTR of the incident
    assert "<td>ارسال و تحویل، پشتیبانی</td>" in html  # the support-series incident names both


def test_a_quote_names_its_source_in_the_digests_language(
    engine: Engine, digest_archive: dict[str, int]
) -> None:
    # a quoted complaint ended in the stored code («— @ali · x») where the alerts say «ایکس (توییتر)»
    period = DigestPeriod.for_day("1403-09-01")
    for language in ("fa", "en"):
        html = make_digest(digest_settings(language=language), engine, period, now=NOW).html
        shown = re.findall(r'<span class="meta">— <bdi[^>]*>@[^<]*</bdi>[^<]*<bdi[^>]*>([^<]*)</bdi>', html)
        codes = {"x", "instagram", "telegram"}
        assert shown and set(shown) <= {DigestWords(language).label("source", code) for code in codes}
        assert not codes & set(shown), shown


def test_net_sentiment_is_a_percent_as_on_the_dashboard(
    engine: Engine, digest_archive: dict[str, int]
) -> None:
    # The digest wrote net sentiment as a fraction (-0.61) beside the dashboard's -61% for the same
    # day; its change is in percentage points, not a relative change like the volume's.
    period = DigestPeriod.for_day("1403-09-01")
    for language, points in (("fa", "واحد درصد"), ("en", "pts")):
        rendered = make_digest(digest_settings(language=language), engine, period, now=NOW)
        sabzino = next(b for b in rendered.digest.brands if b.brand == "sabzino")
        words = DigestWords(language)
        now = words.percent(sabzino.current.net, signed=True)
        before = words.percent(sabzino.previous.net, signed=True)
        assert now.endswith("٪" if language == "fa" else "%") and now[0] in "+-", now
        assert f'<span class="kpi"><bdi dir="ltr">{now}</bdi></span>' in rendered.html
        change = words.alerts.digits(f"{round(100 * sabzino.net_change):+d}")
        assert f'<bdi dir="ltr">{change}</bdi> {points}</span>' in rendered.html
        assert words.t("text.net", now=now, before=before) in rendered.text


def test_text_part_has_the_headline_figures(engine: Engine, digest_archive: dict[str, int]) -> None:
    text = make_digest(digest_settings(), engine, DigestPeriod.for_day("1403-09-01"), now=NOW).text
    assert "گزارش روزانه شنوا" in text and "سبزینو" in text and "۷ اشاره" in text
    assert "<" not in text.replace("<img", "")  # no markup besides the quoted hostile text, none at all here
    # each incident says what it was about, as the HTML part's table does
    assert "رخداد #۲ (بحرانی) دربارهٔ ارسال و تحویل، پشتیبانی: زمان تا تأیید" in text, text
    assert "رخداد #۱ (زیاد) دربارهٔ ارسال و تحویل: زمان تا تأیید" in text


def test_helpers() -> None:
    assert "<b>" not in str(bidi_text("<b>x</b>")) and str(bidi_text("سلام")) == "سلام"
    assert DigestWords().duration(None) == "—"
    long_text = bidi_text("ا" * 1000)
    assert len(str(long_text)) < 300


def test_weekly_digest_covers_saturday_to_friday(engine: Engine, digest_archive: dict[str, int]) -> None:
    rendered = make_digest(digest_settings(), engine, DigestPeriod.for_day("1403-09-01", "weekly"), now=NOW)
    sabzino = rendered.digest.brands[0]
    # Sat 1403-08-26 … Fri 1403-09-02: everything but d1 (the week after)
    assert (sabzino.current.total, sabzino.previous.total, sabzino.volume_change) == (11, 0, None)
    assert len(sabzino.trend) == 28 and sabzino.trend[-1].day == date(2024, 11, 22)
    assert "گزارش هفتگی شنوا" in rendered.subject and "۲۶ آبان ۱۴۰۳ تا ۲ آذر ۱۴۰۳" in rendered.html


def test_the_brands_own_posts_are_not_quoted_and_their_names_are_not_keyphrases(
    engine: Engine, digest_archive: dict[str, int], store: MentionStore
) -> None:
    """An apology by the brand's support account and its own advert reach the most people that day;
    with the account configured they are counted but not quoted as a complaint or as praise."""
    day = corpus()[0]["at"]
    save_corpus(store, [
        corpus()[0] | {"ext": "own-apology", "author": "sabzino_support", "followers": 10**7,
                       "text": "پوزش بابت تاخیر ارسال سبزینو، پیگیری می‌کنیم", "at": day},
        corpus()[2] | {"ext": "own-ad", "author": "Sabzino", "followers": 10**7,
                       "text": "میوه تازه با ارسال رایگان از سبزینو", "at": day},
    ])  # fmt: skip
    period = DigestPeriod.for_day("1403-09-01")

    def quoted(settings: Settings) -> tuple[set[str], list[str]]:
        digest = make_digest(settings, engine, period, now=NOW).digest
        brand = next(b for b in digest.brands if b.brand == "sabzino")
        shown = {e.external_id for t in brand.themes for e in t.examples}
        return shown | {p.external_id for p in brand.praise}, [term for term, _ in brand.keyphrases]

    unconfigured, _ = quoted(digest_settings())
    assert {"own-apology", "own-ad"} <= unconfigured  # the widest reach: quoted first without handles
    settings = digest_settings()
    handles = ["@sabzino", "sabzino_support"]
    settings.brands[0] = BrandSettings(
        name="sabzino", aliases_fa=["سبزینو"], aliases_latin=["Sabzino"], handles=handles
    )
    shown, terms = quoted(settings)
    assert not {"own-apology", "own-ad"} & shown and shown
    assert not any("سبزینو" in term or "sabzino" in term for term in terms), terms


def test_customers_are_quoted_however_many_posts_the_brand_made(
    engine: Engine, digest_archive: dict[str, int], store: MentionStore
) -> None:
    """A busy day for the brand's accounts: 60 apologies and 60 adverts, each reaching more people
    than any customer. The examples were read 50 rows ahead of the few wanted, all of them the
    brand's own, so the praise and the delivery complaints were quoted with nobody (the bundled
    sample's dashboard said there was no praise at all)."""
    day = corpus()[0]["at"]
    save_corpus(store, [
        corpus()[0] | {"ext": f"apology-{i}", "author": "sabzino_support", "followers": 10**7,
                       "text": f"پوزش بابت تاخیر ارسال، سفارش {i} پیگیری شد", "at": day}
        for i in range(60)
    ] + [
        corpus()[2] | {"ext": f"ad-{i}", "author": "sabzino", "sentiment": "positive", "followers": 10**7,
                       "text": f"میوه تازه با ارسال رایگان از سبزینو {i}", "at": day}
        for i in range(60)
    ])  # fmt: skip
    settings = digest_settings()
    settings.brands[0] = BrandSettings(
        name="sabzino", aliases_fa=["سبزینو"], handles=["sabzino", "sabzino_support"]
    )
    digest = make_digest(settings, engine, DigestPeriod.for_day("1403-09-01"), now=NOW).digest
    brand = next(b for b in digest.brands if b.brand == "sabzino")
    delivery = next(t for t in brand.themes if t.aspect == "delivery")
    for quoted in (delivery.examples, brand.praise):
        assert quoted and all(q.author_handle not in ("sabzino", "sabzino_support") for q in quoted), quoted


def test_one_headline_carried_by_several_outlets_is_quoted_once(
    engine: Engine, digest_archive: dict[str, int], store: MentionStore
) -> None:
    """Two news accounts post the same headline with their own links; both reach more people than any
    customer. The complaint theme quotes it once and fills the other place with a customer's words."""
    day = corpus()[0]["at"]
    headline = "اختلال در سرویس ارسال سبزینو؛ سفارش‌های کاربران ساعت‌ها با تاخیر تحویل شد"
    save_corpus(store, [
        corpus()[0] | {"ext": f"news-{i}", "author": f"outlet{i}", "followers": 10**9 - i,
                       "text": f"{headline} https://outlet{i}.example/n/{i}", "at": day}
        for i in (1, 2)
    ])  # fmt: skip
    digest = make_digest(digest_settings(), engine, DigestPeriod.for_day("1403-09-01"), now=NOW).digest
    delivery = next(t for t in digest.brands[0].themes if t.aspect == "delivery")
    quoted = [e.external_id for e in delivery.examples]
    assert quoted[0] == "news-1" and "news-2" not in quoted and len(quoted) == 2, quoted


def test_a_day_without_mentions_is_a_gap_in_the_net_sentiment_line() -> None:
    from alerts.digest.charts import line_chart

    svg = line_chart([("a", 0.5), ("b", None), ("c", -0.2), ("d", 0.1)], "net")
    assert svg.count("<circle") == 3  # no point for the empty day, and none at zero
    lines = re.findall(r'<polyline points="([^"]*)"', svg)
    assert len(lines) == 1 and len(lines[0].split()) == 2  # «a» stands alone; «c»–«d» are joined
    assert "<polyline" not in line_chart([("a", None), ("b", None)], "net")


def test_each_brand_is_compared_with_its_own_competitors(
    engine: Engine, digest_archive: dict[str, int]
) -> None:
    """A bank is not a grocer's rival: a brand's ``competitors`` list, where set, replaces every
    brand marked competitor, and a brand with none shows no lone 100% share of voice."""
    settings = digest_settings()
    sabzino, nobank, _tazeh = settings.brands
    sabzino.competitors = ["tazeh", "nobank"]
    nobank.competitors = []
    rendered = make_digest(settings, engine, DigestPeriod.for_day("1403-09-01"), now=NOW)
    voice = {b.brand: [v.brand for v in b.voice] for b in rendered.digest.brands}
    assert sorted(voice["sabzino"]) == ["nobank", "sabzino", "tazeh"] and voice["nobank"] == ["nobank"]
    nobank_section = rendered.html.split('id="brand-nobank"')[1]
    assert "رقیبی برای این برند تعریف نشده است" in nobank_section and "تازه‌مارکت" not in nobank_section
    assert "رقیبی" not in rendered.html.split('id="brand-nobank"')[0]  # sabzino's table is there
    sabzino_text, nobank_text = rendered.text.split("■")[1:]
    assert "سهم صدا" in sabzino_text and "تازه‌مارکت" in sabzino_text
    assert "سهم صدا" not in nobank_text and "تازه‌مارکت" not in nobank_text
    # unset: every brand marked competitor, as before
    rendered = make_digest(digest_settings(), engine, DigestPeriod.for_day("1403-09-01"), now=NOW)
    assert {b.brand: {v.brand for v in b.voice} for b in rendered.digest.brands} == {
        "sabzino": {"sabzino", "tazeh"},
        "nobank": {"nobank", "tazeh"},
    }


def test_a_complaint_naming_two_touchpoints_is_quoted_once(engine: Engine, store: MentionStore) -> None:
    """The sample's digest quoted «موز تاریخ گذشته برام فرستادن» under delivery and again under
    quality while other quality complaints went unshown: each theme now prefers a complaint no
    theme above it quoted, and repeats one only when it has nothing else."""
    from tests.archive.corpus import DAY1, _m

    at = DAY1.replace(hour=8)
    rows = [
        _m("both", "موز تاریخ گذشته برام فرستادن سبزینو", at, ["sabzino"], "negative",
           aspects=("delivery", "quality", "price"), followers=9000, author="a"),
        _m("late", "سبزینو سه ساعت دیر آورد", at, ["sabzino"], "negative",
           aspects=("delivery",), followers=500, author="b"),
        _m("rotten", "سیب سبزینو له شده بود", at, ["sabzino"], "negative",
           aspects=("quality",), followers=100, author="c"),
        _m("cold", "سبزینو غذا سرد و پول هم برنگشت", at, ["sabzino"], "negative",
           aspects=("delivery", "payment"), followers=50, author="d"),
    ]  # fmt: skip
    ids = save_corpus(store, rows)
    name_of = {i: ext for ext, i in ids.items()}
    digest = make_digest(digest_settings(examples=1), engine, DigestPeriod.for_day("1403-09-01"), now=NOW)
    shown = {t.aspect: [name_of[h.id] for h in t.examples] for t in digest.digest.brands[0].themes}
    assert shown["delivery"] == ["both"]  # highest reach first, as before
    assert shown["quality"] == ["rotten"]  # not «both» again
    assert shown["payment"] == ["cold"]
    assert shown["price"] == ["both"]  # its only complaint: repeated rather than none
