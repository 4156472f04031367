"""Load ``config/shenava.yaml`` once at start and validate it into ``Settings``.

Every problem becomes a ``ConfigError`` whose message names the file, the line, the dotted key
path (``brands[1].aliases_fa``) and what is wrong, e.g.::

    config/shenava.yaml:12: brands[1].aliases_fa: Input should be a valid list (got 'نوبانک')

Values are never echoed for keys that may hold secrets.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.engine import make_url

from config.settings import Settings

ENV_CONFIG = "SHENAVA_CONFIG"
ENV_DATABASE_URL = "SHENAVA_DATABASE_URL"
DEFAULT_CONFIG = Path("config/shenava.yaml")
BUNDLED_CONFIG = Path(__file__).resolve().parent / "shenava.yaml"
_SECRET_HINTS = ("token", "password", "secret", "api_key", "apikey", "webhook", "url")


class ConfigError(ValueError):
    """The configuration file is missing, unreadable, not YAML or not valid settings."""

    def __init__(self, path: Path, problems: Sequence[str]) -> None:
        self.path = path
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"invalid configuration {path}:\n{lines}" if len(problems) > 1 else self.problems[0])


def config_path(path: str | Path | None = None) -> Path:
    """Which file to read: ``path``, else ``$SHENAVA_CONFIG``, else ``config/shenava.yaml`` in the
    working directory, else the one shipped with the package."""
    if path is not None:
        return Path(path)
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG])
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else BUNDLED_CONFIG


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and validate the configuration; raises ``ConfigError``.

    ``$SHENAVA_DATABASE_URL``, when set, replaces ``storage.url`` (a production URL carries a
    password, which belongs in the environment, not in the file).
    """
    file = config_path(path)
    data, root = _read_yaml(file)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(file, [_describe(file, root, error) for error in exc.errors()]) from None
    problems = [
        f"{_where(file, root, loc)}: {dotted(loc)}: {msg}" for loc, msg in cross_section_problems(settings)
    ]
    if problems:
        raise ConfigError(file, problems)
    if make_url(settings.storage.url).password:
        raise ConfigError(
            file,
            [
                f"{_where(file, root, ('storage', 'url'))}: storage.url: holds a password; secrets stay "
                f"out of this file: put the whole URL in ${ENV_DATABASE_URL} instead"
            ],
        )
    database_url = os.environ.get(ENV_DATABASE_URL, "").strip()
    if database_url:
        settings = _with_database_url(file, settings, database_url)
    return settings


def cross_section_problems(settings: Settings) -> list[tuple[tuple[int | str, ...], str]]:
    """Names one section uses that another defines: brands in routes and digest, the digest's
    channel. Each section validates itself; only the root sees both sides."""
    brands = [b.name for b in settings.brands]
    known = ", ".join(brands)
    problems: list[tuple[tuple[int | str, ...], str]] = []
    for index, route in enumerate(getattr(settings.notifications, "routes", [])):
        for position, brand in enumerate(getattr(route, "brands", [])):
            if brand not in brands:
                loc = ("notifications", "routes", index, "brands", position)
                problems.append((loc, f"unknown brand {brand!r} (configured: {known})"))
    for position, brand in enumerate(getattr(settings.digest, "brands", [])):
        if brand not in brands:
            problems.append(
                (("digest", "brands", position), f"unknown brand {brand!r} (configured: {known})")
            )
    channel = getattr(settings.digest, "channel", None)
    channels = [c.name for c in getattr(settings.notifications, "channels", [])]
    if channel is not None and channel not in channels:
        problems.append(
            (
                ("digest", "channel"),
                f"no notification channel is named {channel!r} (channels: {', '.join(channels)})",
            )
        )
    return problems


def _where(file: Path, root: yaml.Node | None, loc: Sequence[int | str]) -> str:
    line, _ = _line(root, loc)
    return f"{file}:{line}" if line else str(file)


def _with_database_url(file: Path, settings: Settings, url: str) -> Settings:
    storage_data = settings.storage.model_dump()
    storage_data["url"] = url
    try:
        storage = type(settings.storage).model_validate(storage_data)
    except ValidationError as exc:
        reason = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        raise ConfigError(file, [f"${ENV_DATABASE_URL}: {reason}"]) from None
    return settings.model_copy(update={"storage": storage})


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key repeated in one mapping (PyYAML keeps the last silently)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} repeats the one on line {seen[key]}", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(file: Path) -> tuple[Any, yaml.Node | None]:
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            file, [f"{file}: configuration file not found (pass a path or set ${ENV_CONFIG})"]
        ) from None
    except IsADirectoryError:
        raise ConfigError(file, [f"{file}: is a directory, not a configuration file"]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(file, [f"{file}: not UTF-8 text (byte {exc.start})"]) from None
    except OSError as exc:
        raise ConfigError(file, [f"{file}: cannot be read ({exc.strerror})"]) from None
    try:
        root = yaml.compose(text, Loader=_UniqueKeyLoader)
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark else str(file)
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        syntax = isinstance(exc, yaml.scanner.ScannerError | yaml.parser.ParserError)
        kind = "YAML syntax error" if syntax else "YAML error"  # e.g. a repeated key, a python/ tag
        raise ConfigError(file, [f"{where}: {kind}: {problem}"]) from None
    except yaml.YAMLError as exc:
        raise ConfigError(file, [f"{file}: YAML error: {exc}"]) from None
    if data is None:
        raise ConfigError(file, [f"{file}: the file is empty; it needs at least a `brands:` list"])
    if not isinstance(data, dict):
        raise ConfigError(
            file,
            [
                f"{file}:1: the top level must be a mapping of sections (brands:, storage:, …), "
                f"not a {type(data).__name__}"
            ],
        )
    return data, root


def dotted(loc: Sequence[int | str]) -> str:
    """``('brands', 1, 'aliases_fa')`` → ``brands[1].aliases_fa``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _line(root: yaml.Node | None, loc: Sequence[int | str]) -> tuple[int | None, list[int | str]]:
    """The line of the deepest YAML node along ``loc`` and the loc parts the YAML really has."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    path: list[int | str] = []
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if getattr(key_node, "value", None) == str(part):
                    child = value_node
                    line = key_node.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            if isinstance(part, str) and _is_union_tag(node, part):
                continue  # a discriminated-union member name pydantic inserted
            path.append(part)
            node = None
            continue
        path.append(part)
        node = child
    return line, path


def _is_union_tag(node: yaml.Node | None, part: str) -> bool:
    if not isinstance(node, yaml.MappingNode):
        return False
    return any(
        getattr(k, "value", None) == "type" and getattr(v, "value", None) == part for k, v in node.value
    )


def _allowed_keys(loc: Sequence[int | str]) -> list[str]:
    """Field names of the model at pydantic's ``loc`` (the parent of an unknown key), best effort.

    Pydantic's loc names the chosen member of a tagged union (``channels.0.telegram``); that part
    selects among the candidates instead of naming a field.
    """
    candidates: list[type[BaseModel]] = [Settings]
    for part in loc:
        if isinstance(part, int):
            continue
        tagged = [m for m in candidates if part in _literal_tags(m)]
        if len(candidates) > 1 and tagged:
            candidates = tagged
            continue
        fields = candidates[0].model_fields if len(candidates) == 1 else {}
        if part not in fields:
            return []
        candidates = _models_of(fields[part].annotation)
    return sorted(candidates[0].model_fields) if len(candidates) == 1 else []


def _models_of(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(m for m in _models_of(arg) if m not in found)
    return found


def _literal_tags(model: type[BaseModel]) -> tuple[Any, ...]:
    field = model.model_fields.get("type")
    return getattr(field.annotation, "__args__", ()) if field is not None else ()


def _may_be_secret(loc: Sequence[int | str]) -> bool:
    return any(isinstance(p, str) and any(h in p.lower() for h in _SECRET_HINTS) for p in loc)


def _describe(file: Path, root: yaml.Node | None, error: ErrorDetails) -> str:
    _, loc = _line(root, error["loc"])
    where = _where(file, root, error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(error["loc"][:-1])
        hint = f"; allowed keys here: {', '.join(allowed)}" if allowed else ""
        return f"{where}: {dotted(loc)}: unknown key (a typo?){hint}"
    if kind == "missing":
        return f"{where}: {dotted(loc)}: required key is missing"
    message = error["msg"].removeprefix("Value error, ")
    value = error.get("input")
    if not _may_be_secret(loc) and isinstance(value, str | int | float | bool) and value is not None:
        shown = repr(value)
        message += f" (got {shown[:60] + '…' if len(shown) > 60 else shown})"
    return f"{where}: {dotted(loc)}: {message}"
