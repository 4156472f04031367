"""Fine-tune a sentiment model on CPU on the shared training data plus the team's corrections.

For time on two cores this is a bounded fine-tune of the classifier head, the pooler and the top
``train_layers`` encoder layers (the rest stay frozen), for at most ``max_steps`` steps. Batches mix
a sample of the shared training split (``data.make_splits``; dev is never trained on) with the
corrections; a correction's loss counts ``corrections_weight`` times a shared example's, since a
person said so about the service's own mentions. Texts are transliterated (Finglish) and
preprocessed exactly as at inference.

With ``train_layers`` 0 the features the emotion head reads (pooler output and last-layer mean) are
unchanged, so the base's ``emotion_head.json`` is kept; otherwise it no longer fits and is left out
(the new version scores no emotion until the head is retrained on it).

The result is a model directory like the bundled one (fp16 safetensors + tokenizer + ``model.onnx``
exported by ``export.export_onnx``: int8 with fixed scales, or fp32 for a quick run).
"""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.analysis import LABELS
from nlp.sentiment.script import model_text
from nlp.sentiment.training.data import Example

WEIGHT_FILES = ("model.safetensors", "model.onnx", "pytorch_model.bin")
EMOTION_HEAD = "emotion_head.json"
#: Fitted on the base's classifier logits, so they never carry over to a retrained classifier.
BASE_ONLY = ("sentiment_head.json", "calibration.json")


@dataclass(frozen=True)
class FineTuneOptions:
    max_steps: int = 300
    batch_size: int = 16
    lr: float = 1e-4
    train_layers: int = 1
    corrections_weight: float = 3.0
    max_length: int = 128
    seed: int = 13
    #: "int8" (static, fixed scales: what ships), "fp32" (quick), "none" (torch backend only)
    onnx: str = "int8"
    threads: int | None = None


def fine_tune(
    base_dir: Path,
    out_dir: Path,
    shared: Sequence[Example],
    corrections: Sequence[tuple[str, str]],
    options: FineTuneOptions = FineTuneOptions(),
) -> dict[str, Any]:
    """Fine-tune ``base_dir`` into ``out_dir``; returns a summary for the manifest."""
    import torch
    import torch.nn.functional as F
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    start = time.perf_counter()
    if options.threads:
        torch.set_num_threads(options.threads)
    torch.manual_seed(options.seed)
    rng = random.Random(options.seed)
    tokenizer = AutoTokenizer.from_pretrained(str(base_dir))
    model = AutoModelForSequenceClassification.from_pretrained(str(base_dir), dtype=torch.float32)
    label_ids = _label_ids(model.config.id2label)
    # as at inference (batching.BatchedClassifier.predict): Finglish in Persian script, then preprocessed
    rows = [(model_text(e.text), e.label, 1.0) for e in shared]
    rows += [(model_text(t), label, options.corrections_weight) for t, label in corrections]
    rows = [r for r in rows if r[0] and r[1] in label_ids]
    if not rows:
        raise ValueError("nothing to train on: no shared examples and no corrections")
    trainable = _unfreeze(model, options.train_layers)
    opt = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=options.lr, weight_decay=0.01
    )
    steps = max(1, options.max_steps)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, 1.0 - s / steps))
    model.train()
    losses: list[float] = []
    order: list[int] = []
    for _ in range(steps):
        if len(order) < options.batch_size:
            order += rng.sample(range(len(rows)), len(rows))
        batch = [rows[i] for i in order[: options.batch_size]]
        del order[: options.batch_size]
        enc = tokenizer(
            [b[0] for b in batch], truncation=True, max_length=options.max_length, padding=True,
            return_tensors="pt",
        )  # fmt: skip
        enc.pop("token_type_ids", None)
        logits = model(**enc).logits
        target = torch.tensor([label_ids[b[1]] for b in batch])
        weight = torch.tensor([b[2] for b in batch])
        loss = (F.cross_entropy(logits, target, reduction="none") * weight).sum() / weight.sum()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        losses.append(float(loss.item()))
    model.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    keep_emotion = options.train_layers == 0
    for item in base_dir.iterdir():  # tokenizer, config and notes of the base; not its weights
        if (
            item.is_file()
            and item.name not in (*WEIGHT_FILES, *BASE_ONLY)
            and (keep_emotion or item.name != EMOTION_HEAD)
        ):
            shutil.copy(item, out_dir / item.name)
    model.half().save_pretrained(str(out_dir), safe_serialization=True)
    tokenizer.save_pretrained(str(out_dir))
    train_seconds = time.perf_counter() - start
    if options.onnx != "none":
        from nlp.sentiment.training.export import export_onnx

        calibration = [e.text for e in rng.sample(list(shared), min(300, len(shared)))] or [
            t for t, _ in corrections
        ]
        export_onnx(
            out_dir, out_dir / "model.onnx", quantize=options.onnx == "int8", calibration_texts=calibration
        )
    return {
        "steps": steps,
        "batch_size": options.batch_size,
        "lr": options.lr,
        "train_layers": options.train_layers,
        "trainable_parameters": trainable,
        "corrections_weight": options.corrections_weight,
        "shared_examples": sum(1 for r in rows if r[2] == 1.0),
        "corrections": len(corrections),
        "first_loss": round(losses[0], 4),
        "last_loss": round(sum(losses[-10:]) / len(losses[-10:]), 4),
        "emotion_head": "kept (features unchanged)" if keep_emotion else "left out (encoder changed)",
        "onnx": options.onnx,
        "train_seconds": round(train_seconds, 1),
        "seconds": round(time.perf_counter() - start, 1),
    }


def _label_ids(id2label: dict[Any, str]) -> dict[str, int]:
    from nlp.sentiment.labels import resolve_label_map

    labels = resolve_label_map({int(k): v for k, v in id2label.items()}, {})
    ids = {label: i for i, label in enumerate(labels)}
    if set(ids) != set(LABELS):
        raise ValueError(f"the base model's classes {labels} are not negative/neutral/positive")
    return ids


def _unfreeze(model: Any, train_layers: int) -> int:
    """Freeze everything but the classifier, the pooler and the top ``train_layers`` encoder layers."""
    for p in model.parameters():
        p.requires_grad = False
    parts = [model.classifier]
    base = getattr(model, model.base_model_prefix, None)
    if base is not None:
        if getattr(base, "pooler", None) is not None:
            parts.append(base.pooler)
        layers = base.encoder.layer
        parts += list(layers)[len(layers) - min(train_layers, len(layers)) :] if train_layers > 0 else []
    for part in parts:
        for p in part.parameters():
            p.requires_grad = True
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
