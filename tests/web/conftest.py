"""The web app over a real, migrated database (both backends), driven in-process through TestClient;
browser tests (test_browser.py) serve it with uvicorn and drive headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from config.settings import Settings
from domain.brands import BrandSettings
from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from shenava.web import accounts
from storage.db import session_factory

PASSWORDS = {"sara": "sara-password-1", "ali": "ali-password-12", "root": "root-password-1"}
ROLES = {"sara": "support", "ali": "analyst", "root": "admin"}


def web_settings(**web: object) -> Settings:
    return Settings(
        brands=[
            BrandSettings(name="sabzino", aliases_fa=["سبزینو"], handles=["sabzino_support"]),
            BrandSettings(name="nobank"),
        ],
        web={"live_poll_seconds": 0.2, **web},
    )


def add_people(engine: Engine) -> None:
    with session_factory(engine)() as session:
        for name, role in ROLES.items():
            accounts.add(session, name, role, PASSWORDS[name], display_name=name.title(), by="test")
        session.commit()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def log_in(client: TestClient, name: str, password: str | None = None) -> str:
    """Log ``name`` in; returns the session's CSRF token."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"name": name, "password": password or PASSWORDS[name], "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    return csrf_of(client.get("/inbox").text)


@pytest.fixture
def web(engine: Engine) -> Iterator[TestClient]:
    add_people(engine)
    app = create_app(web_settings(), engine, ApiKeyRing.parse(""))
    with TestClient(app) as client:
        yield client
