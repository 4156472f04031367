"""The explore page (``/explore``): a boolean query, its results with the words marked, and charts
that drill down; ``q2`` puts a second query (another period) beside the first. Any role reads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from shenava.web import explore
from shenava.web.deps import AnyUser, Db
from shenava.web.formatting import Formatter
from shenava.web.messages import label, translator
from shenava.web.templating import render

router = APIRouter(include_in_schema=False)
QueryText = Annotated[str, Query(max_length=1000)]


@router.get("/explore")
def explore_page(
    request: Request, session: Db, login: AnyUser, q: QueryText = "", q2: QueryText = ""
) -> Response:
    web = request.app.state.web
    language = web.settings.language
    t, fmt = translator(language), Formatter(language, web.tz)

    def label_of(group: str, value: str) -> str:
        return label(language, group, value)

    views = [explore.build(session, q, web.tz, t, fmt, label_of)]
    if q2.strip():
        views.append(explore.build(session, q2, web.tz, t, fmt, label_of))
    return render(request, "explore.html", login=login, active="explore", q=q, q2=q2, views=views)
