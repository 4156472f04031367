"""The everyday evaluation set is well-formed, balanced, and kept apart from every training text."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from nlp.eval.everyday import (
    DOMAINS,
    EMOTIONS,
    LABELS,
    TAGS,
    everyday_figures,
    everyday_set,
    figures,
    slices,
)
from nlp.sentiment.training import neutral_rule

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
_NOT_LETTER = re.compile(r"[\W\d_]+")


def _key(text: str) -> str:
    """Letters only, Arabic ي/ك as Persian: spacing, ZWNJ, punctuation, digits and emoji don't hide a copy."""
    return _NOT_LETTER.sub("", text.replace("ي", "ی").replace("ك", "ک").lower())


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _project_training_texts() -> list[str]:
    """Every string field of every JSONL file the training code keeps or writes (committed data,
    ``.gpu/data`` from ``prepare``), one text per field, and the rule-selected neutral sentences."""
    files = [*(ROOT / "nlp" / "sentiment" / "training").rglob("*.jsonl"), *(ROOT / ".gpu").rglob("*.jsonl")]
    texts: list[str] = []
    if neutral_rule.UNLABELLED_DIR.is_dir():
        texts.extend(neutral_rule.load_texts())
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.extend(_strings(json.loads(line)))
    return texts


def test_fields_and_values() -> None:
    items = everyday_set()
    assert len({i.id for i in items}) == len(items)
    assert len({_key(i.text) for i in items}) == len(items), "two items differ only in punctuation/emoji"
    for item in items:
        assert item.label in LABELS and item.domain in DOMAINS
        assert set(item.tags) <= set(TAGS) and item.emotion in (*EMOTIONS, None)
        assert item.text == item.text.strip() and item.text
        if item.label == "neutral":
            assert item.emotion == "none"


def test_size_and_balance() -> None:
    items = everyday_set()
    counts = Counter(i.label for i in items)
    assert len(items) >= 650 and min(counts.values()) >= 180
    assert {i.domain for i in items} == set(DOMAINS)
    named = slices(items)
    assert len(named["finglish"]) >= 120 and len(named["sarcasm"]) >= 60
    fa, fin = Counter(i.label for i in named["persian_script"]), Counter(i.label for i in named["finglish"])
    for label in LABELS:  # the Finglish slice has the Persian-script part's label mix (within 3 points)
        assert abs(fa[label] / fa.total() - fin[label] / fin.total()) < 0.03


def test_pairs_are_one_persian_and_one_finglish_with_the_same_label() -> None:
    by_pair: dict[str, list] = {}
    for item in everyday_set():
        if item.pair_id:
            by_pair.setdefault(item.pair_id, []).append(item)
    assert len(by_pair) >= 60
    for pair in by_pair.values():
        assert sorted(i.finglish for i in pair) == [False, True]
        assert pair[0].label == pair[1].label and pair[0].domain == pair[1].domain


def test_sarcastic_thanks_are_negative() -> None:
    assert all(i.label == "negative" for i in everyday_set() if "sarcasm" in i.tags)


def test_no_everyday_text_in_project_training_files() -> None:
    corpus = "\n".join(_key(t) for t in _project_training_texts())
    found = [i.text for i in everyday_set() if _key(i.text) in corpus]
    assert not found


@pytest.mark.parametrize("folder", ["sentiment", "unlabelled"])
def test_no_everyday_text_in_shared_training_data(folder: str) -> None:
    """Raw lines of the labelled sets the model is fine-tuned on and of the pre-training text: no line
    contains an everyday text."""
    root = SHARED / folder
    if not root.is_dir():
        pytest.skip(f"{root} not present")
    lines = [
        _key(line)
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.suffix in (".csv", ".tsv", ".jsonl", ".txt")
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
    ]
    corpus = "\n".join(lines)
    found = [i.text for i in everyday_set() if _key(i.text) in corpus]
    assert not found


def test_figures_on_known_predictions() -> None:
    gold = {i.text: i.label for i in everyday_set()}
    perfect = everyday_figures(lambda texts: [gold[t] for t in texts])
    assert all(f.accuracy == 1.0 and f.macro_f1 == 1.0 for f in perfect.values())
    constant = everyday_figures(lambda texts: ["neutral"] * len(texts))
    assert constant["news"].accuracy == 1.0 and constant["sarcasm"].accuracy == 0.0
    assert constant["all"].per_class["neutral"][1] == 1.0  # recall
    assert abs(constant["all"].macro_f1 - 0.5 / 3) < 1e-9  # F1 0.5 for neutral, 0 for the others
    with pytest.raises(ValueError):
        figures(["neutral"], [])


def _shingles(text: str) -> set[str]:
    key = _key(text)
    return {key[i : i + 5] for i in range(max(1, len(key) - 4))}


def test_no_written_training_mention_paraphrases_an_everyday_item() -> None:
    """The hand-written training mentions were written without the set, from the same labelling rules; one
    that shares 30% of its letter 5-grams with an everyday item (a template with another brand or number)
    would make the everyday figure partly in-sample, so none may."""
    everyday = [(i.text, _shingles(i.text)) for i in everyday_set()]
    written = [
        json.loads(line)["text"]
        for path in sorted((ROOT / "nlp" / "sentiment" / "training").glob("written_mentions_*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(written) >= 600
    close = []
    for text in written:
        grams = _shingles(text)
        for other, theirs in everyday:
            if len(grams & theirs) / len(grams | theirs) >= 0.3:
                close.append((text, other))
    assert not close
