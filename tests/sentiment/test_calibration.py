"""The bundled model's calibration: applied on every backend, per text, and a bad file is a clear error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from nlp.sentiment import load_sentiment_model
from nlp.sentiment.batching import softmax
from nlp.sentiment.calibration import CALIBRATION_FILE, Calibration
from nlp.sentiment.loader import BUILTIN_DIR, SentimentModelError
from nlp.sentiment.preprocess import preprocess
from nlp.sentiment.sentiment_head import SENTIMENT_HEAD_FILE, SentimentHead
from nlp.settings import SentimentSettings

TEXTS = [
    "بانک مرکزی نرخ سود سپرده را اعلام کرد",
    "شعبه جدید از شنبه در خیابان ولیعصر باز می‌شود",
    "غذا خیلی دیر رسید و سرد شده بود",
    "مرسی از پشتیبانی، خیلی سریع مشکلم حل شد",
]


def test_bundled_model_ships_a_sane_calibration_and_head() -> None:
    cal = Calibration.load(BUILTIN_DIR)
    assert cal is not None
    assert 1.0 < cal.temperature < 5.0  # raw logits are over-confident: T > 1 softens them
    assert set(cal.bias) <= {"negative", "neutral", "positive"}
    # a head ships only when it beat the classifier's own logits on validation (runs 8 and 11's did not)
    head = SentimentHead.load(BUILTIN_DIR)
    assert head is None or head.labels == ["negative", "neutral", "positive"]


@pytest.mark.parametrize("fixture", ["onnx_model", "torch_model"])
def test_probabilities_are_the_calibrated_head_over_features_and_logits(fixture: str, request) -> None:
    model = request.getfixturevalue(fixture)
    assert model.calibration is not None
    logits, features = model._infer([preprocess(t) for t in TEXTS])
    head = model.sentiment_head
    head_logits = logits if head is None else head.logits(features, logits, model.class_labels)
    expected = softmax(model.calibration.apply(head_logits, model.class_labels))
    got = model.predict(TEXTS)
    for row, result in zip(expected, got, strict=True):
        for idx, p in enumerate(row):
            assert result.probs[model.class_labels[idx]] == pytest.approx(p, abs=1e-6)
        assert result.label == model.class_labels[int(np.argmax(row))]
    neutral = model.class_labels.index("neutral")
    # the central bank's announcement is neutral (the first bundled model called it negative 0.90)
    assert expected[0].argmax() == neutral
    assert got[2].label == "negative" and got[3].label == "positive"


def _copy_model(tmp_path: Path) -> Path:
    dst = tmp_path / "model"
    shutil.copytree(BUILTIN_DIR, dst, ignore=shutil.ignore_patterns("model.safetensors"))
    return dst


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"bias": {}}),
        json.dumps({"temperature": 0}),
        json.dumps({"temperature": "NaN"}),
    ],
)
def test_a_bad_calibration_file_is_a_clear_load_error(tmp_path: Path, content: str) -> None:
    directory = _copy_model(tmp_path)
    (directory / CALIBRATION_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(SentimentModelError, match=CALIBRATION_FILE):
        load_sentiment_model(SentimentSettings(model=str(directory), backend="onnx"))


@pytest.mark.parametrize("content", ["[]", json.dumps({"labels": ["a"], "weight": [[1, 2]], "bias": [0, 0]})])
def test_a_bad_sentiment_head_is_a_clear_load_error(tmp_path: Path, content: str) -> None:
    directory = _copy_model(tmp_path)
    (directory / SENTIMENT_HEAD_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(SentimentModelError, match="sentiment model"):
        load_sentiment_model(SentimentSettings(model=str(directory), backend="onnx"))


def test_a_directory_without_calibration_uses_the_raw_softmax(tmp_path: Path) -> None:
    directory = _copy_model(tmp_path)
    (directory / CALIBRATION_FILE).unlink()
    (directory / SENTIMENT_HEAD_FILE).unlink(missing_ok=True)
    model = load_sentiment_model(SentimentSettings(model=str(directory), backend="onnx"))
    assert model.calibration is None and model.sentiment_head is None
    logits, _ = model._infer([preprocess(t) for t in TEXTS])
    got = model.predict(TEXTS)
    assert got[0].probs["neutral"] == pytest.approx(
        float(softmax(logits)[0, model.class_labels.index("neutral")]), abs=1e-6
    )


def test_a_directory_with_a_sentiment_head_scores_through_it(tmp_path: Path) -> None:
    directory = _copy_model(tmp_path)
    plain = load_sentiment_model(SentimentSettings(model=str(directory), backend="onnx"))
    _, features = plain._infer([preprocess(t) for t in TEXTS])
    # a head that reads only the classifier's logits, with the neutral one raised: every text turns neutral
    weight = np.hstack([np.zeros((3, features.shape[1])), np.eye(3)])
    SentimentHead(["negative", "neutral", "positive"], weight, np.array([0.0, 50.0, 0.0])).save(directory)
    model = load_sentiment_model(SentimentSettings(model=str(directory), backend="onnx"))
    assert model.sentiment_head is not None
    assert [r.label for r in model.predict(TEXTS)] == ["neutral"] * len(TEXTS)
    assert [r.label for r in plain.predict(TEXTS)] != ["neutral"] * len(TEXTS)
