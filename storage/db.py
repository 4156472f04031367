"""Engines, sessions and schema migration for SQLite (embedded) and PostgreSQL (production)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.limits import clear_deadline, install_progress_handler

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


class UnsupportedDatabaseError(ValueError):
    """The URL names a database Shenava does not support (only SQLite and PostgreSQL)."""


def normalize_url(url: str | URL) -> URL:
    """Parse ``url``; plain ``postgresql://`` is given the installed driver (psycopg 3)."""
    parsed = make_url(url) if isinstance(url, str) else url
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend not in ("sqlite", "postgresql"):
        raise UnsupportedDatabaseError(
            f"unsupported database {backend!r} in storage URL; use sqlite:///path or postgresql+psycopg://…"
        )
    return parsed


def _sqlite_file(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # WAL: readers (API, digest) never block the writer (pipeline), nor it them.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # NORMAL is durable across application crashes in WAL mode; only power loss may drop
        # the last transactions, which the listeners' checkpoints then fetch again.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def create_engine_from_url(url: str | URL, **kwargs: Any) -> Engine:
    """An engine configured for Shenava; for SQLite files the parent directory is created.

    SQLite connections get WAL, foreign keys, a busy timeout and ``synchronous=NORMAL``;
    PostgreSQL sessions run in UTC so server-side date functions agree with SQLite.
    Raises ``UnsupportedDatabaseError`` for other databases.
    """
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_file(parsed)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, **kwargs.pop("connect_args", {})}
        engine = create_engine(parsed, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _on_sqlite_connect)
        # the time limit of storage.limits: a per-connection progress handler, deadlines per checkout
        event.listen(engine, "connect", install_progress_handler)
        event.listen(engine, "checkout", clear_deadline)
        event.listen(engine, "checkin", clear_deadline)
        return engine
    # Every statement planned with its values: psycopg prepares a statement run five times on one
    # connection, and PostgreSQL may then reuse a generic plan that cannot price an unknown brand or
    # day list (a keyword query in a loop went from 10-30 ms to 126-1,423 ms at 1M mentions); planning
    # costs well under a millisecond.
    options = "-c TimeZone=UTC -c plan_cache_mode=force_custom_plan"
    connect_args = {"options": options, **kwargs.pop("connect_args", {})}
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, connect_args=connect_args, **kwargs)


def alembic_config() -> Config:
    """Alembic config pointing at the bundled migrations (no ini file needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return cfg


#: any constant: PostgreSQL advisory lock that serialises concurrent migrations (``shenava run``
#: and ``shenava serve`` starting together)
_MIGRATION_LOCK_ID = 0x5E4A7A


def _run_alembic(target: str | URL | Engine, action: str, revision: str) -> None:
    engine = target if isinstance(target, Engine) else create_engine_from_url(target)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_ID})")
            else:
                # pysqlite opens a transaction only before DML, so without this every CREATE
                # commits at once and a crash mid-migration leaves tables without their
                # alembic_version row: the next start fails on "table already exists".
                # IMMEDIATE also serialises concurrent migrations, like the advisory lock.
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            cfg = alembic_config()
            cfg.attributes["connection"] = connection
            getattr(command, action)(cfg, revision)
    finally:
        if engine is not target:
            engine.dispose()


def init_db(url: str | URL | Engine) -> None:
    """Create or upgrade the schema to the newest revision (Alembic ``upgrade head``).

    Safe to call on every start: an up-to-date database is left as it is. Concurrent calls on
    PostgreSQL are serialised by an advisory lock. For an in-memory SQLite database pass the
    engine you will use (a URL would migrate a database that vanishes with its own engine).
    """
    upgrade_db(url, "head")


def upgrade_db(url: str | URL | Engine, revision: str) -> None:
    """Upgrade the schema to ``revision`` (an older archive's state, for tests and operators)."""
    _run_alembic(url, "upgrade", revision)


def downgrade_db(url: str | URL | Engine, revision: str = "base") -> None:
    """Downgrade the schema (``base`` drops every Shenava table). For tests and operators."""
    _run_alembic(url, "downgrade", revision)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (they are handed to other layers)."""
    return sessionmaker(engine, expire_on_commit=False)
