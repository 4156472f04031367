"""Alembic environment. ``storage.db.init_db`` passes a live connection; the ``alembic`` command
line (``alembic -c storage/alembic.ini upgrade head``) takes ``-x url=…``, ``SHENAVA_DB_URL`` or the
storage URL of the Shenava config, in that order.
"""

from __future__ import annotations

import os

from alembic import context

from storage.models import Base

config = context.config


def _url_for_command_line() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("SHENAVA_DB_URL")
    if url:
        return url
    from config.loader import load_settings

    return load_settings().storage.url


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    # render_as_batch: SQLite can only ALTER by copying tables; later revisions rely on it.
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from storage.db import create_engine_from_url

    engine = create_engine_from_url(_url_for_command_line())
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()
