"""Mentions scored by the bundled model record its release, so a release that replaces the bundled weights
leaves the mentions scored before it told apart from those scored after."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.model_registry import BUILTIN, RELEASE_KEY, ModelRegistry, builtin_version, load_active_model
from nlp.sentiment.loader import BUILTIN_DIR
from nlp.settings import SentimentSettings


def test_the_bundled_model_records_its_release(tmp_path: Path) -> None:
    release = json.loads((BUILTIN_DIR / "config.json").read_text(encoding="utf-8"))[RELEASE_KEY]
    _, version = load_active_model(SentimentSettings(), ModelRegistry(tmp_path / "models"))
    assert version == builtin_version() == f"{BUILTIN}@{release}"


@pytest.mark.parametrize("release", [None, "", "a b", "<script>", "x" * 41, 7, ["run5"]])
def test_a_missing_or_odd_release_records_plain_builtin(tmp_path: Path, release: object) -> None:
    config = json.loads((BUILTIN_DIR / "config.json").read_text(encoding="utf-8"))
    if release is None:
        config.pop(RELEASE_KEY, None)
    else:
        config[RELEASE_KEY] = release
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    assert builtin_version(tmp_path) == BUILTIN


def test_an_unreadable_config_records_plain_builtin(tmp_path: Path) -> None:
    assert builtin_version(tmp_path) == BUILTIN  # no config.json
    for text in ("{not json", '["a list"]'):
        (tmp_path / "config.json").write_text(text, encoding="utf-8")
        assert builtin_version(tmp_path) == BUILTIN
