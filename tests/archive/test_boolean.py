"""Boolean queries (storage.boolean_query): one table of queries, the same ids on SQLite and PostgreSQL;
positioned errors; and random text that either parses or fails with a positioned QueryError."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.boolean_query import QueryError, parse_query
from storage.query import MentionQuery, SearchError
from storage.search import search_mentions
from tests.archive.test_search import found

BOOLEAN = [
    ("سبزینو AND دیر", {"a1", "b1"}),
    ("سبزینو دیر OR کلاهبرداری", {"a1", "b1", "c1"}),
    ("(دیر OR عالیه) سبزینو", {"a1", "a3", "b1"}),
    ("سبزینو NOT دیر NOT عالیه", {"a2", "a5", "a7", "c1", "c4", "c5", "d1"}),
    ("نوبانک OR تازه\u200cمارکت", {"a4", "a5", "c2", "c3", "c4"}),
    ("سفارشم NEAR/3 دیر", set()),
    ("سفارشم NEAR/4 دیر", {"a1"}),
    ("دیر NEAR/4 سفارشم", {"a1"}),
    ("سبزینو NEAR/0 دیر", {"b1"}),
    ("سبزینو NEAR/2 دیر", {"a1", "b1"}),
    ('"دیر رسید" NEAR/1 سفارش', {"b1"}),
    ('"دیر رسید" NEAR/0 سفارش', set()),
    ("سفارش* NEAR/4 دیر", {"a1", "b1"}),
    ("brand:nobank", {"a4", "c2"}),
    ("brand:nobank OR source:telegram", {"a4", "c2", "c3"}),
    ("سبزینو sentiment:positive", {"a3", "a7", "d1"}),
    ("author:@Mina", {"a1", "a7", "d1"}),
    ("reach>=20000", {"a3", "a5", "c2", "c3"}),
    ("followers<100", {"a2", "a6", "b1", "c5"}),
    ("touchpoint:delivery -lang:en", {"a1", "a7", "b1"}),
    ("touchpoint:delivery NOT (lang:en OR author:reza)", {"a1", "a7"}),
    ("date:1403/09/01", {"a1", "a2", "a3", "a4", "a5", "a6", "a7"}),
    ("date:2024-11-21..2024-11-21", {"a1", "a2", "a3", "a4", "a5", "a6", "a7"}),
    ("date:۱۴۰۳/۰۹/۰۲..", {"c1", "c2", "c3", "c4", "c5", "d1"}),
    ("سبزینو date:..1403/09/01", {"a1", "a2", "a3", "a5", "a7", "b1"}),
    ("date:1403/09/01T11:30..1403/09/01T12:00", {"a4"}),  # Tehran clock hours of a Jalali day
    ("date:۱۴۰۳-۰۹-۰۱T۱۱:۰۰..۱۴۰۳-۰۹-۰۱T۱۲:۰۰", {"a4"}),  # not the year 1403 AD
    ("NOT emotion:joy سبزینو", {"a1", "a2", "a3", "a5", "a7", "b1", "c1", "c4", "c5", "d1"}),
    ("lang:en OR sentiment:neutral", {"a5", "a6", "c4", "c5"}),
    ("(کارت OR brand:tazeh) -قیمت", {"a4", "a5", "c4"}),
    ("brand:sabzino,tazeh sentiment:negative", {"a1", "a2", "a6", "b1", "c1", "c3"}),
    ('brand:"sabzino"', {"a1", "a2", "a3", "a5", "a6", "a7", "b1", "c1", "c4", "c5", "d1"}),
]


@pytest.mark.parametrize(("text", "expected"), BOOLEAN)
def test_boolean_queries_agree(
    engine: Engine, archive: dict[str, int], text: str, expected: set[str]
) -> None:
    assert found(engine, archive, text=text) == expected


def test_text_fields_and_query_fields_are_anded(engine: Engine, archive: dict[str, int]) -> None:
    assert found(engine, archive, text="brand:nobank", brands=["tazeh"]) == set()
    assert found(engine, archive, text="date:1403/09/01", since="1403-09-02") == set()
    assert found(engine, archive, text="کارت OR قیمت", sources=["telegram"]) == {"c3"}


def test_relevance_with_fields_and_without_text(engine: Engine, archive: dict[str, int]) -> None:
    with Session(engine) as session:
        for text in ("سبزینو دیر brand:sabzino", "brand:nobank OR دیر"):
            page = search_mentions(session, MentionQuery(text=text, sort="relevance", limit=100))
            plain = search_mentions(session, MentionQuery(text=text, limit=100))
            assert {h.id for h in page.items} == {h.id for h in plain.items}


@pytest.mark.parametrize(
    ("text", "column", "reason"),
    [
        ("(سبزینو دیر", 12, "')' expected"),
        ("سبزینو دیر)", 11, "unexpected ')'"),
        ("سبزینو AND", 11, "expected after AND"),
        ("OR سبزینو", 1, "unexpected"),
        ("a OR (b AND NOT)", 16, "expected after NOT"),
        ("sentiment:angry", 11, "sentiment is one of"),
        ("date:1403/13/01", 6, "not a valid date"),
        ("date:1403/09/01..1403/13/01", 18, "not a valid date"),
        ("date:1403/09/05..1403/09/01", 6, "ends before"),
        ("reach>=many", 8, "whole number"),
        ("a NEAR/x b", 8, "NEAR/n"),
        ("(a b) NEAR/2 c", 7, "two words"),
        ("a NEAR/2 b NEAR/2 c", 12, "NEAR joins"),
        ("()", 2, "empty parentheses"),
        ("brand:", 7, "needs a value"),
    ],
)
def test_errors_point_at_the_mistake(text: str, column: int, reason: str) -> None:
    with pytest.raises(QueryError, match=re.escape(reason)) as caught:
        parse_query(text)
    assert caught.value.column == column
    assert str(caught.value).startswith(f"query error at column {column}: ")
    assert caught.value.caret(text).splitlines()[1] == " " * (column - 1) + "^"


def test_errors_reach_search_as_search_errors(engine: Engine, archive: dict[str, int]) -> None:
    with pytest.raises(SearchError, match="column 12"):
        found(engine, archive, text="سبزینو (دیر")


_PIECES = st.sampled_from(
    ["سبزینو", "دیر", "AND", "OR", "NOT", "NEAR/2", "NEAR/", "(", ")", '"', "-", "*", "brand:", "sabzino",
     "date:", "1403/09/01", "..", "reach>=", "12", ":", "!!!", " ", " ", "'", "\\", "%", "\x00", "ي"]
)  # fmt: skip
_TEXTS = st.one_of(st.text(max_size=40), st.lists(_PIECES, max_size=14).map("".join))


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_fuzz_parser_gives_a_query_or_a_positioned_error(text: str) -> None:
    try:
        parse_query(text)
    except QueryError as exc:
        assert exc.column is None or 1 <= exc.column <= len(text) + 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_TEXTS)
def test_fuzz_both_engines_answer_or_refuse(engine: Engine, archive: dict[str, int], text: str) -> None:
    """Whatever parses, each engine runs without a syntax error of its own."""
    try:
        query = MentionQuery(text=text, limit=5)
    except ValueError:
        return
    try:
        with Session(engine) as session:
            search_mentions(session, query)
    except SearchError:
        pass
