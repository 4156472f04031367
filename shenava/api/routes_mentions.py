"""Archive endpoints: search, streaming export, aggregates."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ValidationError

from shenava.api.deps import Analyst, SessionDep
from shenava.api.responses import ARCHIVE
from storage.aggregates import sentiment_share, share_of_voice, touchpoint_counts, volume_by
from storage.limits import MAX_EXPORT_ROWS, MAX_FOLLOWERS, MAX_LIMIT, MAX_OFFSET
from storage.query import MentionHit, MentionQuery
from storage.search import search_mentions

router = APIRouter(prefix="/api/v1", tags=["archive"], responses=ARCHIVE)


def mention_query(
    text: Annotated[
        str | None, Query(max_length=1000, description='Words (AND), "phrase", prefix*, -exclude.')
    ] = None,
    brand: Annotated[list[str] | None, Query(description="Brand (repeatable).")] = None,
    source: Annotated[list[str] | None, Query(description="Source (repeatable).")] = None,
    sentiment: Annotated[list[str] | None, Query(description="negative, neutral, positive.")] = None,
    touchpoint: Annotated[list[str] | None, Query(description="Touchpoint, e.g. delivery.")] = None,
    lang: Annotated[list[str] | None, Query(description="fa, ar, en, finglish.")] = None,
    author: Annotated[str | None, Query(max_length=200, description="Author handle.")] = None,
    since: Annotated[str | None, Query(description="Jalali 1403-09-01, ISO date or timestamp.")] = None,
    until: Annotated[str | None, Query(description="Inclusive day, or an exclusive timestamp.")] = None,
    min_followers: Annotated[int | None, Query(ge=0, le=MAX_FOLLOWERS)] = None,
    sort: Annotated[str, Query(description="newest, oldest, relevance, reach, urgency.")] = "newest",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    return dict(
        text=text, brands=brand or [], sources=source or [], sentiments=sentiment or [],
        aspects=touchpoint or [], langs=lang or [], author=author, since=since, until=until,
        min_followers=min_followers, sort=sort, limit=limit, offset=offset,
    )  # fmt: skip


def build_query(request: Request, params: dict[str, Any]) -> MentionQuery:
    """A validated query, or a 422 that says which parameter is wrong and why."""
    try:
        return MentionQuery(tz=request.app.state.settings.timezone, **params)
    except ValidationError as exc:
        detail = [
            {
                "loc": ["query", *map(str, e["loc"])],
                "msg": e["msg"].removeprefix("Value error, "),
                "type": e["type"],
            }
            for e in exc.errors()
        ]
        raise HTTPException(status_code=422, detail=detail) from None


QueryParams = Annotated[dict[str, Any], Depends(mention_query)]


class MentionPage(BaseModel):
    total: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[MentionHit]


@router.get("/mentions", response_model=MentionPage, summary="Search mentions")
def list_mentions(request: Request, params: QueryParams, session: SessionDep, _: Analyst) -> MentionPage:
    query = build_query(request, params)
    page = search_mentions(session, query)
    following = query.offset + len(page.items)
    return MentionPage(
        total=page.total, limit=query.limit, offset=query.offset, items=page.items,
        next_offset=following if following < page.total else None,
    )  # fmt: skip


@router.get(
    "/mentions/export",
    summary="Export mentions (CSV, JSON Lines or Parquet, streamed)",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The matching mentions as CSV (UTF-8), JSON Lines or Parquet, streamed.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
                "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
def export_mentions(
    request: Request,
    params: QueryParams,
    _: Analyst,
    format: Annotated[Literal["csv", "jsonl", "parquet"], Query(description="csv, jsonl or parquet")] = "csv",
    max_rows: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_EXPORT_ROWS,
            description=f"Stop after this many rows; none: all (cap {MAX_EXPORT_ROWS:,}).",
        ),
    ] = None,
) -> StreamingResponse:
    from shenava.api.export_stream import export_response

    return export_response(request.app.state.sessions, build_query(request, params), format, max_rows)


@router.get("/aggregates/volume", summary="Mentions per local day or hour, by sentiment")
def volume(
    request: Request, params: QueryParams, session: SessionDep, _: Analyst,
    bucket: Annotated[Literal["day", "hour"], Query()] = "day",
) -> list[dict[str, Any]]:  # fmt: skip
    query = build_query(request, params)
    points = volume_by(session, query, bucket)
    return [
        {"start": p.start.isoformat(), "total": p.total, "negative": p.negative, "neutral": p.neutral,
         "positive": p.positive}
        for p in points
    ]  # fmt: skip


@router.get("/aggregates/sentiment", summary="Sentiment share and net sentiment")
def sentiment(request: Request, params: QueryParams, session: SessionDep, _: Analyst) -> dict[str, Any]:
    query = build_query(request, params)
    s = sentiment_share(session, query)
    return {
        "total": s.total,
        "negative": s.negative,
        "neutral": s.neutral,
        "positive": s.positive,
        "net": s.net,
    }


@router.get("/aggregates/share-of-voice", summary="Each brand's share of brand mentions")
def voice(request: Request, params: QueryParams, session: SessionDep, _: Analyst) -> list[dict[str, Any]]:
    query = build_query(request, params)
    shares = share_of_voice(session, query)
    return [
        {"brand": v.brand, "mentions": v.mentions, "share": v.share, "net_sentiment": v.net_sentiment}
        for v in shares
    ]


@router.get("/aggregates/touchpoints", summary="Mentions per touchpoint (delivery, price, support…)")
def touchpoints(
    request: Request, params: QueryParams, session: SessionDep, _: Analyst
) -> list[dict[str, Any]]:
    query = build_query(request, params)
    counts = touchpoint_counts(session, query)
    return [{"touchpoint": name, "mentions": count} for name, count in counts]
