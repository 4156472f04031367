"""``shenava teams``: teams of support people (add, list, members, remove); every change audited.

An incident or urgent alert can be assigned to a team (the inbox, ``POST /api/v1/incidents/{id}/assign``
with ``team``); "mine" in the inbox then includes what is assigned to one's teams.
"""

from __future__ import annotations

from typing import Annotated

import typer

from shenava.cli_support import ConfigOption, console, migrated_sessions_or_exit, print_error

teams_app = typer.Typer(help="Teams of support people: assign alerts to a team, filter the inbox by team.")
TeamName = Annotated[str, typer.Argument(help="Team name (Latin letters, digits, _ . -).")]
ACTOR = "cli"


def register(app: typer.Typer) -> None:
    app.add_typer(teams_app, name="teams")


def _run(config, action):  # type: ignore[no-untyped-def]
    """Run ``action(session)`` in one transaction; a bad name or value is one line, exit 2."""
    from storage.team_store import TeamError

    _, sessions = migrated_sessions_or_exit(config)
    with sessions() as session:
        try:
            result = action(session)
        except TeamError as exc:
            session.rollback()
            print_error(exc)
            raise typer.Exit(2) from None
        session.commit()
    return result


@teams_app.command("add")
def add(
    name: TeamName,
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="Name shown in the inbox (e.g. Persian).")
    ] = None,
    member: Annotated[
        list[str] | None, typer.Option("--member", "-m", help="An account to put in the team (repeatable).")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Create a team, optionally with its members."""
    from storage.team_store import add_member, add_team

    def action(session):  # type: ignore[no-untyped-def]
        add_team(session, name, display_name=display_name, by=ACTOR)
        for account in member or []:
            add_member(session, name, account, by=ACTOR)

    _run(config, action)
    console.print(f"[green]✓[/] team {name} created" + (f" with {len(member)} member(s)" if member else ""))


@teams_app.command("list")
def list_cmd(config: ConfigOption = None) -> None:
    """Teams with their display name and members."""
    from storage.team_store import display_names, memberships

    found = _run(config, lambda session: (display_names(session), memberships(session)))
    shown, members = found
    if not shown:
        console.print("no teams yet: `shenava teams add NAME --member ACCOUNT`")
        return
    for name in sorted(shown):
        people = ", ".join(members.get(name, [])) or "-"
        console.print(f"{name:<20} {shown[name]:<24} members: {people}", markup=False, highlight=False)


@teams_app.command("members")
def members_cmd(
    name: TeamName,
    add: Annotated[list[str] | None, typer.Option("--add", help="Account to add (repeatable).")] = None,
    remove: Annotated[
        list[str] | None, typer.Option("--remove", help="Account to remove (repeatable).")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Show a team's members; --add/--remove change them first."""
    from storage.team_store import add_member, members, remove_member

    def action(session):  # type: ignore[no-untyped-def]
        changes = [f"+{a}" for a in add or [] if add_member(session, name, a, by=ACTOR)]
        changes += [f"-{a}" for a in remove or [] if remove_member(session, name, a, by=ACTOR)]
        return changes, [(m.name, m.display_name, m.role) for m in members(session, name)]

    changes, people = _run(config, action)
    if changes:
        console.print(f"[green]✓[/] {name}: {' '.join(changes)}", highlight=False)
    if not people:
        console.print(f"team {name} has no members yet: `shenava teams members {name} --add ACCOUNT`")
    for account, shown, role in people:
        console.print(f"{account:<20} {role:<8} ({shown})", markup=False, highlight=False)


@teams_app.command("remove")
def remove(name: TeamName, config: ConfigOption = None) -> None:
    """Delete a team; alerts assigned to it lose the team (their history keeps it)."""
    from storage.team_store import remove_team

    unassigned = _run(config, lambda session: remove_team(session, name, by=ACTOR))
    console.print(f"[green]✓[/] team {name} removed; {unassigned} alert(s) no longer assigned to it")
