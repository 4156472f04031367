"""The saved-searches pages (``/searches``): list, create (``/searches/new?q=…`` from explore), edit,
delete, and the alert rule. Everyone logged in reads what is shared with them; analysts and admins
manage (an analyst their own searches, an admin any). A mistake comes back in the form, in the
page's language, the query's with its column."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from shenava.web.deps import AnyUser, Db, PostedForm
from shenava.web.errors import NotFound
from shenava.web.explore import error_message
from shenava.web.formatting import Formatter
from shenava.web.messages import translator
from shenava.web.sessions import Forbidden, Login
from shenava.web.templating import render
from storage import saved_searches
from storage.saved_searches import Fields, SavedSearch, SavedSearchError

router = APIRouter(include_in_schema=False)
SearchId = Annotated[int, Path(ge=1, le=2**63 - 1)]
MANAGERS = ("analyst", "admin")


class _BadNumber(ValueError):
    def __init__(self, field: str, value: str) -> None:
        super().__init__(value)
        self.field, self.value = field, value


def _require_manager(login: Login) -> None:
    if login.user.role not in MANAGERS:
        raise Forbidden("analyst")


def _editable(session: Session, login: Login, search_id: int) -> SavedSearch:
    _require_manager(login)
    row = saved_searches.get_visible(session, search_id, login.user.name)
    if row is None:
        raise NotFound()
    if row.owner != login.user.name and login.user.role != "admin":
        raise Forbidden("admin")
    return row


def _team_names(session: Session) -> dict[str, str]:
    try:
        from storage.teams import Team
    except ImportError:  # a checkout without teams (issue 12)
        return {}
    rows = session.execute(select(Team.name, Team.display_name).order_by(Team.name))
    return {name: shown for name, shown in rows}


def _int(form: FormData, field: str) -> int | None:
    value = str(form.get(field) or "").strip()
    if not value:
        return None
    digits = value.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789"))
    if not digits.isdigit() or len(digits) > 12:
        raise _BadNumber(field, value[:40])
    return int(digits)


def _fields(form: FormData) -> Fields:
    return Fields(
        name=str(form.get("name") or ""),
        query=str(form.get("query") or ""),
        sharing=str(form.get("sharing") or "private"),
        team=str(form.get("team") or "") or None,
        rule_enabled=form.get("rule_enabled") in ("on", "1", "true"),
        rule_per_hour=_int(form, "rule_per_hour"),
        rule_min_followers=_int(form, "rule_min_followers"),
    )


def _form_page(request: Request, session: Session, login: Login, values: dict[str, Any], *,
               row: SavedSearch | None = None, error: str | None = None, error_field: str | None = None,
               caret: str = "", status_code: int = 200) -> Response:  # fmt: skip
    return render(request, "searches_form.html", status_code=status_code, login=login, active="searches",
                  row=row, v=values, error=error, error_field=error_field, caret=caret,
                  teams=_team_names(session))  # fmt: skip


def _save(
    request: Request, session: Session, login: Login, form: FormData, row: SavedSearch | None
) -> Response:
    web = request.app.state.web
    t, fmt = translator(web.settings.language), Formatter(web.settings.language, web.tz)
    values = {k: str(form.get(k) or "") for k in ("name", "query", "sharing", "team", "rule_per_hour",
                                                     "rule_min_followers")}  # fmt: skip
    values["rule_enabled"] = form.get("rule_enabled") in ("on", "1", "true")
    try:
        fields = _fields(form)
        if row is None:
            row = saved_searches.add(session, login.user.name, fields, tz=web.tz)
        else:
            saved_searches.update(session, row, fields, tz=web.tz)
        session.commit()
    except _BadNumber as exc:
        message = t("searches.err.number", value=exc.value)
        return _form_page(request, session, login, values, row=row, error=message, error_field=exc.field,
                          status_code=400)  # fmt: skip
    except SavedSearchError as exc:
        session.rollback()
        caret = ""
        if exc.query_error is not None:
            message, caret = (
                error_message(exc.query_error, t, fmt.digits),
                exc.query_error.caret(fields.query),
            )
        elif "already have" in str(exc):
            message = t("searches.err.name_taken")
        else:
            message = t(f"searches.err.{exc.field}")
        return _form_page(request, session, login, values, row=row, error=message, error_field=exc.field,
                          caret=caret, status_code=400)  # fmt: skip
    return RedirectResponse(f"/searches?saved={row.id}", status_code=303)


@router.get("/searches")
def searches_page(
    request: Request, session: Db, login: AnyUser, saved: int = 0, deleted: int = 0
) -> Response:
    rows = saved_searches.list_visible(session, login.user.name)
    fired = {row.id: saved_searches.firings(session, row.id, limit=1) for row in rows}
    return render(request, "searches.html", login=login, active="searches", rows=rows, fired=fired,
                  saved=saved, deleted=deleted, can_manage=login.user.role in MANAGERS,
                  teams=_team_names(session))  # fmt: skip


@router.get("/searches/new")
def new_search(
    request: Request, session: Db, login: AnyUser, q: Annotated[str, Query(max_length=1000)] = ""
) -> Response:
    _require_manager(login)
    values = {"name": "", "query": q, "sharing": "private", "team": "", "rule_enabled": False,
              "rule_per_hour": "", "rule_min_followers": ""}  # fmt: skip
    return _form_page(request, session, login, values)


@router.post("/searches/new")
def create_search(request: Request, session: Db, login: AnyUser, form: PostedForm) -> Response:
    _require_manager(login)
    return _save(request, session, login, form, None)


@router.get("/searches/{search_id}/edit")
def edit_search(request: Request, search_id: SearchId, session: Db, login: AnyUser) -> Response:
    row = _editable(session, login, search_id)
    values = {**saved_searches.to_json(row)}
    followers = "" if row.rule_min_followers is None else row.rule_min_followers
    values.update(team=row.team or "", rule_per_hour=row.rule_per_hour or "", rule_min_followers=followers)
    return _form_page(request, session, login, values, row=row)


@router.post("/searches/{search_id}/edit")
def update_search(
    request: Request, search_id: SearchId, session: Db, login: AnyUser, form: PostedForm
) -> Response:
    return _save(request, session, login, form, _editable(session, login, search_id))


@router.post("/searches/{search_id}/delete")
def delete_search(
    request: Request, search_id: SearchId, session: Db, login: AnyUser, form: PostedForm
) -> Response:
    saved_searches.remove(session, _editable(session, login, search_id))
    session.commit()
    return RedirectResponse("/searches?deleted=1", status_code=303)
