"""A Persian word is found however its writer joined or separated «می» and «ها» (both backends).

Half of written Persian joins them to the word («میرسه», «سفارشها»), half separates them with a ZWNJ
or a space («می‌رسه», «سفارش ها»); the index cuts at the ZWNJ, so each form missed the others.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from storage.boolean_query.spellings import other_spellings
from storage.repository import MentionStore
from tests.archive.corpus import DAY1, _m, save_corpus
from tests.archive.test_search import found

TEXTS = {
    "joined": "سفارشم هنوز نمیرسه، کی میرسه؟",
    "zwnj": "سفارش دیروز کی می‌رسه آخه",
    "spaced": "غذا کی می رسه پس",  # normalising stores «می‌رسه»
    "plural_joined": "سفارشها همه دیر رسیدن",
    "plural_apart": "سفارش‌های من گم شد",
    "table": "میز شکسته رسید",  # starts with «می», is no verb
}


@pytest.fixture
def texts(engine: Engine, store: MentionStore) -> dict[str, int]:
    rows = [_m(name, text, DAY1, ["sabzino"], "negative", author=name) for name, text in TEXTS.items()]
    return save_corpus(store, rows)


ARRIVES = {"joined", "zwnj", "spaced"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("میرسه", ARRIVES),
        ("می‌رسه", ARRIVES),
        ("می رسه", ARRIVES),  # typed apart: one word, as stored text reads it
        ('"کی می رسه"', ARRIVES),  # a phrase takes the other spelling too
        ("نمیرسه", {"joined"}),
        ("میرس*", ARRIVES),
        ("سفارش*", {"joined", "zwnj", "plural_joined", "plural_apart"}),
        ("سفارشها", {"plural_joined"}),  # «سفارش‌ها» is not in «سفارش‌های»: a different word
        ("سفارش‌های", {"plural_apart"}),
        ("سفارشهای", {"plural_apart"}),
        ("کی NEAR/1 میرسه", ARRIVES),
        ("کی -می‌رسه", set()),
        ("رسید*", {"plural_joined", "table"}),
        ("میز", {"table"}),
    ],
)
def test_each_spelling_finds_the_others(
    engine: Engine, texts: dict[str, int], query: str, expected: set[str]
) -> None:
    assert found(engine, texts, text=query) == expected


def test_only_the_affixes_are_split() -> None:
    assert other_spellings("میرسه") == ["می\u200cرسه"] and other_spellings("می\u200cرسه") == ["میرسه"]
    assert other_spellings("نمیرسه") == ["نمی\u200cرسه"]  # after «نمی», not «می»
    assert other_spellings("کتابهای") == ["کتاب\u200cهای"]
    assert other_spellings("میز") == [] and other_spellings("sabzino") == [] and other_spellings("ها") == []


def test_the_result_page_marks_every_spelling() -> None:
    from shenava.web.highlight import highlighted
    from storage.boolean_query import plan_query

    for query in ("می‌رسه", "میرسه", "می رسه", "میرس*"):
        marked = highlighted("سفارشم کی میرسه؟ دیروز هم می‌رسه گفتن", plan_query(query).highlight)
        assert "<mark>میرسه</mark>" in marked and "<mark>می‌رسه</mark>" in marked, (query, marked)
    # the other spelling marks the word it spells, not every «می»
    marked = highlighted("کی میرسه؟ می‌خوام بدونم", plan_query("میرسه").highlight)
    assert "<mark>" not in marked.split("؟")[1], marked


def test_a_spelling_written_apart_is_marked_as_found() -> None:
    """«می رسه» written with a space is found for «میرسه» (stored text is normalised to «می‌رسه»),
    so the page marks it, «می» and all; a lone word before or after is left alone."""
    from shenava.web.highlight import highlighted
    from storage.boolean_query import plan_query

    marked = highlighted("غذا کی می رسه؟ ما می خوریم", plan_query("میرسه").highlight)
    assert "<mark>می رسه</mark>" in marked and "<mark>" not in marked.split("؟")[1], marked
    assert "<mark>مي رسه</mark>" in highlighted("مي رسه", plan_query("میرسه").highlight)  # Arabic yeh
    marked = highlighted("کتاب ها خوبن", plan_query("کتابها").highlight)
    assert "<mark>کتاب ها</mark>" in marked and "خوبن" not in marked.split("</mark>")[0], marked
    assert "<mark>" not in highlighted("غذا کی می رسه", plan_query("غذا کی").highlight).split("کی")[1]
