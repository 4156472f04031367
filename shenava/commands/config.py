"""``shenava config``: validate the configuration and show it with every default filled in."""

from __future__ import annotations

import typer

from shenava.cli_support import ConfigOption, console, load_settings_or_exit


def register(app: typer.Typer) -> None:
    @app.command("config")
    def config(
        config: ConfigOption = None,
        check: bool = typer.Option(False, "--check", help="Only validate; print one line, no YAML."),
    ) -> None:
        """Validate the configuration file and print the effective settings as commented YAML.

        Exit code 2 (with the file, line, key and problem) when the file is invalid. Secrets are
        never shown: the file only names the environment variables that hold them.
        """
        from config.loader import config_path
        from config.reference import render_settings

        settings = load_settings_or_exit(config)
        if check:
            console.print(
                f"[green]✓[/] {config_path(config)} is valid: "
                f"{len(settings.brands)} brand(s): {', '.join(b.name for b in settings.brands)}",
                soft_wrap=True,
            )
            return
        header = f"# Effective configuration of {config_path(config)}; unset keys: commented defaults"
        typer.echo(render_settings(_without_database_password(settings), header=header), nl=False)


def _without_database_password(settings):  # type: ignore[no-untyped-def]
    from sqlalchemy.engine import make_url

    url = make_url(settings.storage.url).render_as_string(hide_password=True)
    return settings.model_copy(update={"storage": settings.storage.model_copy(update={"url": url})})
