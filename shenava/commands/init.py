"""``shenava init``: validate the configuration, create var/ and run the storage migrations."""

from __future__ import annotations

from pathlib import Path

import typer

from shenava.cli_support import ConfigOption, console, load_settings_or_exit, setup_logging
from shenava.terminal_text import markup_literal

VAR_DIRS = ("var", "var/log", "var/outbox")


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init(config: ConfigOption = None) -> None:
        """Validate the config, create the var/ directories and bring the database schema up to date."""
        settings = load_settings_or_exit(config)
        setup_logging(settings)
        console.print(
            f"[green]✓[/] configuration valid: {len(settings.brands)} brand(s): "
            + ", ".join(b.name for b in settings.brands)
        )
        for name in VAR_DIRS:
            Path(name).mkdir(parents=True, exist_ok=True)
        from storage.db import init_db

        with console.status("running storage migrations…"):
            init_db(settings.storage.url)
        console.print(f"[green]✓[/] storage ready: {markup_literal(_safe_url(settings.storage.url))}")
        from shenava.web.first_start import create_first_admin
        from storage.db import create_engine_from_url

        create_first_admin(create_engine_from_url(settings.storage.url), settings, console)

        from shenava.service.sources import build_service_listeners

        listeners, notes = build_service_listeners(settings)
        for listener in listeners:
            console.print(f"[green]✓[/] listener {markup_literal(listener.key)}")
        for note in notes:
            console.print(f"[dim]· {markup_literal(note)}[/]")
        if not listeners:
            console.print("[yellow]no listener is configured: set API credentials or enable the replay[/]")


def _safe_url(url: str) -> str:
    """The storage URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
