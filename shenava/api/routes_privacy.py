"""Admin endpoints for data-subject requests: export or delete everything stored about an author.

The handle travels in the body (never in a URL that proxies and access logs keep); each deletion
appends an audit record naming the key that asked.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from shenava.api.deps import Admin, SessionDep
from shenava.api.responses import KEYED

router = APIRouter(prefix="/api/v1/privacy", tags=["privacy"], responses=KEYED)


class AuthorRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    handle: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")]
    source: Annotated[str | None, Field(max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")] = None


class AuthorExport(BaseModel):
    mentions: list[dict[str, Any]]


class AuthorDeletion(BaseModel):
    mentions: int
    rows: dict[str, int]


def _bad(exc: Exception) -> HTTPException:
    return HTTPException(status_code=422, detail=str(exc))


@router.post(
    "/authors/export", response_model=AuthorExport, summary="Everything stored about an author (admin)"
)
def export_author(body: AuthorRequest, session: SessionDep, _: Admin) -> AuthorExport:
    from storage.privacy import PrivacyRequestError, export_author

    try:
        return AuthorExport(mentions=list(export_author(session, body.handle, body.source)))
    except PrivacyRequestError as exc:
        raise _bad(exc) from None


@router.post("/authors/delete", response_model=AuthorDeletion, summary="Delete an author's mentions (admin)")
def delete_author(request: Request, body: AuthorRequest, session: SessionDep, key: Admin) -> AuthorDeletion:
    from storage.privacy import PrivacyRequestError, author_mention_ids, delete_author

    try:
        found = len(author_mention_ids(session, body.handle, body.source))
        rows = delete_author(
            session, body.handle, source=body.source, actor=f"api:{key.name}",
            ip=request.client.host if request.client else None,
        )  # fmt: skip
        session.commit()
    except PrivacyRequestError as exc:
        session.rollback()
        raise _bad(exc) from None
    return AuthorDeletion(mentions=found, rows=rows)
