"""Dead letters: mentions a source gave that could not be stored (support and admin).

Read-only here; ``shenava deadletter retry|drop`` acts on them (it needs the NLP models).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from pydantic import BaseModel

from shenava.api.deps import Support
from shenava.api.responses import KEYED, _answer

router = APIRouter(prefix="/api/v1/deadletters", tags=["deadletters"], responses=KEYED)


class DeadLetterRow(BaseModel):
    id: int
    listener: str
    source: str
    external_id: str
    error: str
    attempts: int
    created_at: datetime
    last_failed_at: datetime


class DeadLetterPage(BaseModel):
    total: int
    items: list[DeadLetterRow]


class DeadLetterDetail(DeadLetterRow):
    #: the mention as the source gave it (after the boundary's checks)
    payload: dict[str, Any]


@router.get("", response_model=DeadLetterPage, summary="Mentions that could not be stored, newest first")
def list_dead_letters(
    request: Request,
    _: Support,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> DeadLetterPage:
    from storage import deadletters

    engine = request.app.state.engine
    rows = deadletters.list_rows(engine, limit=limit, offset=offset)
    return DeadLetterPage(total=deadletters.count(engine), items=[DeadLetterRow(**r) for r in rows])


@router.get(
    "/{dead_letter_id}",
    response_model=DeadLetterDetail,
    summary="One dead letter with its mention",
    responses={404: _answer("No dead letter with this id.")},
)
def show_dead_letter(
    request: Request, _: Support, dead_letter_id: Annotated[int, Path(ge=1, le=2**63 - 1)]
) -> DeadLetterDetail:
    import json

    from storage import deadletters

    row = deadletters.get(request.app.state.engine, dead_letter_id)
    if row is None:
        raise HTTPException(status_code=404, detail=f"no dead letter #{dead_letter_id}")
    row["payload"] = json.loads(row["payload"])
    return DeadLetterDetail(**row)
