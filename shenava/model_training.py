"""``shenava model train``: fine-tune the active model on the shared data plus the team's corrections,
compare before and after on the held-apart sets, and activate the new version only if it is not worse.

Held-apart sets: the dev split of each shared dataset (``nlp.sentiment.training.data``, never trained
on) and the everyday mentions (``nlp/eval/everyday.jsonl``, never trained on). A correction whose text
is in either set is left out of training. The gate (documented defaults, both overridable):

- mean dev macro-F1 after >= before - ``tolerance`` (0.01: the spread of repeated short fine-tunes);
- everyday neutral recall after >= before - ``neutral_tolerance`` (0.0: not worse at all, the issue's
  main complaint was neutral scored as negative).

A negative tolerance demands a gain. Refused versions stay registered (``shenava model list`` shows
them with their figures) and can still be activated by hand.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from domain.analysis import SentimentModel
from nlp.model_registry import BUILTIN, ModelRegistry

TOLERANCE_F1 = 0.01
TOLERANCE_NEUTRAL_RECALL = 0.0


@dataclass(frozen=True)
class TrainRequest:
    max_steps: int = 300
    limit_train: int | None = 4000
    #: per dev set and for the everyday set; None: all of them
    limit_eval: int | None = None
    train_layers: int = 1
    lr: float = 1e-4
    corrections_weight: float = 3.0
    onnx: str = "int8"
    tolerance: float = TOLERANCE_F1
    neutral_tolerance: float = TOLERANCE_NEUTRAL_RECALL
    data_dir: Path | None = None
    activate: bool = True
    seed: int = 13


@dataclass
class TrainOutcome:
    version: str
    base: str
    before: dict[str, Any]
    after: dict[str, Any]
    accepted: bool
    reasons: list[str] = field(default_factory=list)
    activated: bool = False
    summary: dict[str, Any] = field(default_factory=dict)


def _sample(items: Sequence[Any], limit: int | None, seed: int) -> list[Any]:
    items = list(items)
    if limit is None or len(items) <= limit:
        return items
    return random.Random(seed).sample(items, limit)


def held_apart(request: TrainRequest) -> tuple[list[Any], dict[str, list[Any]], list[Any]]:
    """(shared training sample, dev sets, everyday items), each cut as the request says."""
    from nlp.eval.everyday import everyday_set
    from nlp.sentiment.training.data import DATA_DIR, make_splits

    splits = make_splits(request.data_dir or DATA_DIR)
    dev = {name: _sample(exs, request.limit_eval, request.seed) for name, exs in splits.dev.items() if exs}
    return (
        _sample(splits.train, request.limit_train, request.seed),
        dev,
        _sample(everyday_set(), request.limit_eval, request.seed),
    )


def evaluate(model: SentimentModel, dev: dict[str, list[Any]], everyday: list[Any]) -> dict[str, Any]:
    from nlp.eval.everyday import figures
    from nlp.sentiment.evaluation import macro_f1

    per_set = {}
    for name, exs in dev.items():
        predicted = [r.label for r in model.predict([e.text for e in exs])]
        per_set[name] = round(macro_f1([e.label for e in exs], predicted), 4)
    everyday_fig = figures(
        [i.label for i in everyday], [r.label for r in model.predict([i.text for i in everyday])]
    )
    return {
        "dev": per_set,
        "dev_mean": round(sum(per_set.values()) / max(1, len(per_set)), 4),
        "everyday_macro_f1": round(everyday_fig.macro_f1, 4),
        "everyday_neutral_recall": round(everyday_fig.per_class["neutral"][1], 4),
        "everyday_n": everyday_fig.n,
    }


def gate(before: dict[str, Any], after: dict[str, Any], request: TrainRequest) -> tuple[bool, list[str]]:
    reasons = []
    if after["dev_mean"] < before["dev_mean"] - request.tolerance:
        reasons.append(
            f"mean dev macro-F1 {after['dev_mean']:.4f} < {before['dev_mean']:.4f} - {request.tolerance}"
        )
    if after["everyday_neutral_recall"] < before["everyday_neutral_recall"] - request.neutral_tolerance:
        reasons.append(
            f"everyday neutral recall {after['everyday_neutral_recall']:.4f} < "
            f"{before['everyday_neutral_recall']:.4f} - {request.neutral_tolerance}"
        )
    return not reasons, reasons


def train_version(
    registry: ModelRegistry,
    load: Callable[[Path | None], SentimentModel],
    corrections: Sequence[tuple[str, str]],
    request: TrainRequest,
    say: Callable[[str], None] = print,
) -> TrainOutcome:
    """Fine-tune the active version, evaluate both, register the new one, activate it if it passes.

    ``load(directory)`` loads a model directory for evaluation (None: the bundled model)."""
    from nlp.sentiment.preprocess import preprocess
    from nlp.sentiment.training.corrections import FineTuneOptions, fine_tune

    base = registry.active()
    base_dir = registry.directory(base)
    say(f"base model: {base}; loading the shared data and the held-apart sets…")
    shared, dev, everyday = held_apart(request)
    held = {preprocess(e.text) for exs in dev.values() for e in exs} | {preprocess(i.text) for i in everyday}
    usable = [(t, label) for t, label in corrections if preprocess(t) not in held]
    say(
        f"training on {len(shared)} shared examples and {len(usable)} corrections "
        f"({len(corrections) - len(usable)} left out: in a held-apart set); "
        f"evaluating on {sum(map(len, dev.values()))} dev and {len(everyday)} everyday texts"
    )
    before = evaluate(load(None if base == BUILTIN else base_dir), dev, everyday)
    version = registry.new_version()
    out_dir = registry.directory(version)
    options = FineTuneOptions(
        max_steps=request.max_steps, lr=request.lr, train_layers=request.train_layers,
        corrections_weight=request.corrections_weight, onnx=request.onnx, seed=request.seed,
    )  # fmt: skip
    summary = fine_tune(base_dir, out_dir, shared, usable, options)
    say(f"fine-tuned {summary['steps']} steps in {summary['train_seconds']} s (total {summary['seconds']} s)")
    after = evaluate(load(out_dir), dev, everyday)
    accepted, reasons = gate(before, after, request)
    manifest = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "base": base,
        "training": {
            "shared_examples": len(shared),
            "corrections": len(usable),
            "corrections_held_apart": len(corrections) - len(usable),
            "data_dir": str(request.data_dir) if request.data_dir else "../shared/data/sentiment",
            **summary,
        },
        "evaluation": {"dev_per_set": request.limit_eval, "everyday": len(everyday)},
        "metrics": {"before": before, "after": after},
        "gate": {
            "tolerance": request.tolerance,
            "neutral_tolerance": request.neutral_tolerance,
            "accepted": accepted,
            "reasons": reasons,
        },
    }
    registry.add(version, manifest)
    outcome = TrainOutcome(version, base, before, after, accepted, reasons, summary=summary)
    if accepted and request.activate:
        registry.activate(version)
        outcome.activated = True
    return outcome


def comparison_lines(outcome: TrainOutcome) -> list[str]:
    b, a = outcome.before, outcome.after
    rows = [f"{'':28}{outcome.base:>22}{outcome.version:>24}"]
    for name in b["dev"]:
        rows.append(f"{'dev ' + name:28}{b['dev'][name]:>22.4f}{a['dev'][name]:>24.4f}")
    for key in ("dev_mean", "everyday_macro_f1", "everyday_neutral_recall"):
        rows.append(f"{key:28}{b[key]:>22.4f}{a[key]:>24.4f}")
    return rows
