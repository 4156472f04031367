"""Reading a query's full-text matches once per page (``storage.search.matches_once``, issue 13
item 6): inside it every chart and the results page say exactly what they say alone, on both
backends; outside it (or for another query) nothing is shared."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from domain.analysis import SentimentResult
from storage.aggregates import sentiment_share, share_of_voice, touchpoint_counts, volume_by
from storage.facets import facet_counts, top_authors
from storage.query import MentionQuery
from storage.repository import MentionStore
from storage.search import fulltext_matches, matches_once, newest_texts, search_mentions, within_matches
from tests.storage.factories import T0, analysis, raw_mention

WORDS = ["تاخیر", "قیمت", "پشتیبانی", "عالی"]


def _store(store: MentionStore) -> None:
    rng = random.Random(13)
    items = []
    for i in range(120):
        text = " ".join(rng.sample(WORDS, 2)) + f" سبزینو {i}"
        label = rng.choice(["negative", "neutral", "positive"])
        when = T0 + timedelta(hours=rng.randrange(10 * 24))
        author = rng.choice(["Ali", "sara", None])
        raw = raw_mention(
            i, text=text, created_at=when, source=rng.choice(["x", "instagram"]), author_handle=author
        )
        result = analysis(text, brands=rng.sample(["sabzino", "nobank"], rng.choice((1, 2))),
                          aspects=rng.sample(["delivery", "price"], rng.choice((0, 1))),
                          sentiment=SentimentResult(label=label, score=0.0, probs={label: 1.0}))  # fmt: skip
        items.append((raw, result))
    store.save_batch(items, None)


def _answers(session: Session, query: MentionQuery) -> list[object]:
    found = search_mentions(session, query)
    return [
        (found.total, [h.id for h in found.items]),
        volume_by(session, query, "day"),
        volume_by(session, query, "hour"),
        sentiment_share(session, query),
        touchpoint_counts(session, query),
        share_of_voice(session, query),
        facet_counts(session, query, "source"),
        top_authors(session, query, "volume"),
        top_authors(session, query, "reach"),
        newest_texts(session, query, 7),
    ]


def test_charts_read_the_shared_matches_and_say_the_same(store: MentionStore, engine: Engine) -> None:
    _store(store)
    since, until = T0.date().isoformat(), (T0 + timedelta(days=6)).date().isoformat()
    for text in (f"تاخیر brand:sabzino date:{since}..{until}", f"قیمت OR عالی date:{since}..{until}",
                 f"پشتیبانی -عالی source:x date:{since}..{until}"):  # fmt: skip
        query = MentionQuery(text=text, limit=5)
        with Session(engine) as session:
            alone = _answers(session, query)
            with matches_once(session, query):
                shared = _answers(session, query)
                read_ahead = fulltext_matches(session, query) is not None  # the OR query's is not
                assert bool(within_matches(session, query)) == read_ahead
                assert within_matches(session, query.model_copy(update={"text": "قیمت"})) == []
            assert within_matches(session, query) == []
        assert shared == alone, text
        assert read_ahead == (engine.dialect.name == "postgresql" and " OR " not in text)


def test_only_a_dated_full_text_query_on_postgresql_is_read_ahead(engine: Engine) -> None:
    with Session(engine) as session:
        assert (
            fulltext_matches(session, MentionQuery(text="brand:sabzino date:1404-12-01..1404-12-05")) is None
        )
        assert fulltext_matches(session, MentionQuery(text="تاخیر")) is None
        dated = fulltext_matches(session, MentionQuery(text="تاخیر date:1404-12-01..1404-12-05"))
        assert dated == ([] if engine.dialect.name == "postgresql" else None)
