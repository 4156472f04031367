"""Shared fixtures: the same tests run on SQLite and on PostgreSQL.

- ``db_url``: a migrated, empty database, parametrised over ``sqlite`` (a file in tmp_path)
  and ``postgresql`` (one database per test session, ``shenava_test_<random>``, emptied before
  each test, dropped at the end). Server: ``SHENAVA_TEST_PG_URL`` or postgres@127.0.0.1:5432.
- ``engine``: an engine on ``db_url``; ``store``: a ``MentionStore`` on it.
- ``blank_db_url``: an un-migrated, private database per test (for migration tests).
- ``pg_server``: the admin connection info, for tests that need their own databases.
If PostgreSQL is unreachable its tests skip, unless ``SHENAVA_REQUIRE_POSTGRES=1`` (CI): then
they fail. A test for one backend only: ``@pytest.mark.parametrize("backend", ["sqlite"],
indirect=True)``. Builders of analysed mentions: ``tests.storage.factories``.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL, make_url

from nlp.normalize import normalize_for_search
from storage.db import create_engine_from_url, init_db, normalize_url
from storage.query_normalizer import use_query_normalizer
from storage.repository import MentionStore

# what the wiring does at start-up (shenava/__init__.py): search words are normalised like stored text
use_query_normalizer(normalize_for_search)

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


class PostgresServer:
    """A reachable PostgreSQL server on which tests create and drop their own databases."""

    def __init__(self, admin_url: URL) -> None:
        self.admin_url = admin_url
        # a short connect timeout: a firewalled host must not hang the whole session
        self.engine = create_engine_from_url(
            admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
        )
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
            self.drop_database(self.admin_url.set(database=name).render_as_string(hide_password=False))
        self.engine.dispose()


def probe_postgres(url: str | URL) -> PostgresServer | str:
    """A connected ``PostgresServer``, or the reason (a string) why there is none."""
    admin_url = normalize_url(url)
    try:
        server = PostgresServer(admin_url)
        with server.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means "unavailable", with its reason
        where = admin_url.render_as_string(hide_password=True)
        return f"{where} is unreachable ({type(exc).__name__}: {str(exc).strip()[:200]})"
    return server


def postgres_unavailable(reason: str) -> None:
    """Skip the test, or fail it when ``SHENAVA_REQUIRE_POSTGRES=1`` (CI must not skip)."""
    if os.environ.get("SHENAVA_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required (SHENAVA_REQUIRE_POSTGRES=1) but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def _pg_server_or_error() -> Iterator[PostgresServer | str]:
    server = probe_postgres(os.environ.get("SHENAVA_TEST_PG_URL", DEFAULT_PG_URL))
    if isinstance(server, str):
        yield server
        return
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def pg_server(_pg_server_or_error: PostgresServer | str) -> PostgresServer:
    if isinstance(_pg_server_or_error, str):
        postgres_unavailable(_pg_server_or_error)
    assert isinstance(_pg_server_or_error, PostgresServer)
    return _pg_server_or_error


@pytest.fixture(scope="session")
def _pg_session_db(_pg_server_or_error: PostgresServer | str) -> Iterator[tuple[str, Engine] | None]:
    """One migrated database for the whole session (migrating per test would be slow)."""
    if isinstance(_pg_server_or_error, str):
        yield None
        return
    url = _pg_server_or_error.create_database()
    init_db(url)
    engine = create_engine_from_url(url)
    try:
        yield url, engine
    finally:
        engine.dispose()


def _empty_postgres(engine: Engine) -> None:
    """Delete every row and restart every id sequence (TRUNCATE is ~5x slower on tiny tables)."""
    with engine.begin() as conn:
        current = conn.execute(text("SELECT max(version_num) FROM alembic_version")).scalar()
    if current != _alembic_head():
        init_db(engine)  # a test downgraded it
    with engine.begin() as conn:
        ordered = inspect(conn).get_sorted_table_and_fkc_names()
        for table, _ in reversed(ordered):  # children before parents
            if table and table != "alembic_version":
                conn.execute(text(f'DELETE FROM "{table}"'))
        sequences = conn.execute(
            text("SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'")
        ).scalars()
        for sequence in sequences.all():
            conn.execute(text("SELECT setval(CAST(:s AS regclass), 1, false)"), {"s": f'"{sequence}"'})


@functools.cache
def _alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    from storage.db import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


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
        postgres_unavailable(server)
    url, session_engine = request.getfixturevalue("_pg_session_db")
    _empty_postgres(session_engine)
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


def _engine_of(url: str) -> Iterator[Engine]:
    eng = create_engine_from_url(url)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    yield from _engine_of(db_url)


@pytest.fixture
def blank_engine(blank_db_url: str) -> Iterator[Engine]:
    """An engine on ``blank_db_url`` (no schema: a test migrates it to the revision it needs)."""
    yield from _engine_of(blank_db_url)


@pytest.fixture
def store(engine: Engine) -> MentionStore:
    return MentionStore(engine)
