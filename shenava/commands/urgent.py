"""``shenava urgent``: list/show/ack/assign/resolve urgent single-mention alerts."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from shenava.workflow_cli import build_app

    app.add_typer(
        build_app("urgent"), name="urgent", help="Urgent mentions: list, show, ack, assign, resolve."
    )
