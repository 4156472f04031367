"""Jinja2 pages: autoescaping always on, the message catalogue and formatters in every template.

Templates live in shenava/web/templates/ and extend ``base.html`` (RTL Persian layout, bundled font
and scripts). A template never formats a date or a number itself: it calls ``fmt``.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse

from shenava import __version__
from shenava.web.formatting import Formatter, isolated, mention_text, safe_link
from shenava.web.messages import MESSAGES, label, translator
from shenava.web.text_direction import text_direction


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("shenava.web", "templates"),
        autoescape=True,  # every template, whatever its name: user text is never trusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        mention=mention_text,
        bdi=isolated,
        safe_link=safe_link,
        fromiso=datetime.fromisoformat,
        text_dir=text_direction,
    )
    env.globals.update(version=__version__, messages=MESSAGES)
    return env


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    web = request.app.state.web
    language = web.settings.language
    fmt = Formatter(language, web.tz)
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            lang=language,
            direction="rtl" if language == "fa" else "ltr",
            t=translator(language),
            label=lambda group, value: label(language, group, value),
            brand_name=lambda code: web.brand_names.get(code, code),  # the configured name people read
            fmt=fmt,
            login=context.pop("login", None),
            **context,
        )
    )
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
