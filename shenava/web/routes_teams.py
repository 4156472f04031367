"""The teams page (``/teams``): teams and their members, managed by an admin; anyone may read it.
Each change is a ``storage.team_store`` call, audited there, one transaction per form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from shenava.web.accounts import list_accounts
from shenava.web.deps import AdminUser, AnyUser, Db, PostedForm
from shenava.web.errors import Conflict
from shenava.web.templating import render
from storage import team_store

router = APIRouter(include_in_schema=False)
TeamName = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]


@router.get("/teams")
def teams_page(request: Request, session: Db, login: AnyUser) -> Response:
    return render(
        request, "teams.html", login=login, active="teams", done=request.query_params.get("done"),
        teams=team_store.list_teams(session), members=team_store.memberships(session),
        accounts=[a.name for a in list_accounts(session) if not a.disabled],
    )  # fmt: skip


def _change(session: Session, action: Callable[[], Any], done: str) -> Response:
    try:
        action()
        session.commit()
    except team_store.TeamError as exc:
        session.rollback()
        raise Conflict(str(exc)) from None
    return RedirectResponse(f"/teams?done={done}", status_code=303)


def _field(form: PostedForm, name: str, limit: int = 128) -> str:
    return str(form.get(name) or "").strip()[:limit]


@router.post("/teams")
def add_team(session: Db, login: AdminUser, form: PostedForm) -> Response:
    name, shown = _field(form, "name", 64), _field(form, "display_name")
    return _change(
        session, lambda: team_store.add_team(session, name, display_name=shown, by=login.user.name), "add"
    )


@router.post("/teams/{team}/members")
def add_member(team: TeamName, session: Db, login: AdminUser, form: PostedForm) -> Response:
    account = _field(form, "account", 64)
    return _change(
        session, lambda: team_store.add_member(session, team, account, by=login.user.name), "member"
    )


@router.post("/teams/{team}/members/{account}/remove")
def remove_member(
    team: TeamName, account: TeamName, session: Db, login: AdminUser, form: PostedForm
) -> Response:
    return _change(
        session, lambda: team_store.remove_member(session, team, account, by=login.user.name), "member"
    )


@router.post("/teams/{team}/remove")
def remove_team(team: TeamName, session: Db, login: AdminUser, form: PostedForm) -> Response:
    return _change(session, lambda: team_store.remove_team(session, team, by=login.user.name), "remove")
