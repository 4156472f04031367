"""``shenava model``: list the sentiment model versions, activate or roll back in one command, retrain.

The running service loaded its model at start: restart it after a switch (each command says so).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shenava.cli_support import ConfigOption, console, err_console, load_settings_or_exit, print_error

model_app = typer.Typer(
    help="Sentiment model versions: list, activate, rollback, train on the team's corrections."
)
ModelsDir = Annotated[
    Path | None,
    typer.Option(
        "--models-dir", envvar="SHENAVA_MODELS_DIR", help="The model registry (default var/models)."
    ),
]
RESTART = "restart the service (shenava run) to score new mentions with it"


def register(app: typer.Typer) -> None:
    app.add_typer(model_app, name="model")


def _registry(models_dir: Path | None):  # type: ignore[no-untyped-def]
    from nlp.model_registry import ModelRegistry

    return ModelRegistry(models_dir)


def _fail(exc: Exception) -> typer.Exit:
    print_error(exc)
    return typer.Exit(1)


@model_app.command("list")
def list_versions(models_dir: ModelsDir = None) -> None:
    """Every version with its base, training data and figures; * marks the active one."""
    from nlp.model_registry import ModelRegistryError

    registry = _registry(models_dir)
    try:
        active, versions = registry.active(), registry.versions()
    except ModelRegistryError as exc:
        raise _fail(exc) from None
    for v in versions:
        m = v.manifest
        after = (m.get("metrics") or {}).get("after") or {}
        train = m.get("training") or {}
        figures = (
            f"dev mean {after['dev_mean']:.4f}, "
            f"everyday neutral recall {after['everyday_neutral_recall']:.4f}"
            if after
            else ""
        )
        gate = m.get("gate") or {}
        verdict = "" if not gate else ("passed" if gate.get("accepted") else "refused")
        line = f"{'*' if v.version == active else ' '} {v.version:26} {v.created_at or 'bundled':26}"
        if m.get("base"):
            line += f" base {m['base']}, {train.get('corrections', 0)} corrections"
            line += f", {train.get('steps', '?')} steps"
        console.print(" ".join(x for x in (line, figures, verdict) if x), markup=False, soft_wrap=True)


@model_app.command("activate")
def activate(version: Annotated[str, typer.Argument(help="A version from shenava model list.")],
             models_dir: ModelsDir = None) -> None:  # fmt: skip
    """Make VERSION the model that scores new mentions."""
    from nlp.model_registry import ModelRegistryError

    try:
        previous = _registry(models_dir).activate(version)
    except ModelRegistryError as exc:
        raise _fail(exc) from None
    console.print(f"active model: {version} (was {previous}); {RESTART}", markup=False, soft_wrap=True)


@model_app.command("rollback")
def rollback(models_dir: ModelsDir = None) -> None:
    """Go back to the model that was active before the current one."""
    from nlp.model_registry import ModelRegistryError

    try:
        current, target = _registry(models_dir).rollback()
    except ModelRegistryError as exc:
        raise _fail(exc) from None
    console.print(
        f"active model: {target} (rolled back from {current}); {RESTART}", markup=False, soft_wrap=True
    )


@model_app.command("train")
def train(
    max_steps: Annotated[int, typer.Option("--max-steps", min=1, help="Optimiser steps (batch 16).")] = 300,
    limit_train: Annotated[
        int, typer.Option("--limit-train", min=0, help="Shared training examples sampled (0: all).")
    ] = 4000,
    limit_eval: Annotated[
        int, typer.Option("--limit-eval", min=0, help="Texts per dev set and of the everyday set (0: all).")
    ] = 0,
    train_layers: Annotated[
        int,
        typer.Option(
            "--train-layers", min=0, help="Top encoder layers trained with the head (0: head only)."
        ),
    ] = 1,
    lr: Annotated[float, typer.Option("--lr", help="Learning rate.")] = 1e-4,
    corrections_weight: Annotated[
        float, typer.Option("--corrections-weight", help="Loss weight of a correction.")
    ] = 3.0,
    onnx: Annotated[str, typer.Option("--onnx", help="int8 (what ships), fp32 (quick) or none.")] = "int8",
    tolerance: Annotated[
        float, typer.Option("--tolerance", help="Mean dev macro-F1 may drop at most this much.")
    ] = 0.01,
    neutral_tolerance: Annotated[
        float, typer.Option("--neutral-tolerance", help="Everyday neutral recall may drop at most this much.")
    ] = 0.0,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Labelled data (default ../shared/data/sentiment).")
    ] = None,
    activate_new: Annotated[
        bool, typer.Option("--activate/--no-activate", help="Activate the new version if it passes.")
    ] = True,
    models_dir: ModelsDir = None,
    config: ConfigOption = None,
) -> None:
    """Fine-tune the active model on the shared data plus the team's corrections (CPU), compare before and
    after on the held-apart sets, and activate the new version only if it is not worse."""
    from nlp.model_registry import ModelRegistryError
    from nlp.sentiment import SentimentModelError, load_sentiment_model
    from shenava.model_training import TrainRequest, comparison_lines, train_version
    from storage.corrections import sentiment_corrections
    from storage.db import create_engine_from_url, session_factory

    if onnx not in ("int8", "fp32", "none"):
        raise _fail(ValueError("--onnx must be int8, fp32 or none"))
    settings = load_settings_or_exit(config)
    if settings.nlp.sentiment.model != "builtin":
        raise _fail(ValueError(f"nlp.sentiment.model is {settings.nlp.sentiment.model!r}: the registry is "
                               "used only with the default 'builtin'"))  # fmt: skip
    try:
        engine = create_engine_from_url(settings.storage.url)
        with session_factory(engine)() as session:
            corrections = sentiment_corrections(session)
        engine.dispose()
    except Exception as exc:  # no archive yet: train on the shared data alone
        err_console.print(f"no corrections read ({type(exc).__name__}); training on the shared data alone")
        corrections = []
    sentiment = settings.nlp.sentiment

    def load(directory: Path | None):  # type: ignore[no-untyped-def]
        update = {} if directory is None else {"model": str(directory)}
        return load_sentiment_model(sentiment.model_copy(update=update))

    request = TrainRequest(
        max_steps=max_steps, limit_train=limit_train or None, limit_eval=limit_eval or None,
        train_layers=train_layers, lr=lr, corrections_weight=corrections_weight, onnx=onnx,
        tolerance=tolerance, neutral_tolerance=neutral_tolerance, data_dir=data_dir, activate=activate_new,
    )  # fmt: skip
    try:
        outcome = train_version(
            _registry(models_dir), load, corrections, request,
            say=lambda line: console.print(line, markup=False, soft_wrap=True),
        )  # fmt: skip
    except (ModelRegistryError, SentimentModelError, FileNotFoundError, ValueError) as exc:
        raise _fail(exc) from None
    console.print("\n".join(comparison_lines(outcome)), markup=False, soft_wrap=True)
    if outcome.activated:
        console.print(f"activated {outcome.version} (not worse than {outcome.base}); {RESTART}", markup=False)
    elif outcome.accepted:
        console.print(f"{outcome.version} passed; not activated (--no-activate)", markup=False)
    else:
        console.print(
            f"kept {outcome.base}: {outcome.version} is worse (" + "; ".join(outcome.reasons) + ")",
            markup=False, soft_wrap=True,
        )  # fmt: skip
