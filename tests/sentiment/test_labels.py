from __future__ import annotations

import pytest

from nlp.sentiment.labels import LabelMappingError, resolve_label_map


@pytest.mark.parametrize(
    ("id2label", "expected"),
    [
        ({0: "negative", 1: "neutral", 2: "positive"}, ["negative", "neutral", "positive"]),
        ({0: "HAPPY", 1: "SAD"}, ["positive", "negative"]),  # ParsBERT SnappFood, binary
        (
            {0: "furious", 1: "angry", 2: "neutral", 3: "happy", 4: "delighted"},
            ["negative", "negative", "neutral", "positive", "positive"],
        ),
        ({0: "no_idea", 1: "recommended", 2: "not_recommended"}, ["neutral", "positive", "negative"]),
    ],
)
def test_known_class_names_map_by_name(id2label: dict[int, str], expected: list[str]) -> None:
    assert resolve_label_map(id2label, {}) == expected


def test_configured_mapping_wins() -> None:
    got = resolve_label_map({0: "LABEL_0", 1: "LABEL_1"}, {"LABEL_0": "positive", "LABEL_1": "negative"})
    assert got == ["positive", "negative"]


@pytest.mark.parametrize(
    ("id2label", "configured", "fragment"),
    [
        ({0: "LABEL_0", 1: "LABEL_1"}, {}, "set sentiment.labels"),
        ({0: "a", 1: "b"}, {"a": "negative"}, "no entry"),
        ({0: "a", 1: "b"}, {"a": "negative", "b": "great"}, "allowed"),
        ({0: "negative", 1: "neutral"}, {}, "needs a negative and a positive"),
        ({}, {}, "no id2label"),
    ],
)
def test_unmappable_labels_raise_clear_errors(id2label, configured, fragment: str) -> None:
    with pytest.raises(LabelMappingError, match=fragment):
        resolve_label_map(id2label, configured)
