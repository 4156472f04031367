"""Versioned sentiment models: which one scores mentions, and switching in one command.

Layout (``var/models`` by default, ``SHENAVA_MODELS_DIR`` to move it)::

    var/models/registry.json          {"active": "ft-20261201-160501", "history": ["builtin", "ft-…"]}
    var/models/<version>/             the model's files (config, weights, tokenizer, model.onnx)
    var/models/<version>/manifest.json created_at, base, training data summary, metrics before/after

``builtin`` is the model bundled with the code (``nlp/sentiment/model``); it is active when there is no
registry file. ``history`` is the order of activations: ``rollback`` goes back to the one before.
The service loads the active model once at start: after ``shenava model activate|rollback`` restart it
(the command says so). Only ``nlp.sentiment.model: builtin`` (the default) follows the registry; a
directory or model id set there is used as configured and recorded under its own name.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from domain.analysis import SentimentModel
from nlp.settings import SentimentSettings

BUILTIN = "builtin"
#: key in the bundled model's config.json naming its release: mentions record ``builtin@<release>``, so the
#: mentions scored before a release replaced the bundled weights stay told apart from those scored after
RELEASE_KEY = "shenava_release"
DEFAULT_DIR = Path("var/models")
ENV_DIR = "SHENAVA_MODELS_DIR"
STATE_FILE = "registry.json"
MANIFEST = "manifest.json"
_VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class ModelRegistryError(RuntimeError):
    """A version that does not exist, nothing to roll back to, an unreadable registry."""


@dataclass(frozen=True)
class ModelVersion:
    version: str
    directory: Path
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def created_at(self) -> str:
        return str(self.manifest.get("created_at", ""))


def _write_json(path: Path, value: Any) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(value, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    os.replace(tmp, path)


class ModelRegistry:
    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root or os.environ.get(ENV_DIR) or DEFAULT_DIR)

    # ------------------------------------------------------------------ reading
    def _state(self) -> dict[str, Any]:
        path = self.root / STATE_FILE
        if not path.is_file():
            return {"active": BUILTIN, "history": [BUILTIN]}
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelRegistryError(f"model registry {str(path)!r} is unreadable: {exc}") from exc
        return {"active": str(state.get("active") or BUILTIN), "history": list(state.get("history") or [])}

    def active(self) -> str:
        return self._state()["active"]

    def directory(self, version: str) -> Path:
        if version == BUILTIN:
            from nlp.sentiment.loader import BUILTIN_DIR

            return BUILTIN_DIR
        if not _VERSION_RE.match(version):
            raise ModelRegistryError(f"{version!r} is not a model version name")
        return self.root / version

    def get(self, version: str) -> ModelVersion:
        directory = self.directory(version)
        if version == BUILTIN:
            return ModelVersion(BUILTIN, directory, {"version": BUILTIN, "base": None, "note": "bundled"})
        manifest_path = directory / MANIFEST
        if not manifest_path.is_file():
            raise ModelRegistryError(
                f"no model version {version!r} (no {MANIFEST} in {str(directory)!r}); see shenava model list"
            )
        return ModelVersion(version, directory, json.loads(manifest_path.read_text(encoding="utf-8")))

    def versions(self) -> list[ModelVersion]:
        """``builtin`` first, then every stored version, oldest first."""
        found = []
        if self.root.is_dir():
            for child in self.root.iterdir():
                if child.is_dir() and (child / MANIFEST).is_file() and _VERSION_RE.match(child.name):
                    found.append(self.get(child.name))
        return [self.get(BUILTIN), *sorted(found, key=lambda v: (v.created_at, v.version))]

    # ------------------------------------------------------------------ writing
    def new_version(self, now: datetime | None = None) -> str:
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
        version, n = f"ft-{stamp}", 1
        while (self.root / version).exists():
            n += 1
            version = f"ft-{stamp}-{n}"
        return version

    def add(self, version: str, manifest: dict[str, Any]) -> ModelVersion:
        """Record ``version`` (its files already in ``directory(version)``) with its manifest."""
        directory = self.directory(version)
        if version == BUILTIN or not (directory / "config.json").is_file():
            raise ModelRegistryError(f"{str(directory)!r} holds no model files to register as {version!r}")
        _write_json(directory / MANIFEST, {"version": version, **manifest})
        return self.get(version)

    def activate(self, version: str) -> str:
        """Make ``version`` the active model; returns the one it replaces."""
        self.get(version)  # must exist
        state = self._state()
        previous = state["active"]
        if version != previous:
            history = state["history"] or [previous]
            _write_json(self.root / STATE_FILE, {"active": version, "history": [*history, version]})
        return previous

    def rollback(self) -> tuple[str, str]:
        """Back to the model active before the current one: (from, to)."""
        state = self._state()
        history = state["history"]
        if len(history) < 2:
            raise ModelRegistryError("nothing to roll back to: only one model was ever active")
        current, target = history[-1], history[-2]
        self.get(target)
        _write_json(self.root / STATE_FILE, {"active": target, "history": history[:-1]})
        return current, target


def builtin_version(directory: Path | None = None) -> str:
    """The name mentions scored by the bundled model record: ``builtin@<release>``, or ``builtin`` for a
    bundled directory whose config names no release."""
    from nlp.sentiment.loader import BUILTIN_DIR

    try:
        config = json.loads(((directory or BUILTIN_DIR) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return BUILTIN
    release = config.get(RELEASE_KEY) if isinstance(config, dict) else None
    if isinstance(release, str) and _VERSION_RE.match(release) and len(release) <= 40:
        return f"{BUILTIN}@{release}"
    return BUILTIN


def load_active_model(
    settings: SentimentSettings | None = None, registry: ModelRegistry | None = None
) -> tuple[SentimentModel, str]:
    """The model that scores mentions and the version string every mention records.

    ``nlp.sentiment.model: builtin`` follows the registry's active version; anything else is loaded
    as configured and named by the loader (``SentimentModel.name``).
    """
    from nlp.sentiment import LexiconFallbackSentimentModel, load_sentiment_model

    settings = settings or SentimentSettings()
    if settings.model != BUILTIN:
        model = load_sentiment_model(settings)
        return model, model.name
    registry = registry or ModelRegistry()
    version = registry.active()
    if version == BUILTIN:
        model = load_sentiment_model(settings)
        return model, model.name if isinstance(model, LexiconFallbackSentimentModel) else builtin_version()
    directory = registry.get(version).directory
    return load_sentiment_model(settings.model_copy(update={"model": str(directory)})), version
