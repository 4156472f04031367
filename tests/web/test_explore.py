"""The explore page (issue 13): a boolean query's results with the words marked, charts whose bars
drill down, two queries side by side, and a mistake shown in Persian at its column (both backends)."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote_plus

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from storage.repository import MentionStore
from tests.archive.corpus import save_corpus
from tests.web.conftest import log_in


@pytest.fixture
def analyst(web: TestClient, engine: Engine) -> TestClient:
    save_corpus(MentionStore(engine))
    log_in(web, "ali")  # the analyst role
    return web


def result_ids(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'class="result" data-id="(\d+)"', page)}


def test_explore_needs_a_login(web: TestClient) -> None:
    response = web.get("/explore", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_boolean_query_results_marked_and_charts_drill_down(analyst: TestClient) -> None:
    page = analyst.get("/explore", params={"q": "(دیر OR کلاهبرداری) brand:sabzino -lang:en"})
    assert page.status_code == 200
    assert len(result_ids(page.text)) == 3  # a1, b1, c1
    assert "<mark>دیر</mark>" in page.text and "<mark>کلاهبرداری</mark>" in page.text
    # each hit names its brand as people read it, as the inbox does, not by its configuration code
    brands = re.findall(r'<span class="brand" data-brand="(\w+)"><bdi>([^<]*)</bdi></span>', page.text)
    assert brands and set(brands) == {("sabzino", "سبزینو")}, brands
    for chart in ("volume", "sentiment", "touchpoints", "terms", "authors_volume", "authors_reach", "source"):
        assert f'data-chart="{chart}"' in page.text, chart
    # every bar is a link adding its filter; follow the "positive"-free sentiment bar: negative
    links = [html.unescape(h) for h in re.findall(r'<a href="(/explore\?q=[^"]+)" hx-get', page.text)]
    negative = next(h for h in links if "sentiment:negative" in unquote_plus(h))
    drilled = analyst.get(negative)
    assert drilled.status_code == 200 and len(result_ids(drilled.text)) == 3
    touch = next(h for h in links if "touchpoint:payment" in unquote_plus(h))
    assert len(result_ids(analyst.get(touch).text)) == 1  # c1


def _figure(page: str, chart: str) -> str:
    found = re.search(rf'<figure[^>]*data-chart="{chart}".*?</figure>', page, re.S)
    assert found, chart
    return re.sub(r'"[^"]*"', '""', found[0])  # the words drawn, not the links' query codes


def test_sources_and_languages_are_named_not_coded(analyst: TestClient) -> None:
    # Hits and the source and language charts showed the stored codes (instagram, finglish) in the
    # middle of Persian prose; they read as the alerts name them.
    page = analyst.get("/explore", params={"q": "brand:nobank"}).text
    sources = re.findall(r'<span class="source" data-source="(\w+)"><bdi>([^<]*)</bdi></span>', page)
    assert ("instagram", "اینستاگرام") in sources and all(code != shown for code, shown in sources), sources
    assert "اینستاگرام" in _figure(page, "source") and "instagram" not in _figure(page, "source")
    languages = _figure(analyst.get("/explore", params={"q": ""}).text, "lang")
    assert "فارسی" in languages and "انگلیسی" in languages
    assert not re.search(r">\s*(fa|en|finglish)\s*<", languages), languages


def test_two_queries_side_by_side(analyst: TestClient) -> None:
    page = analyst.get(
        "/explore", params={"q": "سبزینو date:1403/09/01", "q2": "سبزینو date:1403/09/02..1403/09/07"}
    )
    assert page.text.count('class="explore-view"') == 2
    assert page.text.count('data-chart="volume"') == 2


def test_mistake_in_persian_at_its_column(analyst: TestClient) -> None:
    page = analyst.get("/explore", params={"q": "سبزینو (دیر"})
    assert page.status_code == 200
    assert "خطا در جستجو، ستون ۱۲" in page.text and "«)» کم است" in page.text
    assert 'class="caret"' in page.text


def test_hostile_text_stays_text(analyst: TestClient) -> None:
    page = analyst.get("/explore", params={"q": "معکوس"})
    assert len(result_ids(page.text)) == 1
    # shown as text, its Latin word isolated left to right like every Latin run in a mention
    assert "<script>alert" not in page.text and '&lt;<bdi dir="ltr">script</bdi>&gt;' in page.text
    assert "\u202e" not in page.text
    assert "<mark>معکوس</mark>" in page.text


def test_top_terms_leave_out_brand_names_and_function_words(analyst: TestClient) -> None:
    page = analyst.get("/explore", params={"q": "brand:sabzino"}).text
    figure = re.search(r'data-chart="terms".*?</svg>', page, re.S)
    assert figure
    terms = [html.unescape(t) for t in re.findall(r"<title>([^<:]+): ", figure.group(0))]
    assert "دیر" in terms  # «دیر رسید» twice: what people wrote about
    # the brand's name and alias (the query asked for it) and words like «خیلی», «از» are not topics
    assert not {"سبزینو", "sabzino", "خیلی", "از", "است", "بود"} & set(terms), terms
