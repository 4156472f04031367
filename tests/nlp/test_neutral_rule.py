"""The neutral-selection rule (nlp/sentiment/training/neutral_rule.py) and the hand-written neutral data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.sentiment.training import neutral_rule
from nlp.sentiment.training.neutral_rule import is_neutral_news, is_neutral_question

TRAINING = Path(neutral_rule.__file__).parent


@pytest.mark.parametrize(
    "sentence",
    [
        "بانک مرکزی نرخ سود سپرده‌های کوتاه‌مدت را برای سه ماه آینده بدون تغییر اعلام کرد.",
        "به گزارش ورزش سه، تمرین امروز تیم ملی در ورزشگاه آزادی و با حضور همه بازیکنان برگزار شد.",
        "نمایشگاه کتاب تهران از ۱۵ اردیبهشت در مصلی آغاز به کار خواهد کرد.",
    ],
)
def test_plain_reporting_is_neutral_news(sentence: str) -> None:
    assert is_neutral_news(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "این تیم با یک پیروزی درخشان به مرحله بعد صعود کرد و هواداران را خوشحال کرد.",  # lexicon
        "وی گفت: این تصمیم برای همه مردم کشور بسیار مهم و اثرگذار است.",  # quoted speech
        "به نظر من این تصمیم برای همه مردم کشور بسیار مهم و اثرگذار است.",  # opinion
        "در این حمله سه نفر از ساکنان منطقه مجروح و به بیمارستان منتقل شدند.",  # conflict
        "اگر مدیران همکاری می‌کردند هیچ‌کدام از این اتفاقات نمی‌افتاد.",  # blame
        "آیا این تصمیم برای همه مردم کشور بسیار مهم و اثرگذار است؟",  # not a statement
        "کوتاه است.",
        "نمایشگاه کتاب تهران از ۱۵ اردیبهشت در مصلی آغاز به کار خواهد کرد 📚.",
    ],
)
def test_evaluative_or_quoted_sentences_are_not_neutral_news(sentence: str) -> None:
    assert not is_neutral_news(sentence)


@pytest.mark.parametrize(
    ("sentence", "neutral"),
    [
        ("کسی میدونه نسخه صوتی این کتاب کجا پیدا میشه؟", True),
        ("سلام، برای خرید نسخه چاپی چکار کنم و چقدر طول میکشه؟", True),
        ("چرا هنوز سفارش من نرسیده؟", False),  # rhetorical marker
        ("مگه کتابخانه محدودیت داره؟", False),
        ("کجا بهتر از این پیدا میشه، عالیه؟", False),  # lexicon
        ("این کتاب چاپ چندم هست", False),  # no question mark
        ("کجا؟", False),  # too short
    ],
)
def test_questions(sentence: str, neutral: bool) -> None:
    assert is_neutral_question(sentence) is neutral


@pytest.mark.parametrize("text", ["", "x" * 100_000, "🙂" * 50, "123 456.", "؟؟؟؟", "\u200c\u200f"])
def test_hostile_input_does_not_raise(text: str) -> None:
    assert is_neutral_news(text) in (True, False)
    assert is_neutral_question(text) in (True, False)


def test_selected_spans_file_is_well_formed() -> None:
    spans = neutral_rule.read_spans()
    assert 2000 <= len(spans) <= 3000
    assert len(set(spans)) == len(spans)
    sources = set(neutral_rule.NEWS_SOURCES) | set(neutral_rule.QUESTION_SOURCES)
    assert all(s.source in sources and 0 <= s.start < s.end and s.kind in ("news", "question") for s in spans)


@pytest.mark.skipif(not neutral_rule.UNLABELLED_DIR.is_dir(), reason="../shared/data/unlabelled not present")
def test_selected_spans_still_pass_the_rule() -> None:
    """The committed list rebuilds from the shared files, and every text passes the current rule."""
    spans = neutral_rule.read_spans()
    for span, text in zip(spans, neutral_rule.load_texts(spans), strict=True):
        accept = is_neutral_news if span.kind == "news" else is_neutral_question
        assert accept(text), (span, text)


def test_hand_check_file_and_written_examples() -> None:
    checks = [json.loads(line) for line in (TRAINING / "neutral_rule_check.jsonl").read_text().splitlines()]
    final = [c for c in checks if c["rule"] == "v2" and c["sample"] == "random100"]
    assert len(final) == 100 and {c["judgment"] for c in checks} == {"neutral", "not_neutral"}
    written = [json.loads(line) for line in (TRAINING / "neutral_written.jsonl").read_text().splitlines()]
    assert len(written) >= 150 and {w["label"] for w in written} == {"neutral"}
    assert {w["domain"] for w in written} == {"food_delivery", "ecommerce", "banking", "telecom"}
