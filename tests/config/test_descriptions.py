"""Every setting is documented: walk the whole Settings model tree (as datasette's test_docs does)."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from config.settings import Settings

MIN_DESCRIPTION_CHARS = 10


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin is not None or isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            found.extend(_models_in(arg))
    return found


def _walk(
    model: type[BaseModel], path: str, seen: set[type[BaseModel]], out: list[tuple[str, str, str]]
) -> None:
    if model in seen:
        return
    seen.add(model)
    for name, field in model.model_fields.items():
        out.append((f"{path}.{name}" if path else name, model.__qualname__, field.description or ""))
        for child in _models_in(field.annotation):
            _walk(child, f"{path}.{name}" if path else name, seen, out)


def all_fields() -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    _walk(Settings, "", set(), out)
    return out


def test_the_walk_reaches_every_section() -> None:
    paths = {path for path, _, _ in all_fields()}
    assert {"brands.aliases_fa", "storage.url", "sources.replay.speed", "nlp.sentiment.model"} <= paths
    assert any(p.startswith("notifications.channels.") for p in paths), "union members are walked"


def test_every_setting_has_a_real_description() -> None:
    undocumented = [
        f"{path} ({owner}): {description!r}"
        for path, owner, description in all_fields()
        if len(description.strip()) < MIN_DESCRIPTION_CHARS
    ]
    assert not undocumented, "settings without a (real) description:\n" + "\n".join(undocumented)


def test_every_settings_model_forbids_unknown_keys() -> None:
    models: set[type[BaseModel]] = set()
    _walk(Settings, "", models, [])
    lenient = sorted(m.__qualname__ for m in models if m.model_config.get("extra") != "forbid")
    assert not lenient, f"settings models that accept unknown keys: {lenient}"
