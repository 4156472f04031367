"""``shenava digest``: render (and optionally send) the daily or weekly digest on demand."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shenava.cli_support import (
    ConfigOption,
    console,
    load_settings_or_exit,
    print_error,
    setup_logging,
)


def register(app: typer.Typer) -> None:
    @app.command("digest")
    def digest(
        date: Annotated[
            str | None,
            typer.Option(
                "--date", "-d", help="Day (Jalali 1403-09-01 or ISO 2024-11-21); default: yesterday."
            ),
        ] = None,
        period: Annotated[
            str, typer.Option("--period", "-p", help="daily, or weekly (the Saturday-Friday week of --date).")
        ] = "daily",
        out: Annotated[
            Path | None, typer.Option("--out", "-o", help="Write the standalone HTML here.")
        ] = None,
        send: Annotated[
            bool, typer.Option("--send", help="E-mail it through the configured channel.")
        ] = False,
        language: Annotated[
            str | None,
            typer.Option(
                "--language", "-l", help="fa or en, for this digest only; default: digest.language."
            ),
        ] = None,
        config: ConfigOption = None,
    ) -> None:
        """Build the digest for one day or week: Persian and right to left, or English by
        digest.language (Jalali dates in the configured time zone either way)."""
        from datetime import UTC, datetime

        from alerts.digest import DigestNotConfigured, DigestPeriod, make_digest, send_digest, write_digest
        from alerts.notifiers import DeliveryError
        from storage.db import create_engine_from_url
        from storage.search_dates import DateParseError

        settings = load_settings_or_exit(config)
        setup_logging(settings)
        if period not in ("daily", "weekly"):
            print_error(f"--period must be daily or weekly, not {period!r}")
            raise typer.Exit(2)
        if language is not None:
            from alerts.messages import LANGUAGES

            if language not in LANGUAGES:
                print_error(f"--language must be {' or '.join(LANGUAGES)}, not {language!r}")
                raise typer.Exit(2)
            digest_settings = settings.digest.model_copy(update={"language": language})
            settings = settings.model_copy(update={"digest": digest_settings})
        try:
            if date:
                chosen = DigestPeriod.for_day(date, period, settings.timezone)  # type: ignore[arg-type]
            else:
                chosen = DigestPeriod.last_complete(datetime.now(UTC), period, settings.timezone)  # type: ignore[arg-type]
        except DateParseError as exc:
            print_error(exc)
            raise typer.Exit(2) from None
        engine = create_engine_from_url(settings.storage.url)
        try:
            rendered = make_digest(settings, engine, chosen)
        finally:
            engine.dispose()
        target = out or (Path(settings.digest.out_dir or ".") / f"{chosen.slug()}.html")
        write_digest(rendered, target)
        console.print(f"✓ {rendered.subject} → {target}", markup=False)
        if send:
            try:
                recipients = send_digest(settings, rendered)
            except (DigestNotConfigured, DeliveryError) as exc:
                print_error(exc, "not sent")
                raise typer.Exit(1) from None
            console.print(f"[green]✓[/] sent to {len(recipients)} recipient(s)")
