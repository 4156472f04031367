"""The API's interactive docs (/docs) in a real browser (headless Chromium, as tests/web/test_browser.py):
Swagger UI renders the API from this server's files alone. FastAPI's default page loads it from a
CDN, which a machine without internet (this one, and many a production host) never reaches: the
page stayed blank."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from tests.web.conftest import web_settings
from tests.web.server import serving
from tests.web.test_browser import _wait, browser  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


def test_docs_render_from_local_files_only(browser, engine: Engine) -> None:  # noqa: F811
    app = create_app(web_settings(), engine, ApiKeyRing.parse(""))
    with serving(app) as base:
        browser.get(f"{base}/docs")
        title = _wait(browser, lambda d: d.find_element("css selector", ".swagger-ui .info .title"))
        assert "Shenava API" in title.text
        # the operations are listed from /openapi.json
        paths = _wait(
            browser, lambda d: [e.text for e in d.find_elements("css selector", ".opblock-summary-path")]
        )
        assert any("/api/v1/incidents" in p for p in paths), paths
        fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert fetched and all(url.startswith(base) for url in fetched), fetched
