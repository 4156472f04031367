"""The explore page's volume toggle (hour / day / week in Tehran time, weeks from Saturday), its
downloads (results as CSV, JSON Lines, Parquet; a chart as SVG or PNG) and the API's Parquet
export, on both backends (issue 13)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import struct
import xml.etree.ElementTree as ET
from urllib.parse import unquote_plus

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from shenava.web import explore_volume
from storage.repository import MentionStore
from tests.archive.corpus import DAY1, save_corpus
from tests.storage.factories import analysis, raw_mention
from tests.web.conftest import add_people, log_in, web_settings

KEY = "export-key-1234567890"
FORMULA = '=HYPERLINK("http://evil.example","سبزینو")'


@pytest.fixture
def analyst(engine: Engine, store: MentionStore):  # type: ignore[no-untyped-def]
    add_people(engine)
    save_corpus(store)
    # a formula as mention text and as the author's name (hostile input for a spreadsheet)
    raw = raw_mention(500, text=FORMULA, author_name="@cmd", created_at=DAY1.replace(year=2023))
    store.save_batch([(raw, analysis(FORMULA, brands=["nobank"]))], None)
    app = create_app(web_settings(), engine, ApiKeyRing.parse(f"ana:analyst:{KEY}"))
    with TestClient(app) as client:
        log_in(client, "ali")
        yield client


def volume_links(page: str) -> list[str]:
    figure = re.search(r'data-chart="volume">(.*?)</figure>', page, re.S)
    assert figure, "no volume chart"
    hrefs = re.findall(r'<a href="(/explore\?q=[^"]+)"', figure.group(1))
    return [unquote_plus(html.unescape(h)) for h in hrefs]


def result_count(page: str) -> int:
    return len(re.findall(r'class="result" data-id="\d+"', page))


def test_hour_day_week_toggle(analyst: TestClient) -> None:
    by = {b: volume_links(analyst.get("/explore", params={"q": "brand:sabzino", "bucket": b}).text)
          for b in ("hour", "day", "week")}  # fmt: skip
    # 11 sabzino mentions at 11 different local hours; on 4 local days; in 2 Persian weeks
    assert len(by["hour"]) == 11 and len(by["day"]) == 4 and len(by["week"]) == 2
    # weeks start on Saturday (2024-11-16, 2024-11-23) and run to Friday
    assert "date:2024-11-16..2024-11-22" in by["week"][0] and "date:2024-11-23..2024-11-29" in by["week"][1]
    # Tehran days: b1 at 20:10 UTC is 23:40 on 2024-11-20 local
    assert "date:2024-11-20" in by["day"][0]
    # a1 at 05:00 UTC is 08:30 Tehran: its hour is 08:00–09:00 local
    assert any("date:2024-11-21T08:00..2024-11-21T09:00" in h for h in by["hour"])
    # drilling keeps the bucket and narrows to the bucket's mentions
    week = analyst.get(by["week"][0])
    assert result_count(week.text) == 10 and "bucket=week" in by["week"][0]
    hour = analyst.get(next(h for h in by["hour"] if "2024-11-21T08:00" in h))
    assert result_count(hour.text) == 1
    # the toggle links keep the query and mark the current bucket
    page = analyst.get("/explore", params={"q": "brand:sabzino", "bucket": "week"}).text
    assert re.search(r'data-bucket="week" aria-current="true"', page)
    assert 'name="bucket" value="week"' in page


def test_too_many_hours_is_a_message_not_an_error(analyst: TestClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(explore_volume, "MAX_COLUMNS", 10)  # 11 sabzino hours: one too many
    page = analyst.get("/explore", params={"q": "brand:sabzino", "bucket": "hour"})
    assert page.status_code == 200
    assert "ساعت‌ها بیش از اندازه است" in page.text and 'data-chart="sentiment"' in page.text


def test_export_formats_from_the_page(analyst: TestClient) -> None:
    q = "brand:sabzino OR brand:nobank"
    total = int(re.search(r'(\d+) mentions|([۰-۹]+) اشاره', analyst.get("/explore", params={"q": q}).text)
                .group(2).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))  # fmt: skip
    response = analyst.get("/explore/export", params={"q": q, "format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert "content-length" not in response.headers  # streamed, not sized up front
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == total == 14  # 11 sabzino, 2 nobank, the formula one (nobank)
    formula = next(r for r in rows if "HYPERLINK" in r["text"])
    assert formula["text"] == "'" + FORMULA and formula["author_name"] == "'@cmd"
    hostile = next(r for r in rows if "script" in r["text"])
    assert hostile["text"] == "<script>alert('x')</script> سبزینو \u202eمعکوس\u202c"
    lines = analyst.get("/explore/export", params={"q": q, "format": "jsonl"}).text.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 14 and any(r["text"] == FORMULA for r in records)
    data = analyst.get("/explore/export", params={"q": q, "format": "parquet"}).content
    table = pq.read_table(io.BytesIO(data))
    assert table.num_rows == 14
    assert sorted(table.column("id").to_pylist()) == sorted(r["id"] for r in records)


def test_export_with_a_bad_query_says_why(analyst: TestClient) -> None:
    response = analyst.get("/explore/export", params={"q": "سبزینو (دیر", "format": "csv"})
    assert response.status_code == 400 and "خطا در جستجو، ستون ۱۲" in response.text


def test_api_exports_parquet(analyst: TestClient) -> None:
    params = {"text": "brand:sabzino", "format": "parquet"}
    response = analyst.get("/api/v1/mentions/export", params=params, headers={"X-API-Key": KEY})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(response.content))
    assert table.num_rows == 11 and set(table.column("sentiment_label").to_pylist()) == {
        "negative", "neutral", "positive"
    }  # fmt: skip
    capped = analyst.get(
        "/api/v1/mentions/export", params={"text": "brand:sabzino", "format": "parquet", "max_rows": 3},
        headers={"X-API-Key": KEY},
    )  # fmt: skip
    assert pq.read_table(io.BytesIO(capped.content)).num_rows == 3


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_downloads_svg_and_png(analyst: TestClient) -> None:
    params = {"q": "brand:sabzino", "bucket": "week"}
    svg = analyst.get("/explore/chart/volume.svg", params=params)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.content)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and not root.findall(f".//{ns}a")  # no links into the app
    texts = "".join(t.text or "" for t in root.iter(f"{ns}text"))
    assert "حجم هفتگی" in texts
    png = analyst.get("/explore/chart/volume.png", params=params)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert _png_size(png.content) == (1120, 380)  # twice the SVG's size
    # drawn, not blank: a white 1120×380 PNG compresses to well under a kilobyte
    assert len(png.content) > 4000
    authors = analyst.get("/explore/chart/authors_reach.png", params=params)
    assert authors.status_code == 200
    assert analyst.get("/explore/chart/nothing.svg", params=params).status_code == 404
