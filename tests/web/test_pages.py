"""The web foundation: login, layout (RTL Persian), assets, security headers, language setting."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from shenava.web.messages import LANGUAGES, MESSAGES
from tests.web.conftest import add_people, log_in, web_settings


def test_pages_need_a_login(web: TestClient) -> None:
    response = web.get("/inbox", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/inbox"
    page = web.get("/login")
    assert page.status_code == 200
    assert '<html dir="rtl" lang="fa">' in page.text and "ورود به شنوا" in page.text


def test_login_sets_a_safe_cookie_and_shows_the_inbox(web: TestClient) -> None:
    page = web.get("/login")
    from tests.web.conftest import csrf_of

    response = web.post(
        "/login",
        data={
            "name": "sara",
            "password": "sara-password-1",
            "csrf_token": csrf_of(page.text),
            "next": "//evil.example",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/inbox"  # no open redirect
    cookie = response.headers["set-cookie"]
    assert (
        "shenava_session=" in cookie
        and "HttpOnly" in cookie
        and "SameSite=lax" in cookie.replace("Lax", "lax")
    )
    assert "Secure" not in cookie  # plain HTTP here; HTTPS requests get Secure (web.secure_cookies: auto)
    inbox = web.get("/inbox")
    assert inbox.status_code == 200 and "صندوق پشتیبانی" in inbox.text and "<bdi>Sara</bdi>" in inbox.text


def test_security_headers_and_bundled_assets(web: TestClient) -> None:
    page = web.get("/login")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text and " style=" not in page.text  # nothing inline for the CSP to block
    for asset in (
        "/static/app.css",
        "/static/app.js",
        "/static/vendor/htmx.min.js",
        "/static/fonts/Vazirmatn-Regular.woff2",
        "/static/fonts/Vazirmatn-OFL.txt",
    ):
        assert web.get(asset).status_code == 200, asset
    assert "http" not in " ".join(
        line for line in page.text.splitlines() if "src=" in line or "href=" in line
    )


def test_wrong_password_and_unknown_name_look_the_same(web: TestClient) -> None:
    from tests.web.conftest import csrf_of

    for name, password in (("sara", "wrong-password"), ("nobody", "wrong-password")):
        page = web.get("/login")
        response = web.post(
            "/login", data={"name": name, "password": password, "csrf_token": csrf_of(page.text)}
        )
        assert response.status_code == 401 and "نام کاربری یا گذرواژه درست نیست" in response.text


def test_login_without_the_csrf_cookie_is_refused(web: TestClient) -> None:
    response = web.post(
        "/login", data={"name": "sara", "password": "sara-password-1", "csrf_token": "forged"}
    )
    assert response.status_code == 403


def test_logout_needs_the_csrf_token_and_ends_the_session(web: TestClient) -> None:
    csrf = log_in(web, "sara")
    assert web.post("/logout", data={}).status_code == 403
    assert web.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert web.get("/inbox", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_english_by_setting(engine: Engine) -> None:
    add_people(engine)
    with TestClient(create_app(web_settings(language="en"), engine, ApiKeyRing.parse(""))) as client:
        page = client.get("/login")
        assert '<html dir="ltr" lang="en">' in page.text and "Log in to Shenava" in page.text
        log_in(client, "sara")
        assert "Support inbox" in client.get("/inbox").text


def test_every_message_has_both_languages() -> None:
    missing = [key for key, texts in MESSAGES.items() if len(texts) != len(LANGUAGES) or not all(texts)]
    assert not missing
    persian = [key for key, (fa, _) in MESSAGES.items() if not any("\u0600" <= c <= "\u06ff" for c in fa)]
    assert persian == [], "Persian strings without Persian letters (English left in?)"


def _attempt(client: TestClient, name: str, password: str) -> int:
    from tests.web.conftest import csrf_of

    page = client.get("/login")
    data = {"name": name, "password": password, "csrf_token": csrf_of(page.text)}
    return client.post("/login", data=data, follow_redirects=False).status_code


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_login_is_rate_limited_per_account_and_per_address(engine: Engine) -> None:
    add_people(engine)
    app = create_app(web_settings(login_attempts=3), engine, ApiKeyRing.parse(""))
    with TestClient(app) as client:
        assert [_attempt(client, "sara", "wrong-password") for _ in range(3)] == [401, 401, 401]
        assert _attempt(client, "sara", "sara-password-1") == 429  # even the right password, for now
    # another address may still log in as someone else; this one is now limited for every name
    with TestClient(app, client=("10.0.0.9", 50000)) as other:
        assert _attempt(other, "ali", "ali-password-12") == 303
    with TestClient(app) as client:
        assert _attempt(client, "root", "root-password-1") == 429


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_disabling_or_resetting_an_account_ends_its_sessions(engine: Engine) -> None:
    from shenava.web import accounts
    from storage.db import session_factory

    add_people(engine)
    with TestClient(create_app(web_settings(), engine, ApiKeyRing.parse(""))) as client:
        log_in(client, "sara")
        assert client.get("/inbox", follow_redirects=False).status_code == 200
        with session_factory(engine)() as session:
            accounts.set_disabled(session, "sara", True, by="cli")
            session.commit()
        assert client.get("/inbox", follow_redirects=False).status_code == 303
        assert _attempt(client, "sara", "sara-password-1") == 401  # a disabled account cannot log in
        log_in(client, "ali")
        with session_factory(engine)() as session:
            accounts.reset_password(session, "ali", "a-brand-new-password", by="cli")
            session.commit()
        assert client.get("/inbox", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_an_expired_session_asks_for_a_login_again(engine: Engine) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from storage.accounts import WebSession

    add_people(engine)
    with TestClient(create_app(web_settings(), engine, ApiKeyRing.parse(""))) as client:
        log_in(client, "sara")
        with engine.begin() as conn:
            conn.execute(update(WebSession).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        response = client.get("/inbox/queue", headers={"HX-Request": "true"}, follow_redirects=False)
        assert response.status_code == 401 and response.headers["hx-redirect"].startswith("/login")
