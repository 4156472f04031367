"""Teams of support people: create, list, members, remove; which teams a person is in.

Every change is written to the audit log in the caller's transaction (target ``team:<name>``);
``shenava teams`` and the admin's page call these functions, ``alerts.workflow.assign`` checks a
team exists with ``get_team``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.accounts import Account
from storage.models import Incident, UrgentAlert
from storage.teams import Team, TeamMember

NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


class TeamError(ValueError):
    """The team or account does not exist, already exists, or the name is not allowed."""


def find_team(session: Session, name: str) -> Team | None:
    return session.scalar(select(Team).where(Team.name == name))


def get_team(session: Session, name: str) -> Team:
    team = find_team(session, name)
    if team is None:
        raise TeamError(f"no team named {name!r}")
    return team


def _account(session: Session, name: str) -> Account:
    account = session.scalar(select(Account).where(Account.name == name))
    if account is None:
        raise TeamError(f"no account named {name!r}")
    return account


def add_team(session: Session, name: str, *, display_name: str | None = None, by: str) -> Team:
    name = (name or "").strip()
    if not NAME.match(name):
        raise TeamError("a team name is 1–64 Latin letters, digits, _ . or -")
    if find_team(session, name) is not None:
        raise TeamError(f"a team named {name!r} already exists")
    shown = (display_name or "").strip()[:128] or name
    team = Team(name=name, display_name=shown, created_at=datetime.now(UTC))
    session.add(team)
    session.flush()
    audit.record(session, actor=by, action="team.add", target=f"team:{name}", new={"display_name": shown})
    return team


def list_teams(session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.name)))


def display_names(session: Session) -> dict[str, str]:
    """team name → the name people read."""
    return {name: shown for name, shown in session.execute(select(Team.name, Team.display_name))}


def members(session: Session, name: str) -> list[Account]:
    team = get_team(session, name)
    query = (
        select(Account)
        .join(TeamMember, TeamMember.account_id == Account.id)
        .where(TeamMember.team_id == team.id)
        .order_by(Account.name)
    )
    return list(session.scalars(query))


def memberships(session: Session) -> dict[str, list[str]]:
    """team name → its members' account names (every team, empty ones too)."""
    out: dict[str, list[str]] = {t.name: [] for t in list_teams(session)}
    query = (
        select(Team.name, Account.name)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .join(Account, Account.id == TeamMember.account_id)
        .order_by(Team.name, Account.name)
    )
    for team, account in session.execute(query):
        out[team].append(account)
    return out


def teams_of(session: Session, account_name: str) -> list[str]:
    """The names of the teams ``account_name`` belongs to."""
    query = (
        select(Team.name)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .join(Account, Account.id == TeamMember.account_id)
        .where(Account.name == account_name)
        .order_by(Team.name)
    )
    return list(session.scalars(query))


def add_member(session: Session, team_name: str, account_name: str, *, by: str) -> bool:
    """Put the account in the team; False when it already was."""
    team, account = get_team(session, team_name), _account(session, account_name)
    if session.get(TeamMember, (team.id, account.id)) is not None:
        return False
    session.add(TeamMember(team_id=team.id, account_id=account.id, added_at=datetime.now(UTC)))
    audit.record(session, actor=by, action="team.member_add", target=f"team:{team.name}",
                 new={"member": account.name})  # fmt: skip
    return True


def remove_member(session: Session, team_name: str, account_name: str, *, by: str) -> bool:
    """Take the account out of the team; False when it was not in it."""
    team, account = get_team(session, team_name), _account(session, account_name)
    row = session.get(TeamMember, (team.id, account.id))
    if row is None:
        return False
    session.delete(row)
    audit.record(session, actor=by, action="team.member_remove", target=f"team:{team.name}",
                 old={"member": account.name})  # fmt: skip
    return True


def remove_team(session: Session, name: str, *, by: str) -> int:
    """Delete the team and its memberships; alerts assigned to it lose the team (their history keeps
    it). Returns how many alerts were unassigned."""
    team = get_team(session, name)
    unassigned = 0
    for model in (Incident, UrgentAlert):
        result = session.execute(update(model).where(model.assigned_team == name).values(assigned_team=None))
        unassigned += result.rowcount or 0  # type: ignore[attr-defined]
    session.execute(delete(TeamMember).where(TeamMember.team_id == team.id))
    session.delete(team)
    audit.record(session, actor=by, action="team.remove", target=f"team:{name}",
                 old={"display_name": team.display_name}, new={"unassigned": unassigned})  # fmt: skip
    return unassigned
