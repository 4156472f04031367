"""The emotion head (loaded from the model directory, same on both backends), Finglish to Persian script
before scoring, and the calibration error used by the benchmark."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nlp.sentiment import load_sentiment_model
from nlp.sentiment.emotion import EMOTIONS, EmotionHead
from nlp.sentiment.evaluation import expected_calibration_error
from nlp.sentiment.preprocess import MAX_CHARS, preprocess
from nlp.sentiment.script import model_text, to_persian_script
from nlp.settings import SentimentSettings
from tests.sentiment.conftest import save_tiny_model

TEXTS = ["عالی بود", "", "خیلی بد بود و دیر رسید", "سلام", "kheili bad bud"]


@pytest.fixture(scope="module")
def tiny_with_head(tmp_path_factory):
    pytest.importorskip("onnx")
    from nlp.sentiment.training.export import export_onnx

    directory = tmp_path_factory.mktemp("tiny")
    save_tiny_model(directory, {0: "negative", 1: "neutral", 2: "positive"})
    export_onnx(directory, directory / "model.onnx", quantize=False)
    rng = np.random.default_rng(0)
    EmotionHead(list(EMOTIONS), rng.normal(size=(len(EMOTIONS), 64)), rng.normal(size=len(EMOTIONS))).save(
        directory
    )
    return directory


def test_emotion_comes_with_the_sentiment_on_both_backends(tiny_with_head) -> None:
    onnx_model = load_sentiment_model(SentimentSettings(model=str(tiny_with_head)))
    torch_model = load_sentiment_model(SentimentSettings(model=str(tiny_with_head), backend="torch"))
    for a, b in zip(onnx_model.predict(TEXTS), torch_model.predict(TEXTS), strict=True):
        if a.probs["neutral"] == 1.0 and a.score == 0.0:  # empty text: no model call, no emotion
            assert a.emotion is None and b.emotion is None
            continue
        assert a.emotion in EMOTIONS and a.emotion == b.emotion
        assert math.isclose(sum(a.emotion_probs.values()), 1.0, abs_tol=1e-6)
        assert all(abs(a.emotion_probs[k] - b.emotion_probs[k]) < 1e-4 for k in EMOTIONS)
        assert a.to_json()["emotion"] == a.emotion


def test_no_head_file_means_no_emotion(tmp_path) -> None:
    save_tiny_model(tmp_path, {0: "negative", 1: "positive"})
    (result,) = load_sentiment_model(SentimentSettings(model=str(tmp_path))).predict(["عالی"])
    assert result.emotion is None and "emotion" not in result.to_json()


def test_the_bundled_model_gives_an_emotion() -> None:
    results = load_sentiment_model().predict(["از این همه بی‌احترامی واقعا عصبانی‌ام", "خیلی خوشحالم"])
    assert all(r.emotion in EMOTIONS for r in results)


@pytest.mark.parametrize(
    ("text", "expected_script"),
    [
        ("merci az poshtibani, kheili sari moshkelam hal shod", "persian"),
        ("سفارشم هنوز نرسیده", "unchanged"),
        ("order #1234 shipped", "unchanged"),  # English stays English
        ("", "unchanged"),
    ],
)
def test_finglish_is_scored_in_persian_script(text: str, expected_script: str) -> None:
    out = to_persian_script(text)
    if expected_script == "unchanged":
        assert out == text
    else:
        assert any("\u0600" <= ch <= "\u06ff" for ch in out)


def test_expected_calibration_error() -> None:
    gold = np.array([0, 1, 2, 0])
    assert expected_calibration_error(np.eye(3)[gold], gold) == 0.0
    overconfident = np.tile([0.98, 0.01, 0.01], (4, 1))  # always says 0 with 0.98; right half the time
    assert math.isclose(expected_calibration_error(overconfident, gold), 0.98 - 0.5)


def test_model_text_cuts_a_huge_text_before_transliterating_it() -> None:
    text = "merci az poshtibani, kheili sari moshkelam hal shod " * 200
    assert model_text(text) == model_text(text[:MAX_CHARS])
    assert model_text(text) == preprocess(to_persian_script(text[:MAX_CHARS]))
    assert model_text(text, finglish_to_script=False) == preprocess(text[:MAX_CHARS])
