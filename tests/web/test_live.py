"""Live updates over a real server: an incident written by another thread (as ``shenava run``
would, in its own process) reaches an open event stream without any request from the page."""

from __future__ import annotations

import re
import threading
import time

import httpx
import pytest
from sqlalchemy import Engine

from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from tests.web.conftest import PASSWORDS, add_people, web_settings
from tests.web.inbox_data import add_incident
from tests.web.server import serving


def _logged_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=10)
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/login", data={"name": "sara", "password": PASSWORDS["sara"], "csrf_token": csrf})
    assert response.status_code in (200, 303)
    return client


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_new_incident_is_pushed_to_open_streams(engine: Engine) -> None:
    add_people(engine)
    app = create_app(web_settings(live_poll_seconds=0.2), engine, ApiKeyRing.parse(""))
    with serving(app) as base:
        client = _logged_in(base)
        assert httpx.get(f"{base}/inbox/events").status_code == 401  # no session, no stream
        events: list[tuple[float, str]] = []
        with client.stream("GET", "/inbox/events") as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.iter_lines()
            for line in lines:  # the first change arrives at once (the page may have missed one)
                if line.startswith("event: change"):
                    break
            writer = threading.Timer(0.5, add_incident, args=(engine,))
            started = time.monotonic()
            writer.start()
            for line in lines:
                if line.startswith("event: change"):
                    events.append((time.monotonic() - started, line))
                    break
            writer.join()
        assert events and events[0][0] < 3.0, events
        queue = client.get("/inbox/queue")
        assert "nobank" in queue.text and 'data-key="incident:1"' in queue.text
        client.close()
