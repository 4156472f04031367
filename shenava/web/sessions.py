"""Login sessions in cookies, the logged-in person of a request, and CSRF checks.

The cookie holds a random token (256 bits); the database keeps only its SHA-256, the account and a
CSRF secret bound to the session. Cookies are HttpOnly and SameSite=Lax, and Secure when the
request came over HTTPS (``web.secure_cookies``). Every POST form carries the session's CSRF token
in a hidden field (htmx also sends it in ``X-CSRF-Token``); the login form, which has no session
yet, uses a double-submit cookie instead.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from shenava.web.accounts import User, as_user
from storage.accounts import Account, WebSession

if TYPE_CHECKING:
    from config.web import WebSettings

COOKIE = "shenava_session"
LOGIN_CSRF_COOKIE = "shenava_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_TOUCH_EVERY = timedelta(minutes=1)  # sliding expiry, written at most this often


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form."""


class Forbidden(Exception):
    def __init__(self, role: str) -> None:
        super().__init__(role)
        self.role = role


class CsrfRejected(Exception):
    """A POST without the right CSRF token."""


@dataclass(frozen=True)
class Login:
    user: User
    csrf_token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def secure_cookie(request: Request, settings: WebSettings) -> bool:
    if settings.secure_cookies == "auto":
        return request.url.scheme == "https"
    return settings.secure_cookies == "always"


def start(session: Session, account: Account, settings: WebSettings, ip: str) -> tuple[str, str]:
    """A new session for ``account``: (cookie token, CSRF token). Expired sessions are swept."""
    now = datetime.now(UTC)
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_digest=_digest(token),
            account_id=account.id,
            csrf_token=csrf,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_hours),
            ip=ip[:64],
        )
    )
    account.last_login_at = now
    return token, csrf


def set_cookie(response: Response, request: Request, token: str, settings: WebSettings) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(settings.session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=secure_cookie(request, settings),
        path="/",
    )


def end(session: Session, request: Request) -> None:
    token = request.cookies.get(COOKIE)
    if token:
        session.execute(delete(WebSession).where(WebSession.token_digest == _digest(token)))


def current(session: Session, request: Request, settings: WebSettings) -> Login | None:
    """The request's login, or None (no cookie, unknown, expired or disabled account)."""
    token = request.cookies.get(COOKIE)
    if not token or len(token) > 200:
        return None
    row = session.execute(
        select(WebSession, Account)
        .join(Account, Account.id == WebSession.account_id)
        .where(WebSession.token_digest == _digest(token))
    ).first()
    if row is None:
        return None
    web_session, account = row
    now = datetime.now(UTC)
    if web_session.expires_at <= now or account.disabled:
        return None
    if now - web_session.last_seen_at >= _TOUCH_EVERY:
        web_session.last_seen_at = now
        web_session.expires_at = now + timedelta(hours=settings.session_hours)
        session.commit()
    return Login(as_user(account), web_session.csrf_token)


def check_csrf(expected: str, presented: str | None) -> None:
    if not presented or not hmac.compare_digest(expected.encode(), presented.encode("utf-8", "replace")):
        raise CsrfRejected()


def login_csrf(request: Request) -> str:
    """The login form's double-submit token: the cookie's if present, else a fresh one."""
    existing = request.cookies.get(LOGIN_CSRF_COOKIE)
    return existing if existing and len(existing) <= 100 else secrets.token_urlsafe(32)
