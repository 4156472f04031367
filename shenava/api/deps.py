"""Request dependencies: a database session, the caller's API key and role checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader
from sqlalchemy.orm import Session

from shenava.api.auth import ApiKey, ApiKeyRing
from storage.limits import limit_time

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="Your Shenava API key.")


def get_session(request: Request) -> Iterator[Session]:
    """A session whose first transaction has the request time limit (storage.limits)."""
    with request.app.state.sessions() as session:
        limit_time(session, request.app.state.time_limit_s)
        yield session


def current_key(request: Request, presented: Annotated[str | None, Security(api_key_header)]) -> ApiKey:
    ring: ApiKeyRing = request.app.state.keys
    key = ring.find(presented)
    if key is None:
        raise HTTPException(
            status_code=401,
            detail="missing or unknown API key (send it in the X-API-Key header)",
            headers={"WWW-Authenticate": "X-API-Key"},
        )
    return key


def require(role: str) -> Callable[[ApiKey], ApiKey]:
    def check(key: Annotated[ApiKey, Depends(current_key)]) -> ApiKey:
        if not key.allows(role):
            raise HTTPException(
                status_code=403, detail=f"this needs the {role} role; key {key.name!r} is {key.role}"
            )
        return key

    return check


SessionDep = Annotated[Session, Depends(get_session)]
Analyst = Annotated[ApiKey, Depends(require("analyst"))]
Support = Annotated[ApiKey, Depends(require("support"))]
Admin = Annotated[ApiKey, Depends(require("admin"))]
