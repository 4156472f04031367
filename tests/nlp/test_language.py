"""nlp.language: fa / ar / en / finglish / other on short social text."""

from __future__ import annotations

import pytest

from nlp.language import LANGS, detect_language, script_counts, spelling_llr


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("سفارشم هنوز نرسیده، چرا جواب نمیدید؟", "fa"),
        ("خیلی ممنون از پشتیبانی خوبتون", "fa"),
        ("كتاب خيلي خوبي بود", "fa"),  # Persian typed with Arabic ي/ك
        ("@sabzino سفارش ۱۲۳۴۵ کجاست", "fa"),
        ("هذا المنتج ممتاز جدا والله", "ar"),
        ("وين الطلب؟ تأخر التوصيل كثير", "ar"),
        ("كيف حالك يا أخي", "ar"),
        ("My order is still not here, terrible service", "en"),
        ("Thanks for the quick delivery!", "en"),
        ("salam, sefaresham hanooz nareside", "finglish"),
        ("kheili bad bood chera javab nemidid", "finglish"),
        ("merci az poshtibani, kheyli khoob bood", "finglish"),
        ("Bonjour, je suis très déçu de la livraison", "other"),
        ("Das ist wirklich schlecht, ich bin sauer", "other"),
        ("Привет, как дела?", "other"),
        ("😍😍😍", "other"),
        ("12345", "other"),
        ("", "other"),
        ("https://sabzino.ir @sabzino", "other"),  # only a URL and a handle: nothing to read
        ("#سبزینو_افتضاح #پیگیری https://x.co/1", "fa"),  # only hashtags: their words decide
        ("#fail #worst_service_ever", "en"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    "text",
    ["<" * 10_000, "a" * 100_000, "\u202e" * 100, "\ud800", "سلام" * 20_000],
)
def test_detect_language_hostile(text: str) -> None:
    assert detect_language(text) in LANGS


def test_script_counts_ignore_digits_and_punctuation() -> None:
    counts = script_counts("سلام hi 123 !!")
    assert counts["arabic"] == 4 and counts["latin"] == 2 and counts["other"] == 0


@pytest.mark.parametrize(
    ("token", "finglish"),
    [("khastam", True), ("ghazaye", True), ("bozorg", True), ("pishnahad", True),
     ("shipping", False), ("brilliant", False), ("thought", False), ("weather", False)],
)  # fmt: skip
def test_spelling_model_on_words_no_lexicon_knows(token: str, finglish: bool) -> None:
    assert (spelling_llr(token) > 0) is finglish
