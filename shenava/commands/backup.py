"""``shenava backup FILE`` / ``shenava restore FILE``: SQLite archives through the online backup
API (consistent while the service writes). PostgreSQL: ``pg_dump``/``pg_restore`` (README)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shenava.cli_support import ConfigOption, console, err_console, load_settings_or_exit


def register(app: typer.Typer) -> None:
    @app.command("backup")
    def backup(
        file: Annotated[Path, typer.Argument(help="Where to write the copy (replaced if present).")],
        config: ConfigOption = None,
    ) -> None:
        """Copy the SQLite archive to FILE while the service may keep writing."""
        from storage.backup import BackupError
        from storage.backup import backup as run_backup

        settings = load_settings_or_exit(config)
        try:
            count = run_backup(settings.storage.url, file)
        except BackupError as exc:
            err_console.print(f"error: {exc}", markup=False)
            raise typer.Exit(2) from None
        except OSError as exc:
            err_console.print(f"error: cannot write {file}: {exc.strerror or exc}", markup=False)
            raise typer.Exit(1) from None
        console.print(f"backed up {count} mention(s) → {file}", markup=False)

    @app.command("restore")
    def restore(
        file: Annotated[Path, typer.Argument(help="A file written by shenava backup.")],
        yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
        config: ConfigOption = None,
    ) -> None:
        """Replace the SQLite archive with FILE (stop the service first)."""
        from storage.backup import BackupError
        from storage.backup import restore as run_restore

        settings = load_settings_or_exit(config)
        if not yes and not typer.confirm("replace the archive with this backup (stop the service first)?"):
            raise typer.Exit(1)
        try:
            count = run_restore(file, settings.storage.url)
        except BackupError as exc:
            err_console.print(f"error: {exc}", markup=False)
            raise typer.Exit(2) from None
        except OSError as exc:
            err_console.print(f"error: cannot restore: {exc.strerror or exc}", markup=False)
            raise typer.Exit(1) from None
        console.print(f"restored {count} mention(s) from {file}", markup=False)
