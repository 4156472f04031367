"""The committed model: loadable by transformers' Auto classes and by ONNX Runtime; both agree."""

from __future__ import annotations

import math

import numpy as np
import pytest

from domain.analysis import LABELS
from nlp.sentiment import BUILTIN_DIR, load_sentiment_model
from nlp.settings import SentimentSettings

TEXTS = [
    "غذا سرد بود و یک ساعت دیر رسید، دیگه سفارش نمیدم",
    "خیلی خوشمزه بود، ممنون از پیک سریعتون ❤️",
    "سفارشم هنوز نرسیده و پشتیبانی جواب نمیده 😡",
    "کیفیت عالی، قیمت مناسب، راضیم",
    "افتضاح ترین خرید عمرم بود",
    "بسته امروز ساعت ۵ تحویل داده شد",
]


def test_size_budget() -> None:
    total = sum(p.stat().st_size for p in BUILTIN_DIR.iterdir() if p.is_file())
    assert total < 30_000_000


def test_loads_through_transformers_auto_classes() -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from nlp.sentiment.preprocess import preprocess

    tokenizer = AutoTokenizer.from_pretrained(str(BUILTIN_DIR))
    model = AutoModelForSequenceClassification.from_pretrained(str(BUILTIN_DIR), dtype=torch.float32).eval()
    assert [model.config.id2label[i] for i in range(3)] == list(LABELS)
    enc = tokenizer([preprocess(t) for t in TEXTS[:2]], padding=True, return_tensors="pt")
    with torch.inference_mode():
        probs = model(**enc).logits.softmax(-1)
    assert probs[0].argmax().item() == LABELS.index("negative")
    assert probs[1].argmax().item() == LABELS.index("positive")


def test_default_settings_use_onnx(onnx_model) -> None:
    assert load_sentiment_model().name == onnx_model.name == "shenava-sentiment-fa:onnx"


def test_onnx_and_torch_agree(onnx_model, torch_model) -> None:
    a, b = onnx_model.predict(TEXTS), torch_model.predict(TEXTS)
    assert [r.label for r in a] == [r.label for r in b]
    pa = np.array([[r.probs[k] for k in LABELS] for r in a])
    pb = np.array([[r.probs[k] for k in LABELS] for r in b])
    assert np.abs(pa - pb).max() < 0.08  # int8 weights vs fp16->fp32 weights


def test_obvious_polarity(onnx_model) -> None:
    labels = [r.label for r in onnx_model.predict(TEXTS[:5])]
    assert labels == ["negative", "positive", "negative", "positive", "negative"]


def test_results_are_well_formed(onnx_model) -> None:
    for r in onnx_model.predict(TEXTS):
        assert set(r.probs) == set(LABELS)
        assert math.isclose(sum(r.probs.values()), 1.0, abs_tol=1e-5)
        assert all(0.0 <= p <= 1.0 for p in r.probs.values())
        assert -1.0 <= r.score <= 1.0
        assert math.isclose(r.score, r.probs["positive"] - r.probs["negative"], abs_tol=1e-9)
        assert r.label == max(r.probs, key=r.probs.get)


def test_batching_keeps_order_and_results(onnx_model) -> None:
    small = load_sentiment_model(SentimentSettings(batch_size=2))
    texts = TEXTS * 3 + ["", "خوب"]
    batched = small.predict(texts)
    one_by_one = [onnx_model.predict([t])[0] for t in texts]
    assert [r.label for r in batched] == [r.label for r in one_by_one]
    for x, y in zip(batched, one_by_one, strict=True):
        assert abs(x.score - y.score) < 1e-4  # fixed (static) activation scales: no batch effect


def test_empty_batch_and_empty_texts(onnx_model) -> None:
    assert onnx_model.predict([]) == []
    results = onnx_model.predict(["", "   ", "\u200b\u202e"])
    assert [r.label for r in results] == ["neutral"] * 3


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert('x')</script> عالی",
        "\u202eافتضاح\u202c" * 50,
        "😡" * 5000,
        "a" * 200_000,
        "خوب " * 100_000,
        "\x00\x01\x02 بد",
        "١٢٣٤٥ ۱۲۳ 123",
    ],
)
def test_hostile_input_is_scored(onnx_model, hostile: str) -> None:
    (result,) = onnx_model.predict([hostile])
    assert result.label in LABELS and -1.0 <= result.score <= 1.0
