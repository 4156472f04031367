"""Retrain and roll back end to end on CPU with a tiny budget: train (activated) → mentions record the new
version → train again (refused by the gate) → list → rollback → activate by hand; all through the CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from config.loader import load_settings
from nlp.analyzer import Analyzer
from nlp.model_registry import BUILTIN, ModelRegistry, builtin_version
from nlp.sentiment.training.data import DATA_DIR
from shenava.cli import app
from storage.corrections import correct_mention
from storage.db import session_factory
from storage.repository import MentionStore
from tests.storage.factories import raw_mention

# ~60 s of CPU; the limit allows for the shared two cores being busy
pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),
    pytest.mark.parametrize("backend", ["sqlite"], indirect=True),
]
ROWS = 120  # per source file: enough for a train/dev split of every set, quick to preprocess


def _mini_data(dst: Path) -> Path:
    """The first rows of every shared labelled file, in the same layout (the loaders read it as is)."""
    for src in sorted(DATA_DIR.rglob("*")):
        if not src.is_file() or src.suffix not in (".csv", ".tsv", ".jsonl", ".txt"):
            continue
        out = dst / src.relative_to(DATA_DIR)
        out.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix == ".csv":
            delimiter = "\t" if src.parent.name == "snappfood" else ","
            with src.open(encoding="utf-8", newline="") as fh:
                rows = [
                    row for _, row in zip(range(ROWS + 1), csv.reader(fh, delimiter=delimiter), strict=False)
                ]
            with out.open("w", encoding="utf-8", newline="") as w:
                csv.writer(w, delimiter=delimiter).writerows(rows)
        else:
            lines = src.read_text(encoding="utf-8").splitlines()[:ROWS]
            out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dst


def _analyzer_version(config: Path) -> str:
    settings = load_settings(config)
    analyzer = Analyzer.from_settings(settings)
    [result] = analyzer.analyze([raw_mention(99)])
    return result.sentiment_model or ""


def test_train_activate_refuse_rollback(
    db_url: str, engine: Engine, store: MentionStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = tmp_path / "models"
    monkeypatch.setenv("SHENAVA_MODELS_DIR", str(models))
    config = tmp_path / "shenava.yaml"
    config.write_text(f"brands:\n  - name: sabzino\nstorage:\n  url: '{db_url}'\n", encoding="utf-8")
    data = _mini_data(tmp_path / "data")
    ids = store.save_batch([(raw_mention(i), _analysis(i)) for i in range(4)], None).inserted_ids
    with session_factory(engine)() as session:
        for mid in ids:
            correct_mention(session, mid, sentiment="negative", by="maryam")
        session.commit()
    assert _analyzer_version(config) == builtin_version()

    runner = CliRunner()
    quick = ["--max-steps", "5", "--limit-train", "200", "--limit-eval", "10", "--onnx", "fp32",
             "--data-dir", str(data), "-c", str(config)]  # fmt: skip
    first = runner.invoke(app, ["model", "train", *quick, "--tolerance", "1", "--neutral-tolerance", "1"])
    assert first.exit_code == 0, first.output
    registry = ModelRegistry(models)
    new = registry.active()
    assert new.startswith("ft-") and f"activated {new}" in first.output
    assert "dev_mean" in first.output and "everyday_neutral_recall" in first.output
    manifest = json.loads((models / new / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["base"] == BUILTIN and manifest["training"]["corrections"] == 4
    assert manifest["training"]["steps"] == 5 and manifest["gate"]["accepted"] is True
    # the bundled head and temperature were fitted on the base's classifier: a retrained one goes without
    assert (
        not (models / new / "sentiment_head.json").exists()
        and not (models / new / "calibration.json").exists()
    )
    assert set(manifest["metrics"]["before"]) == set(manifest["metrics"]["after"]) >= {"dev_mean", "dev"}

    # mentions scored after activation record the new version, in the analysis and in the archive
    assert _analyzer_version(config) == new
    settings = load_settings(config)
    analyzer = Analyzer.from_settings(settings)
    raw = raw_mention(50)
    saved = store.save_batch([(raw, analyzer.analyze([raw])[0])], None)
    assert store.mentions_by_ids(saved.inserted_ids)[0].sentiment_model == new

    # a gate that demands a gain refuses the next version; the active one stays
    second = runner.invoke(app, ["model", "train", *quick, "--tolerance", "-1"])
    assert second.exit_code == 0, second.output
    assert f"kept {new}" in second.output and registry.active() == new
    listed = runner.invoke(app, ["model", "list"])
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert lines[0].startswith("  builtin") and any(line.startswith(f"* {new}") for line in lines)
    assert sum("refused" in line for line in lines) == 1 and sum("passed" in line for line in lines) == 1

    back = runner.invoke(app, ["model", "rollback"])
    assert back.exit_code == 0 and f"active model: {BUILTIN} (rolled back from {new})" in back.output
    assert _analyzer_version(config) == builtin_version()
    assert runner.invoke(app, ["model", "rollback"]).exit_code == 1  # nothing before builtin
    assert runner.invoke(app, ["model", "activate", "no-such-version"]).exit_code == 1
    assert runner.invoke(app, ["model", "activate", new]).exit_code == 0 and registry.active() == new


def _analysis(n: int):  # type: ignore[no-untyped-def]
    from tests.storage.factories import analysis

    return analysis(raw_mention(n).text, sentiment_model=BUILTIN)
