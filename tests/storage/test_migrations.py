"""Alembic migrations: from empty to head, down to base and up again; models match the schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from storage.db import alembic_config, create_engine_from_url, downgrade_db, init_db
from storage.fts import (
    POSTGRES_VECTOR_COLUMN,
    POSTGRES_VECTOR_INDEX,
    SQLITE_FTS_TABLE,
    SQLITE_FTS_TRIGGERS,
)
from storage.models import Base
from storage.repository import MentionStore
from tests.storage.factories import item

SHENAVA_TABLES = {
    "mentions",
    "mention_brands",
    "mention_aspects",
    "listener_checkpoints",
    "listener_states",
    "detector_states",
    "incidents",
    "urgent_alerts",
    "deliveries",
}


def _tables(url: str) -> set[str]:
    engine = create_engine_from_url(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()  # type: ignore[return-value]


def _current(url: str) -> str | None:
    engine = create_engine_from_url(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def test_upgrade_from_empty_then_downgrade_base_then_upgrade_again(blank_db_url: str) -> None:
    assert not _tables(blank_db_url) & SHENAVA_TABLES
    init_db(blank_db_url)
    assert _tables(blank_db_url) >= SHENAVA_TABLES
    assert _current(blank_db_url) == _head()
    init_db(blank_db_url)  # a second start is a no-op

    downgrade_db(blank_db_url, "base")
    assert not _tables(blank_db_url) & (SHENAVA_TABLES | {"mentions_fts"})
    assert _current(blank_db_url) is None

    init_db(blank_db_url)
    engine = create_engine_from_url(blank_db_url)
    try:
        assert MentionStore(engine).save_batch([item(1)], None).inserted == 1
    finally:
        engine.dispose()


def test_models_match_the_migrated_schema(db_url: str) -> None:
    engine = create_engine_from_url(db_url)

    def include(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
        # the full-text structures are created by the migration on purpose, outside the ORM
        return not (name or "").startswith(("mentions_fts", "search_vector", "ix_mentions_search_vector"))

    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_revisions_form_one_line_from_base() -> None:
    # Two engineers adding a revision on the same parent would fork the history: alembic then
    # refuses "upgrade head". Re-point the newer one's down_revision at the other.
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1, f"several heads: {script.get_heads()}"
    assert len(script.get_bases()) == 1
    for revision in script.walk_revisions():
        assert callable(revision.module.downgrade), f"{revision.revision} has no downgrade()"


def test_fulltext_structures_exist(db_url: str) -> None:
    engine = create_engine_from_url(db_url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                names = set(
                    conn.exec_driver_sql(
                        "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"
                    ).scalars()
                )
                assert {SQLITE_FTS_TABLE, *SQLITE_FTS_TRIGGERS} <= names
                sql = conn.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE name = ?", (SQLITE_FTS_TABLE,)
                ).scalar_one()
                assert "unicode61 remove_diacritics 2" in sql and "content='mentions'" in sql
            else:
                indexes = {i["name"]: i for i in inspect(conn).get_indexes("mentions")}
                assert POSTGRES_VECTOR_INDEX in indexes
                method = conn.exec_driver_sql(
                    "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.relname = %s",
                    (POSTGRES_VECTOR_INDEX,),
                ).scalar_one()
                assert method == "gin"
                generated = conn.exec_driver_sql(
                    "SELECT generation_expression FROM information_schema.columns "
                    "WHERE table_name = 'mentions' AND column_name = %s",
                    (POSTGRES_VECTOR_COLUMN,),
                ).scalar_one()
                assert "to_tsvector('simple'" in generated and "normalized_text" in generated
    finally:
        engine.dispose()
