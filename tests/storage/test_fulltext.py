"""The full-text structures of the migration, through ``storage.fts.fulltext_condition``."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from storage.fts import fulltext_condition, query_terms
from storage.models import Mention
from storage.repository import MentionStore
from tests.storage.factories import analysis, raw_mention

TEXTS = {
    1: "ارسال سبزینو خیلی دیر بود",
    2: "پشتیبانی نوبانک جواب نمیده",
    3: "تازه مارکت ارسال سریع داشت",
    4: "sabzino delivery was late again",
}


def _search(store: MentionStore, query: str) -> set[int]:
    with store.sessions() as session:
        dialect = session.get_bind().dialect.name
        ids = session.scalars(select(Mention.external_id).where(fulltext_condition(dialect, query)))
        return {int(i) for i in ids}


@pytest.fixture
def filled(store: MentionStore) -> MentionStore:
    store.save_batch(
        [(raw_mention(n, external_id=str(n), text=t), analysis(t)) for n, t in TEXTS.items()], None
    )
    return store


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ارسال", {1, 3}),
        ("ارسال سبزینو", {1}),  # every word must occur
        ("نوبانک", {2}),
        ("DELIVERY", {4}),  # case-insensitive
        ("late sabzino", {4}),
        ("ناموجود", set()),
        ("", set()),
        ('" OR * NEAR( -', set()),  # FTS syntax is text, not operators
        ('ارسال" OR "نوبانک', {1, 3} & {2}),
    ],
)
def test_fulltext_matches_every_word(filled: MentionStore, query: str, expected: set[int]) -> None:
    assert _search(filled, query) == expected


def test_index_follows_updates_and_deletes(filled: MentionStore) -> None:
    with filled.sessions.begin() as session:
        session.execute(
            update(Mention).where(Mention.external_id == "2").values(normalized_text="کیفیت عالی")
        )
        session.delete(session.scalars(select(Mention).where(Mention.external_id == "1")).one())
    assert _search(filled, "نوبانک") == set()
    assert _search(filled, "کیفیت") == {2}
    assert _search(filled, "سبزینو") == set()
    assert _search(filled, "ارسال") == {3}


def test_query_terms_split_like_the_index() -> None:
    assert query_terms("سبزینو، ارسال!! sabzino_support #تازه") == [
        "سبزینو",
        "ارسال",
        "sabzino",
        "support",
        "تازه",
    ]
