"""Saved searches and their alert rules (issue 13): list, read, create, change, delete, and the hours
a rule fired for. Any key reads its own searches and those shared with everyone; analyst and admin
keys manage (a key owns what it creates; an admin key may change any). A query the boolean grammar
cannot read is a 422 whose detail gives the column of the mistake."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Request, Response
from pydantic import BaseModel, Field

from shenava.api.auth import ApiKey
from shenava.api.deps import Analyst, SessionDep
from shenava.api.responses import KEYED, _answer
from storage import saved_searches
from storage.saved_searches import MAX_FOLLOWERS, MAX_PER_HOUR, Fields, SavedSearch, SavedSearchError

router = APIRouter(prefix="/api/v1/saved-searches", tags=["saved searches"], responses=KEYED)
SearchId = Annotated[int, Path(ge=1, le=2**63 - 1)]
MANAGERS = ("analyst", "admin")
ONE = {**KEYED, 404: _answer("No saved search with this id that this key may see.")}
WRITE = {
    **ONE,
    409: _answer("This key already has a saved search with this name."),
    422: _answer("The body is invalid: the detail names the field, and the column of a query's mistake."),
}


class SavedSearchIn(BaseModel):
    name: str = Field(min_length=1, max_length=saved_searches.MAX_NAME)
    query: str = Field(min_length=1, max_length=saved_searches.MAX_QUERY, description="Boolean query.")
    sharing: Literal["private", "team", "everyone"] = "private"
    team: str | None = Field(default=None, max_length=64, description="The team's name (sharing=team).")
    rule_enabled: bool = False
    rule_per_hour: int | None = Field(default=None, ge=1, le=MAX_PER_HOUR, description="≥ N matches an hour.")
    rule_min_followers: int | None = Field(
        default=None, ge=0, le=MAX_FOLLOWERS, description="Any match by an author with ≥ X followers."
    )


class SavedSearchOut(BaseModel):
    id: int
    name: str
    query: str
    owner: str
    sharing: str
    team: str | None
    rule_enabled: bool
    rule_per_hour: int | None
    rule_min_followers: int | None
    created_at: datetime
    updated_at: datetime


class Firing(BaseModel):
    rule: str
    window_start: datetime
    count: int
    mention_id: int | None
    urgent_id: int | None
    fired_at: datetime


def _out(row: SavedSearch) -> SavedSearchOut:
    return SavedSearchOut.model_validate(row, from_attributes=True)


def _manager(key: ApiKey) -> None:
    if key.role not in MANAGERS:
        detail = f"managing saved searches needs the analyst or admin role; key {key.name!r} is {key.role}"
        raise HTTPException(status_code=403, detail=detail)


def _visible(session: SessionDep, search_id: int, key: ApiKey) -> SavedSearch:
    row = saved_searches.get_visible(session, search_id, key.name)
    if row is None:
        raise HTTPException(status_code=404, detail=f"no saved search #{search_id}")
    return row


def _owned(session: SessionDep, search_id: int, key: ApiKey) -> SavedSearch:
    _manager(key)
    row = _visible(session, search_id, key)
    if row.owner != key.name and key.role != "admin":
        raise HTTPException(status_code=403, detail=f"saved search #{search_id} belongs to {row.owner!r}")
    return row


def _refused(exc: SavedSearchError) -> HTTPException:
    if "already have" in str(exc):
        return HTTPException(status_code=409, detail=str(exc))
    item: dict[str, object] = {"loc": ["body", exc.field], "msg": str(exc), "type": "value_error"}
    if exc.query_error is not None:
        item["column"] = exc.query_error.column
    return HTTPException(status_code=422, detail=[item])


def _fields(body: SavedSearchIn) -> Fields:
    return Fields(**body.model_dump())


@router.get("", response_model=list[SavedSearchOut], summary="The saved searches this key may see")
def list_saved_searches(session: SessionDep, key: Analyst) -> list[SavedSearchOut]:
    return [_out(row) for row in saved_searches.list_visible(session, key.name)]


@router.post("", response_model=SavedSearchOut, status_code=201, summary="Save a search", responses=WRITE)
def create_saved_search(
    request: Request, session: SessionDep, key: Analyst, body: SavedSearchIn
) -> SavedSearchOut:
    _manager(key)
    try:
        row = saved_searches.add(session, key.name, _fields(body), tz=_tz(request))
    except SavedSearchError as exc:
        raise _refused(exc) from None
    session.commit()
    return _out(row)


@router.get("/{search_id}", response_model=SavedSearchOut, summary="One saved search", responses=ONE)
def show_saved_search(session: SessionDep, key: Analyst, search_id: SearchId) -> SavedSearchOut:
    return _out(_visible(session, search_id, key))


@router.put("/{search_id}", response_model=SavedSearchOut, summary="Change a saved search", responses=WRITE)
def update_saved_search(
    request: Request, session: SessionDep, key: Analyst, search_id: SearchId, body: SavedSearchIn
) -> SavedSearchOut:
    row = _owned(session, search_id, key)
    try:
        saved_searches.update(session, row, _fields(body), tz=_tz(request))
    except SavedSearchError as exc:
        raise _refused(exc) from None
    session.commit()
    return _out(row)


@router.delete("/{search_id}", status_code=204, summary="Delete a saved search", responses=ONE)
def delete_saved_search(session: SessionDep, key: Analyst, search_id: SearchId) -> Response:
    saved_searches.remove(session, _owned(session, search_id, key))
    session.commit()
    return Response(status_code=204)


@router.get(
    "/{search_id}/alerts",
    response_model=list[Firing],
    summary="The hours (of mention time) its rule fired for, newest first",
    responses=ONE,
)
def saved_search_alerts(session: SessionDep, key: Analyst, search_id: SearchId) -> list[Firing]:
    row = _visible(session, search_id, key)
    return [
        Firing.model_validate(f, from_attributes=True) for f in saved_searches.firings(session, row.id, 100)
    ]


def _tz(request: Request) -> str:
    return str(getattr(request.app.state.settings, "timezone", None) or "Asia/Tehran")
