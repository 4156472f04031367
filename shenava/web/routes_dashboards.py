"""Brand dashboards (``/dashboards``): pick a brand and a period (the last 7/30/90 days, or Jalali
from/to days) and see the digest's content live, with trends; every figure drills into explore."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import jdatetime
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from domain.brands import BrandSettings, competitors_of
from shenava.web import messages_analytics as _words  # noqa: F401  (adds the page's words)
from shenava.web.dashboard_charts import charts, colours
from shenava.web.dashboard_period import PRESETS, PeriodError, read_period
from shenava.web.dashboards import build_dashboard, latest_day
from shenava.web.deps import AnyUser, Db
from shenava.web.formatting import Formatter
from shenava.web.messages import label, translator
from shenava.web.templating import render
from storage.search_dates import jalali_label

router = APIRouter(include_in_schema=False)
Day = Annotated[str, Query(max_length=40)]


@router.get("/dashboards")
def dashboard_page(
    request: Request,
    session: Db,
    login: AnyUser,
    brand: Annotated[str, Query(max_length=64)] = "",
    days: Annotated[int | None, Query(ge=1, le=366)] = None,
    start: Annotated[str, Query(alias="from", max_length=40)] = "",
    end: Annotated[str, Query(alias="to", max_length=40)] = "",
) -> Response:
    web = request.app.state.web
    language = web.settings.language
    t, fmt = translator(language), Formatter(language, web.tz)
    brands = _brands(request)
    brand = brand or (brands[0] if brands else "")

    def name_of(b: str) -> str:
        return str(web.brand_names.get(b, b))

    def page(status: int = 200, **more: object) -> Response:
        context = dict(login=login, active="dashboards", brands=brands, brand=brand, presets=PRESETS,
                       start=start, end=end, days=days, board=None, error=None, name_of=name_of,
                       hints=_day_hints(web.tz, fmt))  # fmt: skip
        return render(request, "dashboard.html", status_code=status, **{**context, **more})

    if not brands:
        return page(error=t("dash.no_brands"))
    if brand not in brands:
        return page(400, error=t("dash.bad_brand", brand=brand))
    try:
        period = read_period(days, start, end, web.tz, datetime.now(UTC))
    except PeriodError as exc:
        values = {k: fmt.digits(v) if k == "n" else v for k, v in exc.values.items()}
        return page(400, error=t(exc.key, **values))
    configured = getattr(request.app.state.settings, "brands", []) or []
    board = build_dashboard(session, brand, period, _competitors(configured, brand), configured=configured)
    latest = None
    if not board.digest.current.total:  # nothing here: say where this brand's mentions are
        day = latest_day(session, brand, web.tz)
        if day is not None and not period.first <= day <= period.last:
            latest = _latest_link(brand, day, fmt, t)
    figures = charts(board, t, fmt, name_of, lambda g, v: label(language, g, v))
    fa = language == "fa"
    shown = t("dash.range", first=jalali_label(period.first, persian_digits=fa),
              last=jalali_label(period.last, persian_digits=fa))  # fmt: skip
    return page(board=board, figures=figures, colours=colours(board), days=period.preset, period_label=shown,
                latest=latest)  # fmt: skip


def _latest_link(brand: str, day: date, fmt: Formatter, t: Any) -> tuple[str, str]:
    """(the sentence naming the newest mention's day, the link to the seven days up to it)."""
    first = day - timedelta(days=PRESETS[0] - 1)
    # in the page's digits, as the boxes it fills show them (the period parser reads both)
    jalali = [fmt.digits(jdatetime.date.fromgregorian(date=d).strftime("%Y/%m/%d")) for d in (first, day)]
    href = "/dashboards?" + urlencode({"brand": brand, "from": jalali[0], "to": jalali[1]})
    return t("dash.latest", day=jalali[1]), href


def _day_hints(tz: str, fmt: Formatter) -> tuple[str, str]:
    """The from/to boxes' examples: the last seven days as Jalali dates, in the page's digits."""
    last = datetime.now(UTC).astimezone(ZoneInfo(tz)).date()
    return tuple(  # type: ignore[return-value]
        fmt.digits(jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d"))
        for day in (last - timedelta(days=PRESETS[0] - 1), last)
    )


def _brands(request: Request) -> list[str]:
    """Every configured brand."""
    return [b.name for b in getattr(request.app.state.settings, "brands", []) or []]


def _competitors(configured: Sequence[BrandSettings], brand: str) -> list[str]:
    """The brands ``brand`` is compared with (``competitors_of``); where no brand is marked
    competitor and ``brand`` names none, every other brand."""
    own = next((b for b in configured if b.name == brand), None)
    if own is not None and own.competitors is None and not any(b.competitor for b in configured):
        return [b.name for b in configured if b.name != brand]
    return competitors_of(configured, brand)
