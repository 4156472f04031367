"""The sentiment head: a linear classifier over the encoder's pooled features and its own logits.

The bundled model's classifier saw almost no neutral text, so its neutral logit is low on most inputs. A
logistic regression over the frozen features (the same ones the emotion head reads) plus the classifier's
three logits, trained on the training split and the neutral data (``training/sentiment_head.py``), keeps
what the classifier knows and learns what neutral looks like; it replaces the classifier's decision when
``sentiment_head.json`` is beside the model. Directories without it (a retrained version) use their own
classifier.
"""

from __future__ import annotations

import numpy as np

from nlp.sentiment.emotion import EmotionHead

SENTIMENT_HEAD_FILE = "sentiment_head.json"


class SentimentHead(EmotionHead):
    file_name = SENTIMENT_HEAD_FILE

    def logits(self, features: np.ndarray, raw_logits: np.ndarray, class_labels: list[str]) -> np.ndarray:
        """(n, classes) logits in ``class_labels`` order from features and the classifier's raw logits
        (columns in ``class_labels`` order, as the backend gives them)."""
        to_head = [class_labels.index(label) for label in self.input_labels]
        x = np.hstack([features.astype(np.float64), raw_logits[:, to_head]])
        z = x @ self.weight.T + self.bias
        return z[:, [self.labels.index(label) for label in class_labels]]

    #: the order of the raw logits appended to the features when the head was trained
    input_labels: tuple[str, ...] = ("negative", "neutral", "positive")
