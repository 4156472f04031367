"""Request dependencies of the pages: the logged-in person, role checks and the CSRF-checked form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from shenava.api.deps import get_session
from shenava.web.sessions import CSRF_FIELD, CSRF_HEADER, Forbidden, Login, LoginRequired, check_csrf, current

Db = Annotated[Session, Depends(get_session)]


def logged_in(request: Request, session: Db) -> Login:
    found = current(session, request, request.app.state.web.settings)
    if found is None:
        raise LoginRequired()
    return found


def require(role: str) -> Callable[[Login], Login]:
    def check(login: Annotated[Login, Depends(logged_in)]) -> Login:
        if not login.user.allows(role):
            raise Forbidden(role)
        return login

    return check


async def checked_form(request: Request, login: Annotated[Login, Depends(logged_in)]) -> FormData:
    """The POSTed form, after its CSRF token (field or ``X-CSRF-Token`` header) matched the session's."""
    form = await request.form(max_files=0, max_fields=50)
    presented = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    check_csrf(login.csrf_token, presented if isinstance(presented, str) else None)
    return form


AnyUser = Annotated[Login, Depends(require("analyst"))]
SupportUser = Annotated[Login, Depends(require("support"))]
AdminUser = Annotated[Login, Depends(require("admin"))]
PostedForm = Annotated[FormData, Depends(checked_form)]
