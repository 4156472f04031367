"""An alert e-mail as a reader sees it (headless Chromium): a quoted mention keeps its own direction
inside the Persian message. Laid right to left, «Is @sabzino down? My order is 3 hours late» showed
its second sentence first and the «?» between them."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.render import render_email
from tests.alerts.events_fixtures import urgent_event
from tests.bidi_order import WORD_LEFT_EDGES
from tests.digest.test_browser import browser  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Is @sabzino down? My order is 3 hours late", "Is", "late"),
        ("@sabzino_help سفارش من کجاست؟ سه ساعته منتظرم", "منتظرم", "سفارش"),  # leftmost, rightmost
    ],
)
def test_a_quote_reads_in_its_own_direction(
    browser,  # noqa: F811
    tmp_path: Path,
    text: str,
    first: str,
    last: str,
) -> None:
    _, html, _ = render_email(urgent_event(text=text))
    page = tmp_path / "alert.html"
    page.write_text(html, encoding="utf-8")
    browser.get(page.as_uri())
    left, right = browser.execute_script(WORD_LEFT_EDGES, "li", text[-6:], [first, last])
    assert left is not None and right is not None and left < right, (text, left, right)
