"""What every CLI command shares: the ``--config`` option, loading settings, logging setup."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from config.settings import Settings

# Piped into a log or a service manager, rich would wrap lines at 80 columns, splitting a command
# or the first admin's password line; there, lines stay whole (tables still fit the width).
console = Console(highlight=False, soft_wrap=not sys.stdout.isatty())
err_console = Console(stderr=True, highlight=False, soft_wrap=not sys.stderr.isatty())

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        envvar="SHENAVA_CONFIG",
        help="Configuration file (default: config/shenava.yaml; env SHENAVA_CONFIG).",
        show_default=False,
    ),
]
LogJsonOption = Annotated[
    bool, typer.Option("--log-json", envvar="SHENAVA_LOG_JSON", help="Write log lines as JSON objects.")
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Debug-level logging.")]


def local_minute(moment: datetime, timezone: str) -> str:
    """``moment`` to the minute as the configured zone reads it: the zone --since/--until use."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def print_error(message: object, label: str = "error") -> None:
    """``label: message`` on stderr, the message shown as typed (rich markup and control characters
    in a name, path or exception escaped)."""
    from shenava.terminal_text import markup_literal

    err_console.print(f"[bold red]{label}[/]: {markup_literal(message)}", soft_wrap=True)


def load_settings_or_exit(config: Path | None) -> Settings:
    """Validated settings, or a clear message naming the file, key and problem, and exit code 2."""
    from config.loader import ConfigError, load_settings

    try:
        settings = load_settings(config)
    except ConfigError as exc:
        print_error(exc, "configuration error")
        raise typer.Exit(2) from None
    from shenava import cli_errors

    cli_errors.language = settings.web.language  # the language of the CLI's own messages
    return settings


def setup_logging(settings: Settings | None, *, log_json: bool = False, verbose: bool = False) -> None:
    """Logging with secrets redacted: the env vars the settings name are masked everywhere."""
    from shenava.logging_setup import configure_logging, secret_env_names

    section = settings.logging if settings is not None else None
    level = (section.level if section else None) or os.environ.get("SHENAVA_LOG_LEVEL", "INFO")
    level = "DEBUG" if verbose else level
    json_format = log_json or bool(section and section.json_format)
    configure_logging(
        level=level, json_format=json_format, secret_env=secret_env_names(settings) if settings else ()
    )


@contextmanager
def storage_engine_or_exit(settings: Settings) -> Iterator[Engine]:
    """An engine on ``storage.url`` for a read-only command; a store that is missing, not yet
    migrated or unreachable ends the command with a hint (exit code 1) instead of a traceback."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from storage.db import create_engine_from_url

    engine = create_engine_from_url(settings.storage.url)
    try:
        yield engine
    except (OperationalError, ProgrammingError) as exc:
        # stderr: a command whose stdout is JSON (incidents show) must not print its error there
        detail = f"{str(exc.orig)[:200]}; run shenava init first"
        print_error(detail, "storage is not initialised or unreachable")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


def migrated_sessions_or_exit(config: Path | None) -> tuple[Settings, sessionmaker[Session]]:
    """Settings and a session factory on a migrated store, for a command that writes; a store that
    cannot be migrated or reached ends the command with a message (exit code 1), not a traceback."""
    from storage.db import create_engine_from_url, init_db, session_factory

    settings = load_settings_or_exit(config)
    try:
        init_db(settings.storage.url)
    except Exception as exc:  # unreachable or unwritable store: a message, not a traceback
        err_console.print(f"[red]error[/]: storage unavailable ({type(exc).__name__}); check storage.url")
        raise typer.Exit(1) from None
    return settings, session_factory(create_engine_from_url(settings.storage.url))
