"""The everyday evaluation set: hand-written social mentions with three-class labels (see EVERYDAY.md).

Never used for training: ``tests/nlp/test_everyday_set.py`` checks that no text of it occurs in any
training file the project writes or reads.
"""

from __future__ import annotations

import json
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
