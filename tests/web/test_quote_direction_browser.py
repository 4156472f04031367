"""A quoted mention reads in its own direction on the Persian dashboard (headless Chromium): laid
right to left, «Is sabzino down? My order is 3 hours late» showed its second sentence first and the
«?» between them. A Persian quote opening with a @handle stays right to left."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from storage.repository import MentionStore
from tests.archive.corpus import DAY1, _m
from tests.bidi_order import WORD_LEFT_EDGES, save_mixed_direction_complaints
from tests.web.conftest import add_people, web_settings
from tests.web.server import serving
from tests.web.test_browser import _log_in, _open, _wait, browser  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


@pytest.fixture
def site(engine: Engine, store: MentionStore) -> Iterator[str]:
    add_people(engine)
    at = DAY1.replace(hour=9)
    praise = _m("praise", "Great service sabzino, thanks!", at, ["sabzino"], "positive", author="p")
    save_mixed_direction_complaints(store, praise)
    with serving(create_app(web_settings(), engine, ApiKeyRing.parse(""))) as base:
        yield base


def test_quotes_read_in_their_own_direction(browser, site: str) -> None:  # noqa: F811
    _log_in(browser, site)
    _wait(browser, lambda d: d.current_url.endswith("/inbox"))
    _open(browser, f"{site}/dashboards?brand=sabzino&from=1403/09/01&to=1403/09/01", "dashboard")
    is_, my = browser.execute_script(WORD_LEFT_EDGES, "blockquote", "Is sabzino", ["Is", "My"])
    assert is_ is not None and my is not None and is_ < my, (is_, my)
    great, thanks = browser.execute_script(WORD_LEFT_EDGES, "blockquote", "Great", ["Great", "thanks"])
    assert great is not None and thanks is not None and great < thanks, (great, thanks)
    order, wait = browser.execute_script(WORD_LEFT_EDGES, "blockquote", "کجاست", ["سفارش", "منتظرم"])
    assert order > wait, (order, wait)


def test_a_persian_hit_opening_with_a_handle_reads_right_to_left_in_explore(browser, site: str) -> None:  # noqa: F811
    """Explore's marked hits isolated nothing, so «@sabzino_help سفارش من کجاست؟» took its direction
    from the handle: laid left to right, the handle ended the sentence and the «؟» moved."""
    _log_in(browser, site)
    _wait(browser, lambda d: d.current_url.endswith("/inbox"))
    _open(browser, f"{site}/explore?q=کجاست", "explore")
    handle, order, wait = browser.execute_script(
        WORD_LEFT_EDGES, "p.text", "کجاست", ["sabzino_help", "سفارش", "منتظرم"]
    )
    assert handle > order > wait, (handle, order, wait)  # the handle opens the line, at the right
    assert browser.find_element("css selector", "p.text mark").text == "کجاست"
