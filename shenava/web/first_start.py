"""First start: when nobody can administer the web app yet, create ``admin`` with a random password.

The password goes to the console once (``rich`` on stdout), never through ``logging``, so it is
not in any log file; ``shenava users reset admin`` sets a new one.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from sqlalchemy import Engine

from shenava.terminal_text import markup_literal
from shenava.web.accounts import ensure_admin
from storage.db import session_factory


def create_first_admin(engine: Engine, settings: Any, console: Console) -> str | None:
    """Create the first admin if needed and say where to log in; returns the password (tests)."""
    url = settings.web.public_url.rstrip("/")
    with session_factory(engine)() as session:
        password = ensure_admin(session)
        session.commit()
    if password:
        console.print(
            f"[bold]web app[/]: open {markup_literal(url)}/login (started by `make run` or `shenava serve`)"
        )
        console.print(f"  user [bold]admin[/], password [bold]{password}[/] — shown only now, write it down")
        console.print("  forgot it? `shenava users reset admin` prints a new one")
    else:
        console.print(f"[green]✓[/] web app at {markup_literal(url)} (accounts: `shenava users list`)")
    return password
