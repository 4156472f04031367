"""Calibrated probabilities: ``softmax(logits / temperature + bias)`` with one bias per label.

Logits of a classifier trained with cross-entropy are over-confident. A temperature fitted by negative
log-likelihood on a validation split (never the dev splits or the everyday set) fixes that without
retraining; ``nlp/sentiment/training/sentiment_head.py`` fits it on the sentiment head's logits and writes
the file (its biases are empty; they stay supported for a file that sets them). The decision rule stays
the argmax of the calibrated probabilities. A model directory without ``calibration.json``
(a registry model whose trainer baked the temperature into its weights) is used as it is.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

CALIBRATION_FILE = "calibration.json"


class CalibrationError(ValueError):
    """``calibration.json`` is unreadable or its values make no sense; the message says which."""


@dataclass(frozen=True)
class Calibration:
    temperature: float = 1.0
    bias: dict[str, float] = field(default_factory=dict)  # label -> added to that label's scaled logit

    def apply(self, logits: np.ndarray, class_labels: list[str]) -> np.ndarray:
        """Calibrated logits for (n, classes) raw logits whose columns are ``class_labels``."""
        offsets = np.array([self.bias.get(label, 0.0) for label in class_labels])
        return logits / self.temperature + offsets

    @classmethod
    def load(cls, directory: Path) -> Calibration | None:
        path = directory / CALIBRATION_FILE
        if not path.is_file():
            return None
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            temperature = float(raw["temperature"])
            bias = {str(k): float(v) for k, v in raw.get("bias", {}).items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CalibrationError(f"{path}: not a calibration file ({exc})") from exc
        finite = math.isfinite(temperature) and all(math.isfinite(v) for v in bias.values())
        if not finite or not 0.05 <= temperature <= 20.0:
            raise CalibrationError(f"{path}: temperature must be in [0.05, 20] and biases finite")
        return cls(temperature=temperature, bias=bias)
