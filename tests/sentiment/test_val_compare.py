"""val_compare.py: each checkpoint alone, then every combination's mean probabilities."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nlp.sentiment.training.cpu_finetune import Row, per_dataset_f1
from nlp.sentiment.training.val_compare import averages, val_logits
from tests.sentiment.conftest import save_tiny_model

ROWS = [
    Row("غذا خیلی دیر رسید و سرد بود", "negative", "written"),
    Row("ممنون از پشتیبانی، سریع حل شد", "positive", "written"),
    Row("شعبه جدید فردا باز می‌شود", "neutral", "written"),
    Row("کیفیتش عالی بود", "positive", "insta"),
    Row("اصلا راضی نبودم", "negative", "insta"),
]
ID2LABEL = {0: "negative", 1: "neutral", 2: "positive"}


def test_combinations_and_their_scores(tmp_path: Path) -> None:
    logits = {name: val_logits(save_tiny_model(tmp_path / name, ID2LABEL), ROWS) for name in ("a", "b", "c")}
    assert all(z.shape == (len(ROWS), 3) and np.isfinite(z).all() for z in logits.values())
    out = averages(logits, ROWS)
    assert [combo for combo, _ in out] == [
        ("a",),
        ("b",),
        ("c",),
        ("a", "b"),
        ("a", "c"),
        ("b", "c"),
        ("a", "b", "c"),
    ]
    for _, f1 in out:
        assert set(f1) == {"written", "insta", "mean"} and 0.0 <= f1["mean"] <= 1.0
    # a model averaged with itself decides as it does alone
    doubled = averages({"a": logits["a"], "a2": logits["a"]}, ROWS)
    assert doubled[0][1] == doubled[2][1]
    alone = per_dataset_f1(ROWS, [ID2LABEL[int(i)] for i in logits["a"].argmax(1)])
    assert doubled[0][1] == alone
