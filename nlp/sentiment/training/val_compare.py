"""Validation macro-F1 of several checkpoints and of their probability averages (would an ensemble pay?).

    .venv/bin/python -m nlp.sentiment.training.val_compare DIR [DIR ...]

Scores ``cpu_finetune``'s validation rows (``build_sets``: never the dev splits or the everyday set) with
each checkpoint in fp32 torch, prints each one's per-dataset macro-F1 and their mean, then the same for
the average of the softmax probabilities of every combination of two or more. Round 8 (training README,
"Runs 12-14"): run 11 0.823, with run 8 0.822, with runs 8 and 5 0.824, all four with the model before run
5 0.819, so no ensemble ships.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nlp.sentiment.training.cpu_finetune import LABELS, Row, logits_by_length, per_dataset_f1, softmax


def val_logits(model_dir: Path, rows: Sequence[Row]) -> np.ndarray:
    """(rows, classes) fp32 logits of one checkpoint, truncated at 128 tokens as in training."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir), dtype=torch.float32).eval()
    ids = tokenizer([r.text for r in rows], truncation=True, max_length=128)["input_ids"]
    return logits_by_length(model, ids, tokenizer.pad_token_id)


def averages(logits: dict[str, np.ndarray], rows: Sequence[Row]) -> list[tuple[tuple[str, ...], dict]]:
    """Per-dataset macro-F1 of each model alone, then of each combination's mean probabilities."""
    out = []
    names = list(logits)
    for size in range(1, len(names) + 1):
        for combo in itertools.combinations(names, size):
            probs = np.mean([softmax(logits[n]) for n in combo], axis=0)
            out.append((combo, per_dataset_f1(list(rows), [LABELS[i] for i in probs.argmax(1)])))
    return out


def main() -> None:
    import torch

    from nlp.sentiment.training.cpu_finetune import build_sets

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", type=Path, nargs="+", help="checkpoint directories (transformers format)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    _, val = build_sets({})
    logits = {str(d): val_logits(d, val) for d in args.models}
    for combo, f1 in averages(logits, val):
        label = " + ".join(Path(n).name for n in combo)
        print(f"{label}: {json.dumps({k: round(v, 4) for k, v in f1.items()})}", flush=True)


if __name__ == "__main__":
    main()
