"""Reply templates: loaded from YAML (the bundled Persian and English sets, or a file of your own),
validated once."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, TypeAdapter, field_validator

from domain.settings_base import StrictModel

#: the bundled sets: Persian answers every mention, English one written in English
BUNDLED = (
    Path(__file__).resolve().parent / "templates_fa.yaml",
    Path(__file__).resolve().parent / "templates_en.yaml",
)
VARIABLES = frozenset({"handle", "order", "agent", "brand"})
Tone = Literal["formal", "friendly"]
Language = Literal["fa", "en"]


class ReplyTemplate(StrictModel):
    id: str = Field(min_length=1, max_length=64)
    situation: str = Field(min_length=1, max_length=64)
    #: the language of the mentions it answers: ``en`` for one written in English, ``fa`` for the rest
    language: Language = "fa"
    tone: Tone = "formal"
    touchpoints: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    sentiment: Literal["negative", "positive", "any"] = "any"
    brands: list[str] = Field(default_factory=list)
    text: str = Field(min_length=1, max_length=1000)

    @field_validator("text")
    @classmethod
    def _known_variables(cls, text: str) -> str:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        unknown = names - VARIABLES
        if unknown:
            raise ValueError(f"unknown variables {sorted(unknown)}; use {sorted(VARIABLES)}")
        return text

    @property
    def variables(self) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(self.text) if name}


_LIST = TypeAdapter(list[ReplyTemplate])


class TemplateError(ValueError):
    """The template file is unreadable or invalid (the message says where)."""


def load_templates(path: str | Path | None = None) -> list[ReplyTemplate]:
    """The templates of ``path`` (YAML list), or the bundled Persian and English sets."""
    templates = [t for source in ((Path(path),) if path else BUNDLED) for t in _read(source)]
    ids = [t.id for t in templates]
    if len(set(ids)) != len(ids):
        raise TemplateError(f"reply templates {path or BUNDLED[0].parent}: template ids must be unique")
    return templates


def _read(source: Path) -> list[ReplyTemplate]:
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        return _LIST.validate_python(data or [])
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise TemplateError(f"reply templates {source}: {exc}") from None


@lru_cache(maxsize=4)
def cached_templates(path: str | None = None) -> tuple[ReplyTemplate, ...]:
    return tuple(load_templates(path))
