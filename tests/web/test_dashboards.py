"""Brand dashboards (issue 13): the digest's figures live for a Jalali or preset period, equal to a
direct count of the archive, each linking into explore with the filter that gives it; share of
voice against the other brands; bad input answered in Persian; hostile text escaped (both backends)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote_plus
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import Session

from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from shenava.web.dashboard_charts import net_line
from shenava.web.formatting import Formatter
from storage.models import Mention, MentionBrand
from storage.repository import MentionStore
from storage.search_dates import day_range, parse_day
from tests.archive.corpus import save_corpus
from tests.storage.factories import analysis, raw_mention
from tests.web.conftest import add_people, log_in, web_settings

#: 1403/08/26 (Saturday 2024-11-16) to 1403/09/09 (2024-11-29): the whole corpus, two Persian weeks
PERIOD = {"brand": "sabzino", "from": "1403/08/26", "to": "1403/09/09"}
HOSTILE = "<img src=x onerror=alert(1)> سبزینو عالی \u202eمعکوس"


def client_for(engine: Engine, store: MentionStore, **web: object) -> TestClient:
    add_people(engine)
    save_corpus(store)
    at = datetime(2024, 11, 25, 9, tzinfo=UTC)
    praise = raw_mention(900, text=HOSTILE, author_followers=10**7, created_at=at)
    now = raw_mention(901, text="سبزینو امروز", created_at=datetime.now(UTC) - timedelta(minutes=5))
    store.save_batch([
        (praise, analysis(HOSTILE, sentiment=_positive(), aspects=[])),
        (now, analysis("سبزینو امروز", sentiment=_positive(), aspects=[])),
    ], None)  # fmt: skip
    return TestClient(create_app(web_settings(**web), engine, ApiKeyRing.parse("")))


def _positive():  # type: ignore[no-untyped-def]
    from domain.analysis import SentimentResult

    return SentimentResult(label="positive", score=0.8, probs={"positive": 0.9})


@pytest.fixture
def analyst(engine: Engine, store: MentionStore):  # type: ignore[no-untyped-def]
    with client_for(engine, store) as client:
        log_in(client, "ali")
        yield client


def count(engine: Engine, brand: str, first: str, last: str, sentiment: str | None = None) -> int:
    """Mentions of ``brand`` on local days first..last, straight from the tables."""
    start = day_range(parse_day(first), 1).start
    end = day_range(parse_day(last), 1).end
    where = [MentionBrand.brand == brand, Mention.created_at >= start, Mention.created_at < end]
    if sentiment:
        where.append(Mention.sentiment_label == sentiment)
    stmt = select(func.count()).select_from(MentionBrand).join(Mention, Mention.id == MentionBrand.mention_id)
    with Session(engine) as session:
        return int(session.execute(stmt.where(and_(*where))).scalar_one())


def kpi(page: str, name: str) -> str:
    found = re.search(rf'data-kpi="{name}" data-value="([^"]+)"', page)
    assert found, name
    return found.group(1)


def links(page: str, pattern: str) -> list[str]:
    return [unquote_plus(html.unescape(h)) for h in re.findall(pattern, page)]


def results(page: str) -> int:
    return len(re.findall(r'class="result" data-id="\d+"', page))


def test_figures_equal_a_direct_count(analyst: TestClient, engine: Engine) -> None:
    page = analyst.get("/dashboards", params=PERIOD)
    assert page.status_code == 200
    text = page.text
    total = count(engine, "sabzino", "2024-11-16", "2024-11-29")
    negative = count(engine, "sabzino", "2024-11-16", "2024-11-29", "negative")
    positive = count(engine, "sabzino", "2024-11-16", "2024-11-29", "positive")
    assert total == 12 and negative == 5  # the corpus's 11 and the hostile praise
    assert int(kpi(text, "volume")) == total and int(kpi(text, "negative")) == negative
    assert float(kpi(text, "net")) == pytest.approx((positive - negative) / total, abs=1e-4)
    # share of voice against the other configured brand (none is marked competitor)
    nobank = count(engine, "nobank", "2024-11-16", "2024-11-29")
    rows = dict(re.findall(r'<tr data-brand="(\w+)" data-mentions="(\d+)"', text))
    assert rows == {"sabzino": str(total), "nobank": str(nobank)}
    share = re.search(r'data-brand="sabzino" data-mentions="\d+" data-share="([\d.]+)"', text)
    assert share and float(share.group(1)) == pytest.approx(total / (total + nobank), abs=1e-4)
    # complaint themes: negative mentions per touchpoint
    themes = dict(re.findall(r'data-theme="(\w+)" data-count="(\d+)"', text))
    assert themes["delivery"] == "3"  # a1, a6, b1
    # Jalali dates and the charts
    assert "۱۴۰۳/۰۸/۲۶ تا ۱۴۰۳/۰۹/۰۹" in text
    for chart in ("volume", "voice_trend", "net", "voice", "themes"):
        assert f'data-chart="{chart}"' in text, chart


def test_every_figure_drills_into_explore(analyst: TestClient) -> None:
    text = analyst.get("/dashboards", params=PERIOD).text
    themes = dict(re.findall(r'data-theme="(\w+)" data-count="(\d+)"', text))
    delivery = next(h for h in links(text, r'href="(/explore\?q=[^"]+)"') if "touchpoint:delivery" in h)
    assert "brand:sabzino" in delivery and "sentiment:negative" in delivery
    assert "date:2024-11-16..2024-11-29" in delivery
    assert results(analyst.get(delivery).text) == int(themes["delivery"])
    # the volume trend's columns (one per day over 14 days) add up to the volume
    figure = re.search(r'data-chart="volume">(.*?)</figure>', text, re.S)
    assert figure
    days = links(figure.group(1), r'<a href="(/explore\?q=[^"]+)"')
    assert len(days) == 14
    assert sum(results(analyst.get(h).text) for h in days) == int(kpi(text, "volume"))


def test_a_day_without_mentions_breaks_the_net_sentiment_line() -> None:
    # as the digest's line does: a line joining the days either side would draw a trend through a
    # day that had no sentiment at all
    points = [
        ("a", 0.5, "/x?a"),
        ("b", 0.2, "/x?b"),
        ("c", None, "/x?c"),
        ("d", -0.2, "/x?d"),
        ("e", 0.1, "/x?e"),
    ]
    svg = net_line(points, "net", Formatter("fa", "Asia/Tehran"))
    lines = re.findall(r'<polyline points="([^"]*)"', svg)
    assert sorted(len(line.split()) for line in lines) == [2, 2], lines
    assert svg.count("<circle") == 4 and 'href="/x?c"' not in svg  # the empty day: a tick, no point
    alone = net_line(
        [("a", 0.5, "/x?a"), ("b", None, "/x?b"), ("c", 0.1, "/x?c")], "net", Formatter("en", "UTC")
    )
    assert "<polyline" not in alone and alone.count("<circle") == 2


def test_presets_are_live_and_long_periods_go_weekly(analyst: TestClient) -> None:
    week = analyst.get("/dashboards", params={"brand": "sabzino", "days": 7}).text
    assert int(kpi(week, "volume")) == 1  # only the mention of a few minutes ago
    assert re.search(r'data-days="7" aria-current="true"', week)
    quarter = analyst.get("/dashboards", params={"brand": "sabzino", "days": 90}).text
    figure = re.search(r'data-chart="volume">(.*?)</figure>', quarter, re.S)
    assert figure and 13 <= len(re.findall(r"<a href=", figure.group(1))) <= 14  # Persian weeks


def test_bad_input_is_a_persian_message(analyst: TestClient) -> None:
    bad_day = analyst.get("/dashboards", params={"brand": "sabzino", "from": "1403/13/40"})
    assert bad_day.status_code == 400 and "تاریخ «1403/13/40» خوانا نیست" in bad_day.text
    order = analyst.get("/dashboards", params={"brand": "sabzino", "from": "1403/09/09", "to": "1403/09/01"})
    assert order.status_code == 400 and "پایان دوره پیش از آغاز آن است" in order.text
    long = analyst.get("/dashboards", params={"brand": "sabzino", "from": "1400/01/01", "to": "1403/01/01"})
    assert long.status_code == 400 and "۳۶۶" in long.text
    unknown = analyst.get("/dashboards", params={"brand": "<b>x</b>"})
    assert unknown.status_code == 400
    assert "&lt;b&gt;x&lt;/b&gt;" in unknown.text and "<b>x</b>" not in unknown.text


def test_mention_text_is_escaped(analyst: TestClient) -> None:
    text = analyst.get("/dashboards", params=PERIOD).text
    praise = re.search(r'class="praise-item" data-id="\d+">(.*?)</li>', text, re.S)  # the widest reach first
    assert praise and "<img" not in text and "&lt;" in praise.group(1) and "alert" in praise.group(1)
    assert "\u202e" not in text


def test_english_by_setting(engine: Engine, store: MentionStore) -> None:
    with client_for(engine, store, language="en") as client:
        log_in(client, "ali")
        text = client.get("/dashboards", params=PERIOD).text
    assert "Brand dashboard" in text and "Share of voice against competitors" in text
    assert "1403/08/26 to 1403/09/09" in text


def test_dashboards_need_a_login(web: TestClient) -> None:
    response = web.get("/dashboards", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_day_boxes_show_this_week_in_persian_digits(analyst: TestClient) -> None:
    text = analyst.get("/dashboards", params={"brand": "sabzino"}).text
    hints = re.findall(r'name="(?:from|to)" value="" size="10" dir="ltr" placeholder="([^"]+)"', text)
    assert len(hints) == 2 and all(re.fullmatch(r"[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}", h) for h in hints)
    first, last = (parse_day(h) for h in hints)  # an example the box itself accepts
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Tehran")).date()
    assert (first, last) == (today - timedelta(days=6), today)


def test_an_empty_period_points_at_the_newest_mentions(analyst: TestClient) -> None:
    """The corpus is from 1403; the default period (this week) is empty for nobank, whose newest
    mention the page names and links to, and the link shows it."""
    with_data = analyst.get("/dashboards", params={"brand": "sabzino", "days": 7}).text
    assert 'id="dashboard-latest"' not in with_data  # a mention of a few minutes ago: not empty
    empty = analyst.get("/dashboards", params={"brand": "nobank", "days": 7}).text
    assert int(kpi(empty, "volume")) == 0
    # no mention has no sentiment: a dash, not a 0% that reads as neutral
    for name in ("net", "negative"):
        card = re.search(
            rf'data-kpi="{name}".*?<strong[^>]*>(.*?)</strong>\s*<span class="meta">(.*?)</span>', empty, re.S
        )
        assert card and card[1] == "—" and card[2].endswith("—"), (name, card and card.groups())
    notice = re.search(r'id="dashboard-latest">(.*?)</p>', empty, re.S)
    assert notice and "تازه‌ترین اشاره در ۱۴۰۳/" in notice.group(1)
    href = html.unescape(re.search(r'href="(/dashboards\?[^"]+)"', notice.group(1)).group(1))
    shown = analyst.get(href).text
    assert int(kpi(shown, "volume")) > 0 and 'id="dashboard-latest"' not in shown


def test_share_of_voice_is_against_the_brands_own_competitors(engine: Engine, store: MentionStore) -> None:
    """``brands[].competitors`` picks whom a brand is compared with; with none, the page shows no
    lone 100% share but says why, and the other figures stay."""
    with client_for(engine, store) as client:
        log_in(client, "ali")
        sabzino, nobank = client.app.state.settings.brands  # type: ignore[attr-defined]
        sabzino.competitors = []
        text = client.get("/dashboards", params=PERIOD).text
        assert 'class="muted no-rivals"' in text and "رقیبی برای این برند تعریف نشده است" in text
        assert "voice-table" not in text and 'data-chart="voice' not in text
        for chart in ("volume", "net", "themes"):
            assert f'data-chart="{chart}"' in text, chart
        nobank.competitor = True  # a brand marked competitor is still not sabzino's when it names none
        assert "voice-table" not in client.get("/dashboards", params=PERIOD).text
        sabzino.competitors = ["nobank"]
        text = client.get("/dashboards", params=PERIOD).text
        assert set(re.findall(r'<tr data-brand="(\w+)" data-mentions', text)) == {"sabzino", "nobank"}
        assert "no-rivals" not in text
