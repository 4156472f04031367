"""Step 3 (CPU, here): turn the trained checkpoint into the bundled model directory.

    .venv/bin/python -m nlp.sentiment.training.export --src .gpu/run/model --dst nlp/sentiment/model

Copies config + fp16 safetensors + tokenizer (loadable by transformers' Auto classes), exports ONNX (opset 17,
dynamic batch and sequence axes) and quantises its weights to int8 (``onnxruntime.quantization``, dynamic).
Needs the ``onnx`` package (dev extra) for the export only; inference needs onnxruntime alone.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

KEEP = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
)


def export_onnx(model_dir: Path, onnx_path: Path, quantize: bool = True) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir), dtype=torch.float32)
    model.eval()
    model.config.return_dict = False
    ids = torch.randint(5, model.config.vocab_size, (2, 16))
    mask = torch.ones_like(ids)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model_fp32.onnx"
        torch.onnx.export(
            model,
            (ids, mask),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["logits"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "seq"},
                "attention_mask": {0: "batch", 1: "seq"},
                "logits": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
        if not quantize:
            shutil.copy(fp32, onnx_path)
            return
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(fp32), str(onnx_path), weight_type=QuantType.QInt8, per_channel=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--src", type=Path, required=True)
    ap.add_argument("--dst", type=Path, required=True)
    ap.add_argument("--no-quantize", action="store_true")
    args = ap.parse_args()
    args.dst.mkdir(parents=True, exist_ok=True)
    for name in KEEP:
        if (args.src / name).is_file():
            shutil.copy(args.src / name, args.dst / name)
    # Older transformers (4.x) do not know v5's "TokenizersBackend" class name; the generic fast class
    # loads the same tokenizer.json in both.
    cfg_path = args.dst / "tokenizer_config.json"
    cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    cfg["tokenizer_class"] = "PreTrainedTokenizerFast"
    cfg_path.write_text(json.dumps(cfg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    export_onnx(args.dst, args.dst / "model.onnx", quantize=not args.no_quantize)
    for p in sorted(args.dst.iterdir()):
        print(f"{p.name:28s} {p.stat().st_size / 1e6:8.2f} MB")


if __name__ == "__main__":
    main()
