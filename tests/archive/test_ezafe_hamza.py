"""The ezafe written as a hamza on «ه» («خانهٔ») is the same word as «خانه» on both backends.

FTS5 drops the combining hamza and PostgreSQL's ``simple`` parser keeps it inside the word, so the
two backends answered «خانه» differently until normalising dropped it (and migration 0012 dropped it
from text stored before).
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from storage.db import init_db, upgrade_db
from storage.models import Mention
from storage.repository import MentionStore
from tests.archive.corpus import DAY1, _m, save_corpus
from tests.archive.test_search import found
from tests.storage.factories import analysis, raw_mention

HAMZA = "\u0654"
TEXTS = {
    "hamza": f"قیمت همه{HAMZA} سفارش‌ها و خانه{HAMZA} ما بالا رفته",
    "letter": "قیمت خانۀ ما",  # the precomposed «ۀ»
    "bare": "خانه رو عوض کردیم",
    "other": "خانم پیک خیلی مؤدب بود",
}


@pytest.fixture
def texts(engine: Engine, store: MentionStore) -> dict[str, int]:
    rows = [_m(name, text_, DAY1, ["sabzino"], "negative", author=name) for name, text_ in TEXTS.items()]
    return save_corpus(store, rows)


@pytest.mark.parametrize("query", ["خانه", f"خانه{HAMZA}", "خانۀ", '"خانه ما"', "خان*"])
def test_every_spelling_of_the_ezafe_finds_the_others(
    engine: Engine, texts: dict[str, int], query: str
) -> None:
    expected = {"hamza", "letter", "bare"} | ({"other"} if query.endswith("*") else set())
    if query.startswith('"'):
        expected = {"hamza", "letter"}
    assert found(engine, texts, text=query) == expected


def test_text_stored_before_the_change_is_found_after_the_upgrade(
    blank_engine: Engine, blank_db_url: str
) -> None:
    upgrade_db(blank_engine, "0011_search_vector_day_brand")
    old = f"قیمت خانه{HAMZA} ما بالا رفته"  # as the normaliser stored it before
    result = MentionStore(blank_engine).save_batch(
        [(raw_mention(1, text=old), analysis(old)), (raw_mention(2, text="خانه"), analysis("خانه"))], None
    )
    archive = {"old": result.inserted_ids[0], "new": result.inserted_ids[1]}
    init_db(blank_db_url)
    with Session(blank_engine) as session:
        stored = session.scalar(select(Mention.normalized_text).where(Mention.id == archive["old"]))
        raw = session.scalar(select(Mention.text).where(Mention.id == archive["old"]))
    assert stored == "قیمت خانه ما بالا رفته" and raw == old  # what the customer wrote is kept
    assert found(blank_engine, archive, text="خانه") == {"old", "new"}
    assert found(blank_engine, archive, text=f"خانه{HAMZA}") == {"old", "new"}
    if blank_engine.dialect.name == "postgresql":
        with blank_engine.connect() as conn:
            vector = conn.execute(
                text("SELECT search_vector::text FROM mentions WHERE id = :id"), {"id": archive["old"]}
            ).scalar_one()
        assert HAMZA not in vector
