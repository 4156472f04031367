"""Response headers that keep the pages inert to injected content, and the caller's address.

The Content-Security-Policy allows scripts, styles, fonts and images only from this server, and no
inline script or style at all: even if some text escaped the templates' autoescaping, a browser
would not run it. The API's interactive docs (/docs) set their own policy (``shenava.api.docs``:
Swagger UI's inline start-up script, still nothing from another host).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_DOCS = ("/docs", "/openapi.json")


async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if not request.url.path.startswith(_DOCS):
        headers.setdefault("Content-Security-Policy", CSP)
    if request.url.scheme == "https":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def client_ip(request: Request) -> str:
    """The peer address. Behind a reverse proxy run uvicorn with ``--proxy-headers`` (see README)."""
    return request.client.host if request.client else "-"
