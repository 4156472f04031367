"""Step 3 (CPU, here): turn the trained checkpoint into the bundled model directory.

    .venv/bin/python -m nlp.sentiment.training.export --src .gpu/run/model --dst nlp/sentiment/model

Copies config + fp16 safetensors + tokenizer (loadable by transformers' Auto classes), exports ONNX (opset 17,
dynamic batch and sequence axes) with two outputs, ``logits`` and ``features`` (the pooled [CLS] output and
the masked mean of the last layer, what the emotion head reads), and quantises it to int8 with **static**
(QDQ) quantisation: the activation scales are calibrated once on training texts and fixed in the file.

Why static: dynamic quantisation computes each activation's scale over the whole batch tensor, so a text's
scores depended on what else shared its batch and on the padding (measured: up to 0.08 in a probability and
label flips on ArmanEmo texts). With fixed scales every row is computed on its own, so a text gets the same
result alone or in any batch. Weights (MatMul/Gemm, word embeddings) are int8 per channel; activations uint8;
matmul outputs stay fp32 (MatMulIntegerToFloat), which keeps dev macro-F1 and speed at the dynamic level.
Needs the ``onnx`` package (dev extra) for the export only; inference needs onnxruntime alone.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

KEEP = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "emotion_head.json",
)
#: Training texts the activation ranges are calibrated on (scored one at a time, as at run time).
CALIBRATION_TEXTS = 300


class _WithFeatures:
    """Wraps a sequence classifier so the exported graph also returns the emotion head's input."""

    @staticmethod
    def build(model):
        import torch

        class Exported(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, input_ids, attention_mask):
                out = self.model.bert(input_ids=input_ids, attention_mask=attention_mask)
                logits = self.model.classifier(out.pooler_output)
                return logits, pooled_features(out, attention_mask)

        return Exported()


def pooled_features(bert_output, attention_mask):
    """[pooler output ; masked mean of the last layer]: the features the emotion head is trained on."""
    import torch

    mask = attention_mask.unsqueeze(-1).to(bert_output.last_hidden_state.dtype)
    mean = (bert_output.last_hidden_state * mask).sum(1) / mask.sum(1).clamp(min=1.0)
    return torch.cat([bert_output.pooler_output, mean], dim=-1)


def export_onnx(
    model_dir: Path,
    onnx_path: Path,
    quantize: bool = True,
    calibration_texts: Sequence[str] | None = None,
) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir), dtype=torch.float32)
    model.eval()
    model.config.return_dict = True
    exported = _WithFeatures.build(model) if hasattr(model, "bert") else model
    outputs = ["logits", "features"] if hasattr(model, "bert") else ["logits"]
    ids = torch.randint(5, model.config.vocab_size, (2, 16))
    mask = torch.ones_like(ids)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model_fp32.onnx"
        torch.onnx.export(
            exported,
            (ids, mask),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=outputs,
            dynamic_axes={
                "input_ids": {0: "batch", 1: "seq"},
                "attention_mask": {0: "batch", 1: "seq"},
                **{name: {0: "batch"} for name in outputs},
            },
            opset_version=17,
            dynamo=False,
        )
        if not quantize:
            shutil.copy(fp32, onnx_path)
            return
        quantize_fixed_scales(fp32, onnx_path, model_dir, calibration_texts or default_calibration_texts())


def default_calibration_texts(n: int = CALIBRATION_TEXTS, seed: int = 13) -> list[str]:
    """A fixed sample of the training split (never dev)."""
    from nlp.sentiment.training.data import make_splits

    train = make_splits().train
    return [e.text for e in random.Random(seed).sample(train, min(n, len(train)))]


def quantize_fixed_scales(src: Path, dst: Path, model_dir: Path, texts: Sequence[str]) -> None:
    """Static QDQ int8: weight MatMul/Gemm and the word embeddings; calibrated, fixed activation scales."""
    import onnx
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process
    from tokenizers import Tokenizer

    from nlp.sentiment.preprocess import preprocess

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(128)
    encoded = [tokenizer.encode(t).ids for t in (preprocess(x) for x in texts) if t]

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self._it = iter(encoded)

        def get_next(self) -> dict[str, np.ndarray] | None:
            ids = next(self._it, None)
            if ids is None:
                return None
            arr = np.asarray([ids], dtype=np.int64)
            return {"input_ids": arr, "attention_mask": np.ones_like(arr)}

    with tempfile.TemporaryDirectory() as tmp:
        pre = Path(tmp) / "pre.onnx"
        quant_pre_process(str(src), str(pre), skip_symbolic_shape=True)
        graph = onnx.load(str(pre)).graph
        weights = {i.name for i in graph.initializer}
        nodes = [
            n.name
            for n in graph.node
            if (n.op_type in ("MatMul", "Gemm") and len(n.input) > 1 and n.input[1] in weights)
            or (n.op_type == "Gather" and n.input[0] in weights and "word_embeddings" in n.input[0])
        ]
        quantize_static(
            str(pre),
            str(dst),
            Reader(),
            quant_format=QuantFormat.QDQ,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            per_channel=True,
            nodes_to_quantize=nodes,
            calibrate_method=CalibrationMethod.MinMax,
            extra_options={"OpTypesToExcludeOutputQuantization": ["MatMul", "Gemm"]},
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--src", type=Path, required=True)
    ap.add_argument("--dst", type=Path, required=True)
    ap.add_argument("--no-quantize", action="store_true")
    ap.add_argument(
        "--calibration-texts",
        type=Path,
        help="JSON list of training texts (default: the fixed 300-text sample)",
    )
    args = ap.parse_args()
    args.dst.mkdir(parents=True, exist_ok=True)
    if args.src.resolve() != args.dst.resolve():
        for name in KEEP:
            if (args.src / name).is_file():
                shutil.copy(args.src / name, args.dst / name)
    # Older transformers (4.x) do not know v5's "TokenizersBackend" class name; the generic fast class
    # loads the same tokenizer.json in both.
    cfg_path = args.dst / "tokenizer_config.json"
    cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    cfg["tokenizer_class"] = "PreTrainedTokenizerFast"
    cfg_path.write_text(json.dumps(cfg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    texts = json.loads(args.calibration_texts.read_text(encoding="utf-8")) if args.calibration_texts else None
    export_onnx(args.dst, args.dst / "model.onnx", quantize=not args.no_quantize, calibration_texts=texts)
    for p in sorted(args.dst.iterdir()):
        print(f"{p.name:28s} {p.stat().st_size / 1e6:8.2f} MB")


if __name__ == "__main__":
    main()
