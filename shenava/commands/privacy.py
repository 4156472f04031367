"""``shenava privacy``: retention rules and data-subject requests (export or delete an author).

Every deletion is recorded in the audit log (who, when, how many rows, never the content).
"""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from shenava.cli_support import (
    ConfigOption,
    console,
    err_console,
    migrated_sessions_or_exit,
)

privacy_app = typer.Typer(help="Retention and data-subject requests (export or delete an author's mentions).")
Handle = Annotated[str, typer.Argument(help="The author's handle (with or without @).")]
SourceOpt = Annotated[str | None, typer.Option("--source", "-s", help="Only on this source (x, instagram…).")]


def register(app: typer.Typer) -> None:
    app.add_typer(privacy_app, name="privacy")


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in a bare container
        return "cli:unknown"


@privacy_app.command("retention")
def retention(
    apply: Annotated[
        bool, typer.Option("--apply/--dry-run", help="Delete/anonymise now, or only count.")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Apply the storage.retention rules (default --dry-run: only say what would go)."""
    from storage.retention import apply_retention

    settings, sessions = migrated_sessions_or_exit(config)
    rules = settings.storage.retention.rules
    if not rules:
        console.print("no retention rules configured (storage.retention.rules): everything is kept")
        return
    outcomes = apply_retention(sessions, rules, tz=settings.timezone, dry_run=not apply, actor=_actor())
    for outcome in outcomes:
        verb = "would" if not apply else "did"
        rows = ", ".join(f"{t}={n}" for t, n in sorted(outcome.rows.items()))
        console.print(
            f"{outcome.label}: {verb} {outcome.rule.action} {outcome.mentions} mention(s)"
            + (f" ({rows})" if rows else ""),
            markup=False,
        )


@privacy_app.command("export-author")
def export_author(
    handle: Handle,
    source: SourceOpt = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="JSON Lines file (default: stdout).")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Everything stored about an author, as JSON Lines (a data-subject access request)."""
    from storage.privacy import PrivacyRequestError
    from storage.privacy import export_author as export

    _, sessions = migrated_sessions_or_exit(config)
    try:
        with sessions() as session:
            lines = (json.dumps(row, ensure_ascii=False) + "\n" for row in export(session, handle, source))
            if out:
                with out.open("w", encoding="utf-8") as handle_out:
                    count = sum(1 for line in lines if handle_out.write(line) is not None)
                err_console.print(f"{count} mention(s) → {out}", markup=False)
            else:
                for line in lines:
                    sys.stdout.write(line)
    except PrivacyRequestError as exc:
        err_console.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    except OSError as exc:
        err_console.print(f"error: cannot write {out}: {exc.strerror}", markup=False)
        raise typer.Exit(1) from None


@privacy_app.command("delete-author")
def delete_author(
    handle: Handle,
    source: SourceOpt = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    config: ConfigOption = None,
) -> None:
    """Delete every mention by an author and every quote of them (alerts, outbox, audit values)."""
    from storage.privacy import PrivacyRequestError, author_mention_ids
    from storage.privacy import delete_author as delete

    _, sessions = migrated_sessions_or_exit(config)
    try:
        with sessions() as session:
            found = len(author_mention_ids(session, handle, source))
        if found and not yes and not typer.confirm(f"delete {found} mention(s) by this author?"):
            raise typer.Exit(1)
        with sessions() as session, session.begin():
            counts = delete(session, handle, source=source, actor=_actor())
    except PrivacyRequestError as exc:
        err_console.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    rows = ", ".join(f"{t}={n}" for t, n in counts.items()) or "nothing stored"
    console.print(f"deleted {found} mention(s) ({rows}); recorded in the audit log", markup=False)
