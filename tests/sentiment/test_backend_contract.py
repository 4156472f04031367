"""One contract over every sentiment backend: the bundled model on ONNX Runtime and torch, and the fallback.

Every backend must return well-formed results (a label of LABELS, probabilities summing to 1, score =
p(positive) - p(negative)), survive empty and hostile text, be deterministic, and give a text the same label
and probabilities (to 1e-4) whatever else shares its batch, in any order and batch size.
"""

from __future__ import annotations

import math
import random

import pytest

from domain.analysis import LABELS, SentimentResult
from nlp.sentiment import load_sentiment_model
from nlp.settings import SentimentSettings

TOL = 1e-4

TEXTS = [
    "غذا سرد بود و یک ساعت دیر رسید، دیگه سفارش نمیدم",
    "خیلی خوشمزه بود، ممنون از پیک سریعتون ❤️",
    "بانک مرکزی نرخ سود سپرده را اعلام کرد",
    "امروز سفارش دادم، فردا تحویل میدن",
    "دستتون درد نکنه واقعا، غذا بعد دو ساعت یخ زده رسید 👏",
    "merci az poshtibani, kheili sari moshkelam hal shod",
    "خوب",
    "؟",
    "😍😍😍",
    "شعبه جدید فروشگاه از شنبه در خیابان ولیعصر باز می‌شود و ساعت کاری آن از ۹ صبح تا ۱۰ شب است. " * 6,
    "سلام وقت بخیر، سفارش شماره ۱۲۳۴ من هنوز نرسیده، لطفا پیگیری کنید @support #دیجی_کالا https://x.co/a",
    "کیفیت عالی، قیمت مناسب، راضیم",
]

HOSTILE = [
    "\u202eافتضاح\u202c" * 50,  # bidi override
    "خو\u200bب\u200d\u2060 بود\ufeff",  # zero-width characters inside words
    "\u2067عالی\u2069 \u200f\u200e",  # isolates and marks
    "<script>alert('x')</script> عالی",
    "\x00\x01\x02 بد",
    "😡" * 5000,
    "خوب " * 262_144,  # 1 MB of text
    "a" * 1_000_000,
    "١٢٣٤٥ ۱۲۳ 123",
    "\n\t\r",
]


@pytest.fixture(scope="module", params=["onnx", "torch", "fallback"])
def backend(request):
    if request.param == "fallback":
        return load_sentiment_model(SentimentSettings(model="fallback"))
    return load_sentiment_model(SentimentSettings(backend=request.param))


def _assert_same(a: SentimentResult, b: SentimentResult, where: str) -> None:
    assert a.label == b.label, where
    for k in LABELS:
        assert abs(a.probs[k] - b.probs[k]) <= TOL, (where, k, a.probs, b.probs)
    assert abs(a.score - b.score) <= TOL, where


def _assert_well_formed(r: SentimentResult) -> None:
    assert r.label in LABELS
    assert set(r.probs) == set(LABELS)
    assert all(0.0 <= p <= 1.0 for p in r.probs.values())
    assert math.isclose(sum(r.probs.values()), 1.0, abs_tol=1e-5)
    assert -1.0 <= r.score <= 1.0
    assert math.isclose(r.score, r.probs["positive"] - r.probs["negative"], abs_tol=1e-6)


def test_results_are_well_formed(backend) -> None:
    results = backend.predict(TEXTS)
    assert len(results) == len(TEXTS)
    for r in results:
        _assert_well_formed(r)
        assert r.label == max(LABELS, key=lambda k: r.probs[k])  # the decision rule is argmax


def test_empty_input_and_empty_texts(backend) -> None:
    assert backend.predict([]) == []
    for r in backend.predict(["", "   ", "\u200b\u202e", "\u2066\u2069"]):
        assert r.label == "neutral" and r.probs["neutral"] == 1.0 and r.score == 0.0


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_scored(backend, hostile: str) -> None:
    (result,) = backend.predict([hostile])
    _assert_well_formed(result)


def test_hostile_text_in_a_batch_does_not_change_its_neighbours(backend) -> None:
    alone = backend.predict(TEXTS[:3])
    mixed = backend.predict([HOSTILE[6], TEXTS[0], HOSTILE[0], TEXTS[1], HOSTILE[5], TEXTS[2]])
    for a, b in zip(alone, mixed[1::2], strict=True):
        _assert_same(a, b, "beside hostile text")


def test_deterministic(backend) -> None:
    first, second = backend.predict(TEXTS), backend.predict(TEXTS)
    for a, b in zip(first, second, strict=True):
        assert a == b


def test_batch_invariance(backend) -> None:
    """Alone, all together, reversed, shuffled, duplicated and in small batches: the same result."""
    alone = [backend.predict([t])[0] for t in TEXTS]
    together = backend.predict(TEXTS)
    reversed_ = backend.predict(TEXTS[::-1])[::-1]
    rng = random.Random(7)
    order = list(range(len(TEXTS)))
    rng.shuffle(order)
    shuffled_results = backend.predict([TEXTS[i] for i in order])
    shuffled = [shuffled_results[order.index(i)] for i in range(len(TEXTS))]
    doubled = backend.predict(TEXTS + TEXTS)
    pairs = [r for i in range(0, len(TEXTS), 2) for r in backend.predict(TEXTS[i : i + 2])]
    for name, results in (
        ("together", together),
        ("reversed", reversed_),
        ("shuffled", shuffled),
        ("doubled (first)", doubled[: len(TEXTS)]),
        ("doubled (second)", doubled[len(TEXTS) :]),
        ("pairs", pairs),
    ):
        for i, (a, b) in enumerate(zip(alone, results, strict=True)):
            _assert_same(a, b, f"{name}: text {i}")


def test_batch_size_setting_does_not_change_scores() -> None:
    """The configured batch size (and so the micro-batches) changes speed, never the scores."""
    small = load_sentiment_model(SentimentSettings(batch_size=1))
    large = load_sentiment_model(SentimentSettings(batch_size=256))
    for a, b in zip(small.predict(TEXTS * 3), large.predict(TEXTS * 3), strict=True):
        _assert_same(a, b, "batch_size 1 vs 256")
