"""The digest as a reader sees it: rendered by headless Chromium, right to left, no tofu.

Glyph check: Chromium draws a character no installed font has as a .notdef box, and every box
has the same width. So real Persian glyphs must (1) differ in width from each other (alef is
narrow, sheen is wide), (2) differ from the box drawn for an unassigned code point, and
(3) join: a word is narrower than its letters drawn apart (contextual shaping happened).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import Engine

from alerts.digest import DigestPeriod, make_digest, write_digest
from tests.bidi_order import WORD_LEFT_EDGES, save_mixed_direction_complaints
from tests.digest.conftest import digest_settings
from tests.digest.test_render import NOW

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("SHENAVA_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

_MEASURE = """
const font = getComputedStyle(document.body).fontFamily;
const ctx = document.createElement('canvas').getContext('2d');
ctx.font = '20px ' + font;
const w = (s) => ctx.measureText(s).width;
const title = document.getElementById('digest-title');
const range = document.createRange();
range.selectNodeContents(title);
const rect = range.getBoundingClientRect();
const box = title.getBoundingClientRect();
return {
  direction: getComputedStyle(document.body).direction,
  lang: document.documentElement.lang,
  text: document.body.innerText,
  alef: w('\u0627'), sheen: w('\u0634'), tofu: w('\\u0870'), emoji: w('\\u{1F60D}'),
  word: w('\u0633\u0628\u0632\u06cc\u0646\u0648'),
  letters: ['\u0633','\u0628','\u0632','\u06cc','\u0646','\u0648'].map(w).reduce((a, b) => a + b, 0),
  textRight: rect.right, textLeft: rect.left, boxRight: box.right, boxLeft: box.left,
  svgs: document.querySelectorAll('svg').length,
};
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("headless Chromium not installed: run `bash scripts/install-system-deps.sh`")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--window-size=900,1400", "--disable-dev-shm-usage"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_digest_renders_rtl_without_broken_glyphs(
    browser, engine: Engine, digest_archive: dict[str, int], tmp_path: Path
) -> None:
    rendered = make_digest(digest_settings(), engine, DigestPeriod.for_day("1403-09-01"), now=NOW)
    page = write_digest(rendered, tmp_path / "digest.html")
    browser.get(page.as_uri())
    seen = browser.execute_script(_MEASURE)
    assert seen["direction"] == "rtl" and seen["lang"] == "fa"
    assert "سبزینو" in seen["text"] and "۱ آذر ۱۴۰۳" in seen["text"] and seen["svgs"] >= 4
    assert "<img" not in seen["text"] or "onerror" in seen["text"]  # shown as text, never as an element
    assert browser.find_elements("css selector", "img") == []
    assert abs(seen["sheen"] - seen["alef"]) > 2, seen  # real glyphs differ in width
    assert abs(seen["sheen"] - seen["tofu"]) > 0.5 and abs(seen["alef"] - seen["tofu"]) > 0.5, seen
    assert seen["word"] < seen["letters"] * 0.95, seen  # letters joined: contextual shaping happened
    assert abs(seen["emoji"] - seen["tofu"]) > 0.5, seen  # mentions quote emoji: they need a font too
    # right-aligned: the title's text hugs its box's right edge, not the left
    assert seen["boxRight"] - seen["textRight"] < 2 < seen["textLeft"] - seen["boxLeft"], seen
    shot = tmp_path / "digest.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    keep = os.environ.get("SHENAVA_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_english_digest_renders_left_to_right_and_so_do_its_charts(
    browser, engine: Engine, digest_archive: dict[str, int], tmp_path: Path
) -> None:
    settings = digest_settings(language="en")
    rendered = make_digest(settings, engine, DigestPeriod.for_day("1403-09-01"), now=NOW)
    browser.get(write_digest(rendered, tmp_path / "digest.html").as_uri())
    seen = browser.execute_script(_MEASURE)
    assert seen["direction"] == "ltr" and seen["lang"] == "en"
    assert "Main complaints" in seen["text"] and "1 Azar 1403" in seen["text"]
    # left-aligned: the title's text hugs its box's left edge
    assert seen["textLeft"] - seen["boxLeft"] < 2 < seen["boxRight"] - seen["textRight"], seen
    assert seen["word"] < seen["letters"] * 0.95, seen  # quoted Persian is still shaped
    # the trend's days run left to right, oldest first, as an English reader reads time
    days = browser.execute_script(
        "const svg = document.querySelector('section.brand svg');"
        " return [...svg.querySelectorAll('text')].slice(2)"
        ".map(t => { const r = t.getBoundingClientRect(); return [t.textContent, r.left + r.width / 2]; });"
    )
    assert len(days) >= 3 and all(a[1] < b[1] for a, b in pairwise(days)), days
    assert days[-1][0] == "9/1"  # the digest's own day last, at the right


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_an_english_complaint_reads_left_to_right_in_the_persian_digest(
    browser, engine: Engine, store, digest_archive: dict[str, int], tmp_path: Path
) -> None:
    """Laid right to left, «Is sabzino down? My order is 3 hours late» showed its second sentence
    first; a Persian quote opening with a @handle must stay right to left."""
    save_mixed_direction_complaints(store)
    rendered = make_digest(digest_settings(), engine, DigestPeriod.for_day("1403-09-01"), now=NOW)
    browser.get(write_digest(rendered, tmp_path / "digest.html").as_uri())
    is_, my = browser.execute_script(WORD_LEFT_EDGES, "blockquote", "Is sabzino", ["Is", "My"])
    assert is_ is not None and my is not None and is_ < my, (is_, my)  # first sentence at the left
    order, wait = browser.execute_script(WORD_LEFT_EDGES, "blockquote", "کجاست", ["سفارش", "منتظرم"])
    assert order > wait, (order, wait)  # the Persian one starts at the right
