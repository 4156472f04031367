"""The bundled model on ONNX Runtime: no torch/transformers import, int8 weights, faster on CPU."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from nlp.sentiment.batching import BatchedClassifier
from nlp.sentiment.emotion import EmotionHead
from nlp.sentiment.labels import resolve_label_map

ONNX_FILE = "model.onnx"


class OnnxSentimentModel(BatchedClassifier):
    """Reads ``model.onnx``, ``tokenizer.json`` and ``config.json`` (id2label) from one directory."""

    def __init__(
        self,
        directory: Path,
        *,
        labels: Mapping[str, str] | None = None,
        batch_size: int = 64,
        max_length: int = 128,
        num_threads: int | None = None,
        name: str | None = None,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        id2label = {int(k): v for k, v in config.get("id2label", {}).items()}
        super().__init__(resolve_label_map(id2label, labels or {}), batch_size, max_length)
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length)
        self.pad_id = int(config.get("pad_token_id") or 0)
        options = ort.SessionOptions()
        # One thread per run, and ``num_threads`` batches run at once (``parallel_batches``): whole
        # batches in parallel keep every core busy with no hand-offs inside an operator, which cost ~10%
        # of the CPU on these small batches (measured), and leave the GIL free for the Python steps.
        options.intra_op_num_threads = 1
        self.parallel_batches = num_threads or max(1, min(os.cpu_count() or 1, 8))
        options.inter_op_num_threads = 1
        # Busy-waiting worker threads cost more than they save on a small, shared CPU (measured).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(
            str(directory / ONNX_FILE), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self.session.get_inputs()}
        self._outputs = [o.name for o in self.session.get_outputs()]
        if "features" in self._outputs:
            self.emotion_head = EmotionHead.load(directory)
        self.name = name or f"onnx:{directory}"

    def _encode(self, texts: list[str]) -> list[list[int]]:
        return [enc.ids for enc in self.tokenizer.encode_batch(texts)]

    def _forward(
        self, input_ids: np.ndarray, attention_mask: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | None]:
        feed = {"input_ids": input_ids, "attention_mask": attention_mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(input_ids)
        outputs = dict(
            zip(
                self._outputs,
                self.session.run(None, {k: v for k, v in feed.items() if k in self._inputs}),
                strict=True,
            )
        )
        return outputs.get("logits", outputs[self._outputs[0]]), outputs.get("features")
