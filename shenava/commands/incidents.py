"""``shenava incidents``: list/show/ack/assign/resolve spike incidents; ``report`` response times."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from shenava.workflow_cli import build_app

    app.add_typer(
        build_app("incident"),
        name="incidents",
        help="Spike incidents: list, show, ack, assign, resolve, and report time to acknowledge/resolve.",
    )
