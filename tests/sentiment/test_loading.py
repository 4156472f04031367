"""Loading other models: a local directory with its own label names, binary models, and clear errors."""

from __future__ import annotations

import json
import math

import pytest

from domain.analysis import LABELS
from nlp.sentiment import LexiconFallbackSentimentModel, SentimentModelError, load_sentiment_model
from nlp.settings import SentimentSettings
from tests.sentiment.conftest import save_tiny_model

TEXTS = ["عالی بود", "", "خیلی بد بود و دیر رسید", "سلام"]


def test_local_directory_with_custom_label_mapping(tmp_path) -> None:
    save_tiny_model(tmp_path, {0: "bad", 1: "meh", 2: "good"})
    model = load_sentiment_model(
        SentimentSettings(
            model=str(tmp_path), labels={"bad": "negative", "meh": "neutral", "good": "positive"}
        )
    )
    assert model.name.startswith("transformers:")
    results = model.predict(TEXTS)
    assert len(results) == len(TEXTS)
    for r in results:
        assert math.isclose(sum(r.probs.values()), 1.0, abs_tol=1e-5) and -1 <= r.score <= 1
    assert results[1].probs == {"negative": 0.0, "neutral": 1.0, "positive": 0.0}


def test_binary_model_maps_by_name_and_never_says_neutral(tmp_path) -> None:
    save_tiny_model(tmp_path, {0: "HAPPY", 1: "SAD"})
    model = load_sentiment_model(SentimentSettings(model=str(tmp_path)))
    for r in model.predict(["عالی", "بد"]):
        assert r.probs["neutral"] == 0.0
        assert r.label in ("negative", "positive")
        assert math.isclose(r.probs["negative"] + r.probs["positive"], 1.0, abs_tol=1e-5)


def test_unknown_label_names_need_a_mapping(tmp_path) -> None:
    save_tiny_model(tmp_path, {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"})
    with pytest.raises(SentimentModelError, match=r"sentiment\.labels"):
        load_sentiment_model(SentimentSettings(model=str(tmp_path)))


def test_exported_onnx_matches_torch(tmp_path) -> None:
    pytest.importorskip("onnx")
    from nlp.sentiment.training.export import export_onnx

    save_tiny_model(tmp_path, {0: "negative", 1: "neutral", 2: "positive"})
    export_onnx(tmp_path, tmp_path / "model.onnx", quantize=False)
    onnx_model = load_sentiment_model(SentimentSettings(model=str(tmp_path)))  # auto -> onnx
    torch_model = load_sentiment_model(SentimentSettings(model=str(tmp_path), backend="torch"))
    assert onnx_model.name.startswith("onnx:")
    for a, b in zip(onnx_model.predict(TEXTS), torch_model.predict(TEXTS), strict=True):
        assert all(abs(a.probs[k] - b.probs[k]) < 1e-4 for k in LABELS)


@pytest.mark.parametrize("missing", ["/nonexistent/model-dir", "./no-such-model", "~/no/such/model"])
def test_missing_directory_is_a_clear_error(missing: str) -> None:
    with pytest.raises(SentimentModelError, match="does not exist"):
        load_sentiment_model(SentimentSettings(model=missing))


def test_directory_without_config_is_rejected(tmp_path) -> None:
    (tmp_path / "readme.txt").write_text("not a model")
    with pytest.raises(SentimentModelError, match=r"no config\.json"):
        load_sentiment_model(SentimentSettings(model=str(tmp_path)))


def test_corrupt_weights_are_rejected(tmp_path) -> None:
    save_tiny_model(tmp_path, {0: "negative", 1: "positive"})
    (tmp_path / "model.safetensors").write_bytes(b"garbage")
    with pytest.raises(SentimentModelError, match="cannot load"):
        load_sentiment_model(SentimentSettings(model=str(tmp_path)))


def test_onnx_backend_without_onnx_file(tmp_path) -> None:
    save_tiny_model(tmp_path, {0: "negative", 1: "positive"})
    with pytest.raises(SentimentModelError, match=r"model\.onnx"):
        load_sentiment_model(SentimentSettings(model=str(tmp_path), backend="onnx"))


def test_file_instead_of_directory(tmp_path) -> None:
    f = tmp_path / "model.bin"
    f.write_text(json.dumps({}))
    with pytest.raises(SentimentModelError, match="not a model directory"):
        load_sentiment_model(SentimentSettings(model=str(f)))


def test_fallback_is_explicit_and_well_formed() -> None:
    model = load_sentiment_model(SentimentSettings(model="fallback"))
    assert isinstance(model, LexiconFallbackSentimentModel) and "fallback" in model.name
    good, bad = model.predict(["عالی بود ممنون", "افتضاح بود"])
    assert good.label == "positive" and bad.label == "negative"
