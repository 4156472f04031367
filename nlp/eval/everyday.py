"""The everyday evaluation set: hand-written social mentions with three-class labels (see EVERYDAY.md).

Never used for training: ``tests/nlp/test_everyday_set.py`` checks that no text of it occurs in any
training file the project writes or reads.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources

LABELS = ("negative", "neutral", "positive")
DOMAINS = ("food_delivery", "ecommerce", "banking", "telecom")
TAGS = ("finglish", "mixed", "sarcasm", "taarof", "question", "news", "ad", "emoji")
EMOTIONS = ("anger", "sadness", "fear", "joy", "surprise", "none")


@dataclass(frozen=True)
class EverydayItem:
    id: str
    text: str
    label: str
    domain: str
    tags: tuple[str, ...]
    emotion: str | None  # None where the emotion is not clear
    pair_id: str | None  # a Finglish item and the Persian-script item it transliterates share one

    @property
    def finglish(self) -> bool:
        return "finglish" in self.tags


def everyday_set() -> list[EverydayItem]:
    """All items, in file order."""
    raw = resources.files("nlp.eval").joinpath("everyday.jsonl").read_text(encoding="utf-8")
    items = []
    for line in raw.splitlines():
        if line.strip():
            row = json.loads(line)
            items.append(
                EverydayItem(
                    id=row["id"],
                    text=row["text"],
                    label=row["label"],
                    domain=row["domain"],
                    tags=tuple(row["tags"]),
                    emotion=row.get("emotion"),
                    pair_id=row.get("pair_id"),
                )
            )
    return items


def slices(items: list[EverydayItem]) -> dict[str, list[EverydayItem]]:
    """Named subsets for reporting: all, Persian script, each tag, and both halves of the pairs."""
    out = {"all": items, "persian_script": [i for i in items if not i.finglish]}
    for tag in TAGS:
        out[tag] = [i for i in items if tag in i.tags]
    out["pairs_persian"] = [i for i in items if i.pair_id and not i.finglish]
    out["pairs_finglish"] = [i for i in items if i.pair_id and i.finglish]
    return out


@dataclass(frozen=True)
class Figures:
    """Three-class figures on one slice; macro-F1 averages the classes present in the gold labels."""

    n: int
    accuracy: float
    macro_f1: float
    per_class: dict[str, tuple[float, float, float, int]]  # label -> (precision, recall, f1, support)


def figures(gold: Sequence[str], predicted: Sequence[str]) -> Figures:
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    per_class = {}
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        n_pred, n_gold = sum(p == label for p in predicted), sum(g == label for g in gold)
        precision, recall = tp / n_pred if n_pred else 0.0, tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = (precision, recall, f1, n_gold)
    present = [label for label in LABELS if per_class[label][3]]
    return Figures(
        n=len(gold),
        accuracy=sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(1, len(gold)),
        macro_f1=sum(per_class[label][2] for label in present) / max(1, len(present)),
        per_class=per_class,
    )


def everyday_figures(
    predict: Callable[[list[str]], Sequence[str]], items: list[EverydayItem] | None = None
) -> dict[str, Figures]:
    """``predict`` (texts -> labels) on every slice of :func:`slices`, one call over all the texts."""
    items = everyday_set() if items is None else items
    by_id = dict(zip((i.id for i in items), predict([i.text for i in items]), strict=True))
    return {
        name: figures([i.label for i in subset], [by_id[i.id] for i in subset])
        for name, subset in slices(items).items()
        if subset
    }


def print_everyday_report(predict: Callable[[list[str]], Sequence[str]], name: str = "model") -> None:
    """Per-class precision/recall on all items, then accuracy and macro-F1 per slice; the pairs rows
    compare the same content in Persian script and in Finglish."""
    result = everyday_figures(predict)
    overall = result["all"]
    print(
        f"everyday set [{name}], {overall.n} mentions: "
        f"macro-F1 {overall.macro_f1:.3f}, accuracy {overall.accuracy:.3f}"
    )
    for label, (precision, recall, f1, support) in overall.per_class.items():
        print(f"    {label:8s} n={support:3d}  precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    for slice_name, fig in result.items():
        if slice_name != "all":
            print(
                f"    slice {slice_name:15s} n={fig.n:3d}  "
                f"accuracy {fig.accuracy:.3f}  macro-F1 {fig.macro_f1:.3f}"
            )
