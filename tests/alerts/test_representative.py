"""An incident's example mentions: the widest-reaching voices, each saying something new."""

from __future__ import annotations

from alerts.explain import representative
from alerts.text import gist
from storage.models import Mention

HEADLINE = "اختلال در سرویس ارسال سبزینو؛ سفارش‌ها ساعت‌ها دیر رسید"


def _mention(i: int, author: str, text: str, followers: int) -> Mention:
    return Mention(id=i, text=text, normalized_text=text, author_handle=author, author_followers=followers)


def test_copies_of_one_text_are_shown_once_and_authors_once() -> None:
    mentions = [
        _mention(1, "outlet1", f"{HEADLINE} https://outlet1.example/n/1", 900_000),
        _mention(2, "outlet2", f"{HEADLINE} https://outlet2.example/n/7 @sabzino", 800_000),
        _mention(3, "outlet1", "سبزینو امروز هم تاخیر داشت", 900_000),
        _mention(4, "sara", "دو ساعته منتظر سفارشم، سبزینو جواب نمیده", 300),
        _mention(5, "reza", "سفارشم سرد رسید و دیر", 200),
    ]
    chosen = [m.id for m in representative(mentions, ["ارسال", "دیر"], 3)]
    assert chosen[0] in (1, 2) and not {1, 2} <= set(chosen), chosen
    assert 3 not in chosen and len(chosen) == 3  # outlet1 is quoted once


def test_gist_ignores_links_handles_punctuation_and_zwnj_but_not_numbers() -> None:
    assert gist("می‌کنم! https://a.example/x @sabzino") == gist("میکنم")
    assert gist("سفارشم دیر رسید") != gist("سفارشم زود رسید")
    assert gist("۲ ساعت دیر") == gist("2 ساعت دیر") != gist("۵ ساعت دیر")  # numbers tell stories apart
    assert gist("سبزينو كيفيت") == gist("سبزینو کیفیت")  # Arabic yeh and kaf
    assert gist("👍👍") == "👍👍"  # nothing but emoji: the text itself is the key
    assert gist(None) == ""
