"""Labelled sentiment data from ``../shared/data/sentiment``: loaders, 3-way labels, train/dev splits.

Label mapping (the one the held-out evaluation uses, see SOURCE.md there): -2, -1 -> negative; 0 -> neutral;
1, 2 -> positive; ParsiNLU's 3 (mixed) dropped. ArmanEmo: HAPPY -> positive; ANGRY, HATE, SAD, FEAR ->
negative; OTHER -> neutral; SURPRISE dropped. Binary sets (Instagram, SnappFood) give negative/positive only.

Splits: per dataset, texts are deduplicated on their preprocessed form (Instagram repeats texts; a text with
conflicting labels is dropped), then a stratified ``DEV_FRACTION`` goes to dev with a fixed seed. Any train
text whose preprocessed form also occurs in some dev set is removed from train, so dev is never trained on.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from nlp.sentiment.preprocess import preprocess

REPO_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "sentiment"
UNLABELLED_DIR = REPO_ROOT.parent / "shared" / "data" / "unlabelled"
DATASETS = ("snappfood", "insta", "armanemo", "parsinlu", "deepsentipers")
DEV_FRACTION = 0.15
SEED = 13

_POLARITY = {-2: "negative", -1: "negative", 0: "neutral", 1: "positive", 2: "positive"}
_ARMAN = {
    "HAPPY": "positive",
    "ANGRY": "negative",
    "HATE": "negative",
    "SAD": "negative",
    "FEAR": "negative",
    "OTHER": "neutral",
}


@dataclass(frozen=True)
class Example:
    text: str  # raw text as in the source file
    label: str  # negative | neutral | positive
    dataset: str


def _snappfood(root: Path) -> Iterator[tuple[str, str]]:
    with (root / "snappfood" / "dev.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            label = {"HAPPY": "positive", "SAD": "negative"}.get((row.get("label") or "").strip())
            if label and row.get("comment"):
                yield row["comment"], label


def _insta(root: Path) -> Iterator[tuple[str, str]]:
    folder = root / "insta_multidsenti"
    with (folder / "train_data.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            label = {"0": "negative", "1": "positive"}.get((row.get("label") or "").strip())
            if label and row.get("text"):
                yield row["text"], label
    for name, label in (("negative", "negative"), ("positive", "positive")):
        for line in (folder / f"{name}_test_cmnts_talentShow.txt").read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield line, label


def _armanemo(root: Path) -> Iterator[tuple[str, str]]:
    for line in (root / "armanemo" / "train.tsv").read_text(encoding="utf-8").splitlines():
        text, sep, tag = line.rpartition("\t")
        label = _ARMAN.get(tag.strip())
        if sep and label and text.strip():
            yield text, label


def _parsinlu(root: Path) -> Iterator[tuple[str, str]]:
    for name in ("food_reviews_without_test.jsonl", "movie_reviews_without_test.jsonl"):
        for line in (root / "parsinlu_sentiment" / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            label = _POLARITY.get(int(row.get("sentiment", 3)))
            if label and row.get("review"):
                yield row["review"], label


def _deepsentipers(root: Path) -> Iterator[tuple[str, str]]:
    with (root / "deepsentipers" / "original.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) >= 2 and row[0].strip():
                label = _POLARITY.get(int(row[1]))
                if label:
                    yield row[0], label


_LOADERS = {
    "snappfood": _snappfood,
    "insta": _insta,
    "armanemo": _armanemo,
    "parsinlu": _parsinlu,
    "deepsentipers": _deepsentipers,
}


def load_dataset(name: str, root: Path = DATA_DIR) -> list[Example]:
    """All usable examples of one dataset, deduplicated on preprocessed text (conflicting labels dropped)."""
    if not root.is_dir():
        raise FileNotFoundError(
            f"labelled sentiment data not found at {root} (expected ../shared beside the repo)"
        )
    labels: dict[str, set[str]] = defaultdict(set)
    first: dict[str, str] = {}
    for text, label in _LOADERS[name](root):
        key = preprocess(text)
        if not key:
            continue
        labels[key].add(label)
        first.setdefault(key, text.strip())
    return [Example(first[k], next(iter(v)), name) for k, v in labels.items() if len(v) == 1]


@dataclass
class Splits:
    train: list[Example]
    dev: dict[str, list[Example]]


def make_splits(root: Path = DATA_DIR, seed: int = SEED, dev_fraction: float = DEV_FRACTION) -> Splits:
    """Stratified per-dataset train/dev splits (deterministic for a seed)."""
    rng = random.Random(seed)
    train: list[Example] = []
    dev: dict[str, list[Example]] = {}
    for name in DATASETS:
        by_label: dict[str, list[Example]] = defaultdict(list)
        for ex in load_dataset(name, root):
            by_label[ex.label].append(ex)
        dev[name] = []
        for label in sorted(by_label):
            items = sorted(by_label[label], key=lambda e: e.text)
            rng.shuffle(items)
            cut = round(len(items) * dev_fraction)
            dev[name].extend(items[:cut])
            train.extend(items[cut:])
    dev_keys = {preprocess(e.text) for exs in dev.values() for e in exs}
    train = [e for e in train if preprocess(e.text) not in dev_keys]
    rng.shuffle(train)
    return Splits(train=train, dev=dev)


if __name__ == "__main__":  # print split sizes
    splits = make_splits()
    print("train", len(splits.train), file=sys.stdout)
    for name, exs in splits.dev.items():
        counts = {lab: sum(e.label == lab for e in exs) for lab in ("negative", "neutral", "positive")}
        print("dev", name, len(exs), counts)
