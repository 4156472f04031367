"""Shared fixtures: the same tests run on SQLite and on PostgreSQL.

- ``db_url``: a migrated, empty database, parametrised over ``sqlite`` (a file in tmp_path)
  and ``postgresql`` (one database per test session, ``shenava_test_<random>``, emptied before
  each test, dropped at the end). Server: ``SHENAVA_TEST_PG_URL`` or postgres@127.0.0.1:5432.
- ``engine``: an engine on ``db_url``; ``store``: a ``MentionStore`` on it.
- ``blank_db_url``: an un-migrated, private database per test (for migration tests).
- ``pg_server``: the admin connection info, for tests that need their own databases.
If PostgreSQL is unreachable its tests skip, unless ``SHENAVA_REQUIRE_POSTGRES=1`` (CI): then
they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL, make_url

from storage.db import create_engine_from_url, init_db, normalize_url
from storage.repository import MentionStore

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


class PostgresServer:
    """A reachable PostgreSQL server on which tests create and drop their own databases."""

    def __init__(self, admin_url: URL) -> None:
        self.admin_url = admin_url
        self.engine = create_engine_from_url(admin_url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create_database(self) -> str:
        name = f"shenava_test_{uuid.uuid4().hex[:12]}"
        with self.engine.connect() as conn:
            conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
        self.created.append(name)
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with self.engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self.created:
            self.created.remove(name)

    def close(self) -> None:
        for name in list(self.created):
            with self.engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.engine.dispose()


def _postgres_unavailable(reason: str) -> None:
    if os.environ.get("SHENAVA_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required (SHENAVA_REQUIRE_POSTGRES=1) but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def _pg_server_or_error() -> Iterator[PostgresServer | str]:
    admin_url = normalize_url(os.environ.get("SHENAVA_TEST_PG_URL", DEFAULT_PG_URL))
    try:
        server = PostgresServer(admin_url)
        with server.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means "unavailable", with its reason
        yield f"{admin_url.render_as_string(hide_password=True)} is unreachable ({type(exc).__name__}: {exc})"
        return
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def pg_server(_pg_server_or_error: PostgresServer | str) -> PostgresServer:
    if isinstance(_pg_server_or_error, str):
        _postgres_unavailable(_pg_server_or_error)
    assert isinstance(_pg_server_or_error, PostgresServer)
    return _pg_server_or_error


@pytest.fixture(scope="session")
def _pg_session_db(_pg_server_or_error: PostgresServer | str) -> Iterator[str | None]:
    """One migrated database for the whole session (migrating per test would be slow)."""
    if isinstance(_pg_server_or_error, str):
        yield None
        return
    url = _pg_server_or_error.create_database()
    init_db(url)
    yield url


def _empty_postgres(url: str) -> None:
    engine = create_engine_from_url(url)
    try:
        init_db(engine)  # a test may have downgraded it
        with engine.begin() as conn:
            tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
            if tables:
                names = ", ".join(f'"{t}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend name of the current parametrisation: ``sqlite`` or ``postgresql``."""
    return request.param


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A migrated database with no rows, private to this test for its duration."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'shenava.db'}"
        init_db(url)
        return url
    server = request.getfixturevalue("_pg_server_or_error")
    if isinstance(server, str):
        _postgres_unavailable(server)
    url = request.getfixturevalue("_pg_session_db")
    _empty_postgres(url)
    return url


@pytest.fixture
def blank_db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty database without any schema, private to this test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'blank.db'}"
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    url = server.create_database()
    try:
        yield url
    finally:
        server.drop_database(url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = create_engine_from_url(db_url)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def store(engine: Engine) -> MentionStore:
    return MentionStore(engine)
