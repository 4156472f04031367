"""Transformer sentiment through transformers' Auto classes (any local directory or model id)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from nlp.sentiment.batching import BatchedClassifier
from nlp.sentiment.emotion import EmotionHead
from nlp.sentiment.labels import resolve_label_map


class TransformerSentimentModel(BatchedClassifier):
    """AutoTokenizer + AutoModelForSequenceClassification, batched on CPU."""

    def __init__(
        self,
        source: str,
        *,
        labels: Mapping[str, str] | None = None,
        batch_size: int = 64,
        max_length: int = 128,
        num_threads: int | None = None,
        name: str | None = None,
    ) -> None:
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        if num_threads:
            torch.set_num_threads(num_threads)
        self.tokenizer = AutoTokenizer.from_pretrained(source)
        self.model = AutoModelForSequenceClassification.from_pretrained(source, dtype=torch.float32)
        self.model.eval()
        id2label = {int(k): v for k, v in (self.model.config.id2label or {}).items()}
        super().__init__(resolve_label_map(id2label, labels or {}), batch_size, max_length)
        self.pad_id = self.tokenizer.pad_token_id or 0
        self.name = name or f"transformers:{source}"
        self._torch = torch
        # The emotion head reads the BERT encoder's pooled features (see training/export.py).
        self._bert = getattr(self.model, "bert", None)
        if self._bert is not None and Path(source).is_dir():
            self.emotion_head = EmotionHead.load(Path(source))

    def _encode(self, texts: list[str]) -> list[list[int]]:
        enc = self.tokenizer(texts, truncation=True, max_length=self.max_length, padding=False)
        return enc["input_ids"]

    def _forward(
        self, input_ids: np.ndarray, attention_mask: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | None]:
        torch = self._torch
        ids, mask = torch.from_numpy(input_ids), torch.from_numpy(attention_mask)
        with torch.inference_mode():
            if self.emotion_head is None:
                return self.model(input_ids=ids, attention_mask=mask).logits.float().numpy(), None
            from nlp.sentiment.training.export import pooled_features

            out = self._bert(input_ids=ids, attention_mask=mask)
            logits = self.model.classifier(out.pooler_output)
            return logits.float().numpy(), pooled_features(out, mask).float().numpy()
