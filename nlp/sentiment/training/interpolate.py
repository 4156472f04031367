"""Interpolate a fine-tuned checkpoint with the model it started from ("WiSE-FT", Wortsman et al. 2022).

    nice -n 10 .venv/bin/python -m nlp.sentiment.training.interpolate --tuned /tmp/ft/model --out /tmp/wise

A fine-tune on a narrow mix (here: neutral text and hand-written mentions) gains on that mix and can lose on
the review sets the start model was trained for; weights part way between the two often keep most of both,
because both lie in one basin of the loss. The share ``alpha`` of the fine-tuned weights is chosen on
``build_sets`` validation (mean per-dataset macro-F1, argmax of the raw logits), never on dev or the everyday
set. ``cpu_finetune`` bakes its temperature into the classifier; that is undone first (``metrics.json``), so
the two classifiers are interpolated on the same scale. Writes ``model/`` (fp16) and ``interpolate.json``;
export with ``export.py``, then train its heads as for any other checkpoint.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from nlp.sentiment.loader import BUILTIN_DIR
from nlp.sentiment.training.cpu_finetune import LABELS, build_sets, logits_by_length, per_dataset_f1

GRID = (0.0, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 1.0)


def main() -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base", type=Path, default=BUILTIN_DIR)
    ap.add_argument(
        "--tuned", type=Path, required=True, help="cpu_finetune's model/ (metrics.json beside it)"
    )
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    start = time.time()
    torch.set_num_threads(2)
    baked = json.loads((args.tuned.parent / "metrics.json").read_text(encoding="utf-8"))["temperature"]
    load = AutoModelForSequenceClassification.from_pretrained
    base = load(str(args.base), dtype=torch.float32).state_dict()
    tuned_model = load(str(args.tuned), dtype=torch.float32)
    tuned = {k: v.clone() for k, v in tuned_model.state_dict().items()}  # the model's own are overwritten
    for name in ("classifier.weight", "classifier.bias"):
        tuned[name] = tuned[name] * baked
    tokenizer = AutoTokenizer.from_pretrained(str(args.tuned))
    _, val = build_sets(json.loads('{"insta": 3000, "snappfood": 2000}'))
    ids = tokenizer([r.text for r in val], truncation=True, max_length=128)["input_ids"]

    def val_f1(state: dict) -> dict[str, float]:
        tuned_model.load_state_dict(state)
        tuned_model.eval()
        pred = logits_by_length(tuned_model, ids, tokenizer.pad_token_id).argmax(1)
        return per_dataset_f1(val, [LABELS[i] for i in pred])

    def mix(alpha: float) -> dict:
        return {
            k: (1 - alpha) * base[k] + alpha * tuned[k] if base[k].is_floating_point() else tuned[k]
            for k in tuned
        }

    scores = {}
    for alpha in GRID:
        scores[alpha] = val_f1(mix(alpha))
        rounded = {k: round(v, 4) for k, v in scores[alpha].items()}
        print(f"alpha {alpha}: val {json.dumps(rounded)} ({time.time() - start:.0f} s)", flush=True)
    best = max(GRID, key=lambda a: scores[a]["mean"])
    print(f"chosen alpha {best}")
    tuned_model.load_state_dict(mix(best))
    dst = args.out / "model"
    tuned_model.half().save_pretrained(str(dst), safe_serialization=True)
    tokenizer.save_pretrained(str(dst))
    record = {"alpha": best, "val": {str(a): s for a, s in scores.items()}, "tuned": str(args.tuned)}
    (args.out / "interpolate.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
