"""The emotion head: a linear classifier over the sentiment encoder's pooled features.

Trained on frozen features by ``training/emotion_head.py`` (ArmanEmo's labels; HATE counted as anger) and
shipped as ``emotion_head.json`` beside the model: weights already include the feature standardisation, so
applying it is one matrix product. A model directory without the file simply gives no emotion.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Self

import numpy as np

EMOTIONS = ("anger", "sadness", "fear", "joy", "surprise", "none")
HEAD_FILE = "emotion_head.json"


class EmotionHead:
    """A linear softmax head over features, saved as JSON beside the model (``file_name``)."""

    file_name = HEAD_FILE

    def __init__(self, labels: list[str], weight: np.ndarray, bias: np.ndarray) -> None:
        if weight.shape[0] != len(labels) or bias.shape != (len(labels),):
            raise ValueError(f"{self.file_name}: {weight.shape} weights for {len(labels)} labels")
        self.labels = labels
        self.weight = weight  # (labels, features)
        self.bias = bias

    @classmethod
    def load(cls, directory: Path) -> Self | None:
        path = directory / cls.file_name
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            list(data["labels"]),
            np.asarray(data["weight"], dtype=np.float64),
            np.asarray(data["bias"], dtype=np.float64),
        )

    def save(self, directory: Path, extra: dict | None = None) -> None:
        data = {
            "labels": self.labels,
            "weight": np.round(self.weight, 6).tolist(),
            "bias": np.round(self.bias, 6).tolist(),
        }
        (directory / self.file_name).write_text(json.dumps(data | (extra or {})) + "\n", encoding="utf-8")

    def probs(self, features: np.ndarray) -> np.ndarray:
        """(n, labels) probabilities for (n, features) pooled features."""
        z = features.astype(np.float64) @ self.weight.T + self.bias
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)
