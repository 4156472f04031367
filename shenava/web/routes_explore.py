"""The explore page (``/explore``): a boolean query, its results with the words marked, and charts
that drill down; ``q2`` puts a second query (another period) beside the first; ``bucket`` shows
volume per hour, day or week. ``/explore/export`` streams the results (CSV, JSON Lines, Parquet);
``/explore/chart/{name}.svg|.png`` downloads one chart; ``/dashboards`` (routes_dashboards) is
included here. Any role reads."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from shenava.api.export_stream import export_response
from shenava.web import explore, routes_dashboards
from shenava.web import messages_analytics as _words  # noqa: F401  (adds the page's words)
from shenava.web.chart_files import png, standalone_svg
from shenava.web.deps import AnyUser, Db
from shenava.web.errors import NotFound
from shenava.web.explore_volume import BUCKETS
from shenava.web.formatting import Formatter
from shenava.web.messages import label, translator
from shenava.web.templating import render
from storage.boolean_query import QueryError
from storage.limits import MAX_EXPORT_ROWS
from storage.query import MentionQuery, SearchError

router = APIRouter(include_in_schema=False)
# the brand dashboards come with the explore page (the same readers, the same drill-down target)
router.include_router(routes_dashboards.router)
QueryText = Annotated[str, Query(max_length=1000)]
Bucket = Annotated[Literal["hour", "day", "week"], Query()]


@router.get("/explore")
def explore_page(
    request: Request, session: Db, login: AnyUser, q: QueryText = "", q2: QueryText = "",
    bucket: Bucket = "day",
) -> Response:  # fmt: skip
    web = request.app.state.web
    language = web.settings.language
    t, fmt = translator(language), Formatter(language, web.tz)

    def label_of(group: str, value: str) -> str:
        return label(language, group, value)

    views = [explore.build(session, q, web.tz, t, fmt, label_of, bucket, web.brand_words)]
    if q2.strip():
        views.append(explore.build(session, q2, web.tz, t, fmt, label_of, bucket, web.brand_words))
    return render(
        request, "explore.html", login=login, active="explore", q=q, q2=q2, views=views, bucket=bucket,
        buckets=BUCKETS, formats=("csv", "jsonl", "parquet"), export_cap=fmt.number(MAX_EXPORT_ROWS),
    )  # fmt: skip


@router.get("/explore/export")
def explore_export(
    request: Request, login: AnyUser, q: QueryText = "", format: Literal["csv", "jsonl", "parquet"] = "csv"
) -> Response:
    """The query's results as a file, streamed (the page's query, newest first, up to the cap)."""
    web = request.app.state.web
    t, fmt = translator(web.settings.language), Formatter(web.settings.language, web.tz)
    try:
        query = MentionQuery(text=q or None, tz=web.tz)
        return export_response(request.app.state.sessions, query, format)
    except QueryError as exc:
        return _bad_request(request, login, explore.error_message(exc, t, fmt.digits))
    except (SearchError, ValueError) as exc:
        return _bad_request(request, login, str(exc))


@router.get("/explore/chart/{name}.{kind}")
def explore_chart(
    request: Request, session: Db, login: AnyUser, name: str, kind: str, q: QueryText = "",
    bucket: Bucket = "day",
) -> Response:  # fmt: skip
    """One chart of the page as an SVG or PNG file (the same drawing, links taken out)."""
    if name not in explore.CHARTS or kind not in ("svg", "png"):
        raise NotFound()
    web = request.app.state.web
    language = web.settings.language
    t, fmt = translator(language), Formatter(language, web.tz)
    try:
        chart = explore.one_chart(
            session, q, name, bucket, t, fmt, lambda g, v: label(language, g, v), web.brand_words
        )
    except QueryError as exc:
        return _bad_request(request, login, explore.error_message(exc, t, fmt.digits))
    except (SearchError, ValueError) as exc:
        return _bad_request(request, login, str(exc))
    svg = standalone_svg(chart)
    disposition = {"Content-Disposition": f'attachment; filename="shenava-{name}.{kind}"'}
    if kind == "svg":
        return Response(svg, media_type="image/svg+xml; charset=utf-8", headers=disposition)
    return Response(png(svg), media_type="image/png", headers=disposition)


def _bad_request(request: Request, login: object, message: str) -> Response:
    return render(request, "error.html", status_code=400, login=login, active="explore", message=message)
