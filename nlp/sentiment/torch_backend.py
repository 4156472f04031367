"""Transformer sentiment through transformers' Auto classes (any local directory or model id)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from nlp.sentiment.batching import BatchedClassifier
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

    def _encode(self, texts: list[str]) -> list[list[int]]:
        enc = self.tokenizer(texts, truncation=True, max_length=self.max_length, padding=False)
        return enc["input_ids"]

    def _logits(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        torch = self._torch
        with torch.inference_mode():
            out = self.model(
                input_ids=torch.from_numpy(input_ids), attention_mask=torch.from_numpy(attention_mask)
            )
        return out.logits.float().numpy()
