"""``shenava serve``: the web app and the HTTP API (one FastAPI app under uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer

from shenava.cli_support import ConfigOption, err_console, load_settings_or_exit, print_error, setup_logging


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="TCP port.")] = 8080,
        new_key: Annotated[
            str | None,
            typer.Option(
                "--new-key", help="Print a fresh key for ROLE (analyst/support/admin) and its config line."
            ),
        ] = None,
        config: ConfigOption = None,
    ) -> None:
        """Serve the web app (/inbox; accounts: shenava users) and the HTTP API (docs at /docs).

        API keys come from SHENAVA_API_KEYS (see shenava/api/auth.py).
        """
        from shenava.api.auth import ROLES, ApiKeyConfigError, ApiKeyRing, hash_key
        from shenava.api.auth import new_key as make_key

        if new_key:
            if new_key not in ROLES:
                err_console.print(f"role must be one of {', '.join(ROLES)}")
                raise typer.Exit(2)
            key = make_key()
            print(f"key (give it to the user, once): {key}")
            print(f"SHENAVA_API_KEYS entry: NAME:{new_key}:sha256:{hash_key(key)}")
            return
        settings = load_settings_or_exit(config)
        setup_logging(settings)
        try:
            keys = ApiKeyRing.from_env()
        except ApiKeyConfigError as exc:
            print_error(exc)
            raise typer.Exit(2) from None
        if not keys.keys:
            err_console.print(
                "[yellow]no API keys configured (SHENAVA_API_KEYS): every /api call will be refused[/]"
            )
        import uvicorn

        from shenava.api import create_app
        from shenava.ports import require_free
        from storage.db import create_engine_from_url

        require_free(host, port)

        engine = create_engine_from_url(settings.storage.url)
        # open inbox pages hold event streams: shutdown waits for them 3 s at most, not until they end
        app = create_app(settings, engine, keys)
        uvicorn.run(app, host=host, port=port, log_config=None, timeout_graceful_shutdown=3)
