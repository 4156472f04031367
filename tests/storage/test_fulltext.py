"""The full-text structures of the migration, queried directly (the query layer has its own suite
in tests/archive): the index follows inserts, updates and deletes, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, delete, text, update

from storage.fts import POSTGRES_CONFIG, POSTGRES_VECTOR_COLUMN, SQLITE_FTS_TABLE
from storage.models import Mention
from storage.repository import MentionStore
from tests.storage.factories import analysis, raw_mention

TEXTS = {
    1: "ارسال سبزینو خیلی دیر بود",
    2: "پشتیبانی نوبانک جواب نمیده",
    3: "تازه\u200cمارکت ارسال سریع داشت",
    4: "sabzino_support delivery was LATE again",
}


def matching(engine: Engine, words: str) -> set[int]:
    """External ids of mentions whose index holds every word of ``words``."""
    if engine.dialect.name == "sqlite":
        query = " ".join(f'"{w}"' for w in words.split())
        sql = (
            f"SELECT m.external_id FROM {SQLITE_FTS_TABLE} f JOIN mentions m ON m.id = f.rowid "
            f"WHERE {SQLITE_FTS_TABLE} MATCH :q"
        )
    else:
        query = words
        sql = (
            f"SELECT external_id FROM mentions "
            f"WHERE {POSTGRES_VECTOR_COLUMN} @@ plainto_tsquery('{POSTGRES_CONFIG}', :q)"
        )
    with engine.connect() as conn:
        return {int(row[0]) for row in conn.execute(text(sql), {"q": query})}


@pytest.fixture
def filled(store: MentionStore) -> MentionStore:
    items = [(raw_mention(n, external_id=str(n), text=t), analysis(t)) for n, t in TEXTS.items()]
    store.save_batch(items, None)
    return store


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("ارسال", {1, 3}),
        ("ارسال سبزینو", {1}),
        ("نوبانک", {2}),
        ("late", {4}),  # case-folded
        ("support", {4}),  # '_' separates words
        ("مارکت", {3}),  # so does ZWNJ
        ("ناموجود", set()),
    ],
)
def test_index_holds_the_normalised_words(filled: MentionStore, words: str, expected: set[int]) -> None:
    assert matching(filled.engine, words) == expected


def test_index_follows_updates_and_deletes(filled: MentionStore) -> None:
    with filled.engine.begin() as conn:
        conn.execute(update(Mention).where(Mention.external_id == "2").values(normalized_text="کیفیت عالی"))
        conn.execute(delete(Mention).where(Mention.external_id == "1"))
    assert matching(filled.engine, "نوبانک") == set()
    assert matching(filled.engine, "کیفیت") == {2}
    assert matching(filled.engine, "سبزینو") == set()
    assert matching(filled.engine, "ارسال") == {3}


def test_deleting_a_mention_deletes_its_brand_and_aspect_rows(filled: MentionStore) -> None:
    with filled.engine.begin() as conn:
        conn.execute(delete(Mention))
        left = conn.execute(text("SELECT count(*) FROM mention_brands")).scalar_one()
        left += conn.execute(text("SELECT count(*) FROM mention_aspects")).scalar_one()
    assert left == 0
