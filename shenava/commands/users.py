"""``shenava users``: the people who log in to the web app (add, list, disable, enable, reset).

Passwords are printed once on the console when generated and never written to a log; give one
yourself with ``--password-stdin`` (e.g. from a password manager).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from shenava.cli_support import ConfigOption, console, migrated_sessions_or_exit, print_error

users_app = typer.Typer(help="People who log in to the web app (roles: analyst, support, admin).")
PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from standard input instead of generating one."),
]


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")


def _session(config):  # type: ignore[no-untyped-def]
    settings, sessions = migrated_sessions_or_exit(config)
    return settings, sessions()


def _password(from_stdin: bool) -> tuple[str, bool]:
    from shenava.web.accounts import new_password

    if from_stdin:
        return sys.stdin.readline().rstrip("\n"), False
    return new_password(), True


def _run(action):  # type: ignore[no-untyped-def]
    from shenava.web.accounts import AccountError

    try:
        return action()
    except AccountError as exc:
        print_error(exc)
        raise typer.Exit(2) from None


def _show_password(name: str, password: str, url: str) -> None:
    console.print(f"password for [bold]{name}[/] (shown once, not logged): [bold]{password}[/]")
    console.print(f"log in at {url}/login")


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Login name (Latin letters, digits, _ . -).")],
    role: Annotated[str, typer.Option("--role", "-r", help="analyst, support or admin.")] = "support",
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="Name shown to colleagues.")
    ] = None,
    password_stdin: PasswordStdin = False,
    config: ConfigOption = None,
) -> None:
    """Create an account; prints a generated password once."""
    from shenava.web.accounts import add as add_account

    settings, session = _session(config)
    password, generated = _password(password_stdin)
    with session:
        _run(lambda: add_account(session, name, role, password, display_name=display_name, by="cli"))
        session.commit()
    console.print(f"[green]✓[/] account {name} ({role}) created")
    if generated:
        _show_password(name, password, settings.web.public_url)


@users_app.command("list")
def list_users(config: ConfigOption = None) -> None:
    """Accounts with their role, state and last login."""
    from shenava.web.accounts import list_accounts

    _, session = _session(config)
    with session:
        rows = list_accounts(session)
    if not rows:
        console.print("no accounts yet: `shenava init` creates admin, `shenava users add NAME` others")
        return
    for a in rows:
        state = "disabled" if a.disabled else "active"
        last = a.last_login_at.isoformat(timespec="minutes") if a.last_login_at else "never"
        console.print(
            f"{a.name:<20} {a.role:<8} {state:<8} last login {last}  ({a.display_name})", markup=False
        )


def _set_disabled(name: str, disabled: bool, config) -> None:  # type: ignore[no-untyped-def]
    from shenava.web.accounts import set_disabled

    _, session = _session(config)
    with session:
        _run(lambda: set_disabled(session, name, disabled, by="cli"))
        session.commit()
    console.print(f"[green]✓[/] {name} {'disabled (logged out everywhere)' if disabled else 'enabled'}")


@users_app.command("disable")
def disable(name: Annotated[str, typer.Argument(help="Login name.")], config: ConfigOption = None) -> None:
    """Stop an account from logging in and end its sessions."""
    _set_disabled(name, True, config)


@users_app.command("enable")
def enable(name: Annotated[str, typer.Argument(help="Login name.")], config: ConfigOption = None) -> None:
    """Let a disabled account log in again."""
    _set_disabled(name, False, config)


@users_app.command("reset")
def reset(
    name: Annotated[str, typer.Argument(help="Login name.")],
    password_stdin: PasswordStdin = False,
    config: ConfigOption = None,
) -> None:
    """Set a new password (generated and printed once unless --password-stdin) and end its sessions."""
    from shenava.web.accounts import reset_password

    settings, session = _session(config)
    password, generated = _password(password_stdin)
    with session:
        _run(lambda: reset_password(session, name, password, by="cli"))
        session.commit()
    console.print(f"[green]✓[/] password of {name} reset; its sessions ended")
    if generated:
        _show_password(name, password, settings.web.public_url)
