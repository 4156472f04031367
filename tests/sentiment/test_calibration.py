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
from nlp.settings import SentimentSettings

TEXTS = [
    "بانک مرکزی نرخ سود سپرده را اعلام کرد",
    "شعبه جدید از شنبه در خیابان ولیعصر باز می‌شود",
    "غذا خیلی دیر رسید و سرد شده بود",
    "مرسی از پشتیبانی، خیلی سریع مشکلم حل شد",
]


def test_bundled_model_ships_a_sane_calibration() -> None:
    cal = Calibration.load(BUILTIN_DIR)
    assert cal is not None
    assert 1.0 < cal.temperature < 5.0  # the raw model is over-confident: T > 1 softens it
    assert set(cal.bias) <= {"negative", "neutral", "positive"}


@pytest.mark.parametrize("fixture", ["onnx_model", "torch_model"])
def test_probabilities_are_the_calibrated_softmax_of_the_raw_logits(fixture: str, request) -> None:
    model = request.getfixturevalue(fixture)
    assert model.calibration is not None
    clean = [preprocess(t) for t in TEXTS]
    logits, _ = model._infer(clean)
    expected = softmax(model.calibration.apply(logits, model.class_labels))
    got = model.predict(TEXTS)
    for row, result in zip(expected, got, strict=True):
        for idx, p in enumerate(row):
            assert result.probs[model.class_labels[idx]] == pytest.approx(p, abs=1e-6)
        assert result.label == model.class_labels[int(np.argmax(row))]
    raw = softmax(logits)
    # the neutral bias raises p(neutral) on the announcement, and the temperature lowers the top confidence
    neutral = model.class_labels.index("neutral")
    assert expected[0, neutral] > raw[0, neutral]
    assert expected.max(1).mean() < raw.max(1).mean()


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


def test_a_directory_without_calibration_uses_the_raw_softmax(tmp_path: Path) -> None:
    directory = _copy_model(tmp_path)
    (directory / CALIBRATION_FILE).unlink()
    model = load_sentiment_model(SentimentSettings(model=str(directory), backend="onnx"))
    assert model.calibration is None
    logits, _ = model._infer([preprocess(t) for t in TEXTS])
    got = model.predict(TEXTS)
    assert got[0].probs["neutral"] == pytest.approx(
        float(softmax(logits)[0, model.class_labels.index("neutral")]), abs=1e-6
    )
