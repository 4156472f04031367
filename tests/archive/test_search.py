"""One suite, both backends: every query must give the same, known answer on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.query import MentionQuery, SearchError
from storage.search import search_mentions

ALL = {"a1", "a2", "a3", "a4", "a5", "a6", "a7", "b1", "c1", "c2", "c3", "c4", "c5", "d1"}


def ids(engine: Engine, archive: dict[str, int], **query) -> list[str]:
    by_id = {v: k for k, v in archive.items()}
    with Session(engine) as session:
        page = search_mentions(session, MentionQuery(limit=1000, **query))
    assert page.total == len(page.items)
    return [by_id[item.id] for item in page.items]


def found(engine: Engine, archive: dict[str, int], **query) -> set[str]:
    return set(ids(engine, archive, **query))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سبزینو", {"a1", "a2", "a3", "a5", "a7", "b1", "c1", "c4", "c5", "d1"}),
        ("سبزينو", {"a1", "a2", "a3", "a5", "a7", "b1", "c1", "c4", "c5", "d1"}),  # Arabic ي
        ("SABZINO", {"a6"}),  # case folded by both engines
        ("سبزینو دیر", {"a1", "b1"}),  # words are AND-ed
        ('"دیر رسید"', {"a1", "b1"}),  # phrase
        ('"رسید دیر"', set()),  # phrase order matters
        ("تازه‌مارکت", {"a5", "c3", "c4"}),  # with ZWNJ
        ("کلاه*", {"c1"}),  # prefix
        ("سبزینو -دیر -عالیه", {"a2", "a5", "a7", "c1", "c4", "c5", "d1"}),  # exclusions
        ("۱۲۳", {"c4"}),  # Persian digits are stored as ASCII
        ("جواب!!!", {"a2"}),  # punctuation around a word is ignored
        ("alert", set()),  # <script> content never reached the index
        ("NEAR(سبزینو نوبانک) OR *", set()),  # FTS syntax is plain text: 'near', 'or' are words
        ("سبزینو\u200f", {"a1", "a2", "a3", "a5", "a7", "b1", "c1", "c4", "c5", "d1"}),  # stray RLM
    ],
)
def test_full_text(engine: Engine, archive: dict[str, int], text: str, expected: set[str]) -> None:
    assert found(engine, archive, text=text) == expected


@pytest.mark.parametrize("text", ["!!!", '"', "*", "-", "؟؟ ،،", '- * "'])
def test_search_text_without_words_is_a_clear_error(
    engine: Engine, archive: dict[str, int], text: str
) -> None:
    with pytest.raises(SearchError, match="no letters or digits"):
        found(engine, archive, text=text)


def test_only_exclusions_is_a_clear_error(engine: Engine, archive: dict[str, int]) -> None:
    with pytest.raises(SearchError, match="at least one word"):
        found(engine, archive, text="-سبزینو")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"brands": ["nobank"]}, {"a4", "c2"}),
        ({"brands": "nobank,tazeh"}, {"a4", "c2", "a5", "c3", "c4"}),
        ({"sources": ["instagram", "telegram"]}, {"a4", "c3"}),
        ({"sentiments": ["positive"]}, {"a3", "a7", "c2", "d1"}),
        ({"aspects": ["delivery"]}, {"a1", "a6", "a7", "b1"}),
        ({"aspects": ["payment"], "brands": ["sabzino"]}, {"c1"}),
        ({"langs": ["en"]}, {"a6"}),
        ({"author": "@Mina"}, {"a1", "a7", "d1"}),
        ({"author": "john_doe"}, {"a6"}),
        ({"min_followers": 20000}, {"a3", "a5", "c2", "c3"}),
        ({"since": "1403-09-01", "until": "1403-09-01"}, {"a1", "a2", "a3", "a4", "a5", "a6", "a7"}),
        ({"since": "2024-11-21", "until": "2024-11-21"}, {"a1", "a2", "a3", "a4", "a5", "a6", "a7"}),
        ({"since": "۱۴۰۳/۰۸/۳۰", "until": "1403-08-30"}, {"b1"}),
        ({"since": "1403-09-02"}, {"c1", "c2", "c3", "c4", "c5", "d1"}),
        ({"until": "1403-08-30"}, {"b1"}),
        ({"since": "2024-11-21T08:00:00+00:00", "until": "2024-11-21T09:00:00+00:00"}, {"a4"}),
        (
            {
                "text": "سبزینو",
                "brands": ["sabzino"],
                "since": "1403-09-01",
                "until": "1403-09-07",
                "sentiments": ["negative"],
            },
            {"a1", "a2", "c1"},
        ),
        ({}, ALL),
    ],
)
def test_filters(engine: Engine, archive: dict[str, int], query: dict, expected: set[str]) -> None:
    assert found(engine, archive, **query) == expected


def test_sorts_are_total_and_identical(engine: Engine, archive: dict[str, int]) -> None:
    newest = ids(engine, archive, sort="newest")
    assert newest[:2] == ["d1", "c5"] and newest[-1] == "b1"
    assert ids(engine, archive, sort="oldest") == list(reversed(newest))
    reach = ids(engine, archive, sort="reach")
    assert reach[0] == "a5" and reach[-1] == "a4"  # unknown followers last on both backends
    assert reach[1:3] == ["c2", "a3"]  # equal reach: newer first
    assert ids(engine, archive, sort="urgency")[:3] == ["c1", "a4", "a2"]


def test_relevance_returns_the_same_set(engine: Engine, archive: dict[str, int]) -> None:
    relevant = ids(engine, archive, text="سبزینو دیر", sort="relevance")
    assert set(relevant) == {"a1", "b1"}
    with pytest.raises(ValidationError, match="needs search text"):
        MentionQuery(sort="relevance")


def test_paging_covers_everything_once(engine: Engine, archive: dict[str, int]) -> None:
    by_id = {v: k for k, v in archive.items()}
    seen: list[str] = []
    with Session(engine) as session:
        for offset in range(0, 20, 4):
            page = search_mentions(session, MentionQuery(limit=4, offset=offset, sort="reach"))
            assert page.total == len(ALL)
            seen += [by_id[i.id] for i in page.items]
    assert seen == ids(engine, archive, sort="reach")


def test_hits_carry_the_stored_mention(engine: Engine, archive: dict[str, int]) -> None:
    with Session(engine) as session:
        page = search_mentions(session, MentionQuery(text="کارت", limit=5))
    (hit,) = page.items
    assert hit.source == "instagram" and hit.brands == ["nobank"] and hit.aspects == ["app", "payment"]
    assert hit.author_followers is None and hit.sentiment_label == "negative"
    assert hit.created_at.utcoffset() is not None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "1403-13-01"}, "not a valid date"),
        ({"since": "yesterday"}, "not a date"),
        ({"since": "1403-09-05", "until": "1403-09-01"}, "before"),
        ({"sort": "random"}, "sort"),
        ({"limit": 0}, "limit"),
        ({"tz": "Mars/Base"}, "time zone"),
        ({"text": "x" * 5000}, "text"),
        ({"sentiments": ["angry"]}, "sentiments"),
    ],
)
def test_bad_queries_are_clear_errors(query: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        MentionQuery(**query)


EDGE_TEXTS = [
    "قیمت 1.5 میلیون شد", "سبزینو-تازه کدوم بهتره", "سایت example.com خوابه", "ایمیل a.b@mail.com جواب نداد",
    "کد 123-456 رو زدم", "می‌خواهم سفارش بدم", "میخواهم سفارش", "café خوب بود",
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.5", {0}), ("5", {0}), ("سبزینو", {1}), ("تازه", {1}), ("سبزینو-تازه", {1}),
        ('"سبزینو تازه"', {1}), ("example", {2}), ("example.com", {2}), ("mail", {3}),
        ("a.b@mail.com", {3}), ("123", {4}),
        ("123-456", {4}), ("می‌خواهم", {5, 6}), ("میخواهم", {5, 6}), ("خواهم", {5, 6}), ("می*", {0, 5, 6}),
        ("café", {7}),
    ],
)  # fmt: skip
def test_tokenisation_agrees_on_both_backends(store, engine: Engine, text: str, expected: set[int]) -> None:
    """Compounds, dotted names, ZWNJ habits and prefixes: both engines cut the stored text alike."""
    from tests.archive.corpus import DAY1, _m, save_corpus

    saved = save_corpus(
        store, [_m(f"e{i}", t, DAY1, ["sabzino"], "neutral") for i, t in enumerate(EDGE_TEXTS)]
    )
    by_id = {v: int(k[1:]) for k, v in saved.items()}
    with Session(engine) as session:
        assert {by_id[h.id] for h in search_mentions(session, MentionQuery(text=text)).items} == expected
