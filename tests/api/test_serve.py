"""The API served for real: uvicorn on a local port, spoken to over HTTP with httpx."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine

from config.settings import Settings
from domain.brands import BrandSettings
from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from storage.repository import MentionStore
from tests.api.conftest import headers
from tests.archive.corpus import save_corpus
from tests.ports import free_port


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_uvicorn_serves_search_and_metrics(engine: Engine, store: MentionStore, ring: ApiKeyRing) -> None:
    save_corpus(store)
    port = free_port()
    app = create_app(Settings(brands=[BrandSettings(name="sabzino")]), engine, ring)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/health").json()["status"] == "ok"
        found = httpx.get(f"{base}/api/v1/mentions", params={"text": "نوبانک"}, headers=headers("analyst"))
        assert found.status_code == 200 and found.json()["total"] == 2
        assert httpx.get(f"{base}/api/v1/mentions").status_code == 401
        assert "shenava_http_requests_total" in httpx.get(f"{base}/metrics").text
    finally:
        server.should_exit = True
        thread.join(timeout=10)
