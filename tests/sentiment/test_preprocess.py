from __future__ import annotations

import pytest

from nlp.sentiment.preprocess import MAX_CHARS, MENTION_TOKEN, URL_TOKEN, preprocess


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("كيفيت عالي بود", "کیفیت عالی بود"),  # Arabic kaf/yeh -> Persian
        ("\u202bسلام\u202c \u200bدنیا\ufeff", "سلام دنیا"),  # bidi embedding, zero-width space, BOM
        ("#دیجی_کالا خوبه", "دیجی کالا خوبه"),  # hashtag read as words
        ("خیلیییییییی خوب", "خیلی خوب"),  # stretching collapsed
        ("<b>عالی</b>", "عالی"),  # HTML tags dropped
        ("GREAT Service", "great service"),
    ],
)
def test_normalises_social_text(raw: str, expected: str) -> None:
    assert preprocess(raw) == expected


def test_keeps_zwnj_inside_words() -> None:
    assert "\u200c" in preprocess("می\u200cخواهم")


def test_urls_and_mentions_become_placeholders() -> None:
    out = preprocess("@sabzino_support سفارشم نیومد https://example.com/x?y=1")
    assert URL_TOKEN in out and MENTION_TOKEN in out
    assert "example" not in out and "sabzino_support" not in out


@pytest.mark.parametrize("value", [None, "", "   ", "\u200b\u200f"])
def test_empty_like_input_gives_empty_string(value: object) -> None:
    assert preprocess(value) == ""


def test_huge_input_is_bounded_and_single_line() -> None:
    out = preprocess("بد\n" * 500_000)
    assert len(out) <= MAX_CHARS and "\n" not in out


def test_emoji_are_kept() -> None:
    assert "😡" in preprocess("افتضاح 😡")


def test_lone_surrogates_and_c1_controls_are_dropped_so_the_tokenizer_can_encode_the_text() -> None:
    out = preprocess("\ud800 سلام\x85دنیا \udfff")
    assert out == "سلام دنیا"
    out.encode("utf-8")  # raises on a lone surrogate
