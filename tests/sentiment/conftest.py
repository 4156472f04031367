"""Fixtures for the sentiment tests: the bundled model (both backends) and a tiny random local model."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.sentiment import BUILTIN_DIR, load_sentiment_model
from nlp.settings import SentimentSettings


@pytest.fixture(scope="session")
def onnx_model():
    return load_sentiment_model(SentimentSettings(backend="onnx"))


@pytest.fixture(scope="session")
def torch_model():
    return load_sentiment_model(SentimentSettings(backend="torch"))


def save_tiny_model(directory: Path, id2label: dict[int, str]) -> Path:
    """A randomly initialised 1-layer BERT with the bundled tokenizer, saved like any HF checkpoint."""
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    tokenizer = AutoTokenizer.from_pretrained(str(BUILTIN_DIR))
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
        num_labels=len(id2label),
        id2label=id2label,
        label2id={v: k for k, v in id2label.items()},
    )
    BertForSequenceClassification(config).save_pretrained(str(directory))
    tokenizer.save_pretrained(str(directory))
    return directory
