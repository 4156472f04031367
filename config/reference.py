"""Render settings as commented YAML: every key preceded by its description.

``config/shenava.yaml`` is produced by this module (``python -m config.reference --write``), so
the shipped file documents every key of the current models; regenerate it after adding a
setting. ``python -m config.reference [CONFIG]`` prints the effective configuration of a file,
defaults included.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from pydantic import BaseModel

from config.settings import Settings

WIDTH = 100
INDENT = "  "

#: The shipped configuration: the sample's three brands, the replay source, a console and a
#: file channel (they need no secrets) and everything else at its default.
SHIPPED: dict[str, Any] = {
    "brands": [
        {
            "name": "sabzino",
            "aliases_fa": ["سبزینو"],
            "aliases_latin": ["Sabzino"],
            "aliases_finglish": ["sabzino", "sabzeeno"],
            "handles": ["sabzino", "sabzino_support"],
            "hashtags": ["سبزینو"],
            "competitors": ["tazeh"],
        },
        {
            "name": "nobank",
            "aliases_fa": ["نوبانک"],
            "aliases_latin": ["Nobank"],
            "aliases_finglish": ["nobank", "no bank"],
            "handles": ["nobank_ir"],
            "hashtags": ["نوبانک"],
            "competitors": [],  # a bank: the sample's grocer is no rival of it
        },
        {
            "name": "tazeh",
            "aliases_fa": ["تازه‌مارکت", "تازه مارکت"],
            "aliases_latin": ["Tazeh Market"],
            "aliases_finglish": ["tazeh market", "taze market"],
            "competitor": True,
        },
    ],
    "timezone": "Asia/Tehran",
    "storage": {"url": "sqlite:///var/shenava.db"},
    "sources": {"replay": {"enabled": "auto", "file": "data/sample/mentions.jsonl"}},
    "digest": {"time": "09:00"},
    "notifications": {
        "channels": [
            {"name": "console", "type": "console"},
            {"name": "alerts-file", "type": "file", "path": "var/alerts.jsonl"},
        ],
    },
}

HEADER = """\
# Shenava (شنوا) configuration. Validated once at start: an unknown key, a wrong type or a bad
# value stops Shenava with a message naming this file, the line and the key.
#
# Secrets are never written here. Keys ending in `_env` name the ENVIRONMENT VARIABLE that holds
# the secret (token, password, webhook URL); set it in the service's environment.
# SHENAVA_CONFIG=path picks another file; SHENAVA_DATABASE_URL overrides storage.url.
#
# Every key is documented below. A commented-out `# key: value` line shows a default this file
# does not set; uncomment and edit it to change it. Generated from the settings models by
# `python -m config.reference --write` (edit SHIPPED there); regenerate after adding a setting."""

#: Commented-out examples shown under list keys that are empty in the shipped file.
EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "notifications.channels": [
        {
            "name": "support-telegram",
            "type": "telegram",
            "chat_id": "-1001234567890",
            "bot_token_env": "SHENAVA_TELEGRAM_BOT_TOKEN",
        },
        {"name": "team-slack", "type": "slack", "webhook_url_env": "SHENAVA_SLACK_WEBHOOK_URL"},
        {
            "name": "marketing-mail",
            "type": "email",
            "host": "smtp.example.com",
            "port": 587,
            "username_env": "SHENAVA_SMTP_USER",
            "password_env": "SHENAVA_SMTP_PASSWORD",
            "sender": "Shenava <alerts@example.com>",
            "recipients": ["marketing@example.com"],
        },
        {
            "name": "crm-webhook",
            "type": "webhook",
            "url": "https://crm.example.com/hooks/shenava",
            "secret_env": "SHENAVA_WEBHOOK_SECRET",
        },
    ],
    "notifications.routes": [
        {"channels": ["support-telegram"], "brands": ["sabzino"], "min_severity": "medium"},
        {"channels": ["marketing-mail"], "events": ["incident_opened", "incident_resolved"]},
    ],
    "sources.web.feeds": [{"name": "example-news", "url": "https://news.example.com/rss"}],
    "sources.web.telegram.channels": ["example_channel"],
    "sources.instagram.profiles": ["sabzino"],
}


def _scalar(value: Any) -> str:
    dumped = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and _plain_ok(value):
        return value
    return dumped


def _plain_ok(value: str) -> bool:
    if not value or value.strip() != value:
        return False
    if value.lower() in {"true", "false", "yes", "no", "on", "off", "null", "~", "auto"}:
        return value.lower() == "auto"
    if value[0] in "-?:,[]{}#&*!|>'\"%@`0123456789+." or ": " in value or " #" in value:
        return False
    return all(c not in value for c in "\n\t")


def _comment(text: str, indent: str) -> list[str]:
    return [f"{indent}# {line}" for line in textwrap.wrap(text, WIDTH - len(indent) - 2)]


def _inline(value: Any) -> str | None:
    """A one-line YAML rendering of a list/dict of scalars, None when nesting forbids it."""
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, dict) and not value:
        return "{}"
    return None


def render_model(
    model: BaseModel, indent: str = "", path: str = "", comments: bool = True, active: bool = True
) -> list[str]:
    """Lines of ``model``; keys it does not set are shown commented out, with their defaults, so
    a later change of a default takes effect instead of being pinned by this file."""
    lines: list[str] = []
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        dotted = f"{path}.{name}" if path else name
        if not indent and lines:
            lines.append("")  # a blank line between top-level sections
        if field.description and comments:
            lines.extend(_comment(field.description, indent))
        key_active = active and name in model.model_fields_set
        lines.extend(_render_value(name, value, indent, dotted, comments, key_active))
    return lines


def _render_value(name: str, value: Any, indent: str, dotted: str, comments: bool, active: bool) -> list[str]:
    mark = "" if active else "# "
    if isinstance(value, BaseModel):
        return [f"{indent}{mark}{name}:", *render_model(value, indent + INDENT, dotted, comments, active)]
    if isinstance(value, list) and any(isinstance(v, BaseModel) for v in value):
        lines = [f"{indent}{mark}{name}:"]
        seen_types: set[type] = set()
        for item in value:
            # Describe each kind of item once; repeating the same comments buries the values.
            describe = comments and type(item) not in seen_types
            seen_types.add(type(item))
            body = render_model(item, indent + INDENT + INDENT, dotted, describe, active)
            lines.extend(_as_list_item(body, indent + INDENT))
        return lines + _examples(name, dotted, indent, comments)
    if isinstance(value, dict) and value:
        lines = [f"{indent}{mark}{name}:"]
        for key, item in value.items():
            inline = _inline(item)
            rendered = inline if inline is not None else _scalar(item)
            lines.append(f"{indent}{INDENT}{mark}{_scalar(str(key))}: {rendered}")
        return lines
    inline = _inline(value)
    lines = [f"{indent}{mark}{name}: {inline if inline is not None else _scalar(_jsonable(value))}"]
    return lines + _examples(name, dotted, indent, comments)


def _examples(name: str, dotted: str, indent: str, comments: bool) -> list[str]:
    if not comments or dotted not in EXAMPLES:
        return []
    return [f"{indent}# For example:", *_commented_examples(name, EXAMPLES[dotted], indent)]


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)[:5] if hasattr(value, "hour") else str(value)


def _as_list_item(body: list[str], item_indent: str) -> list[str]:
    """Turn a mapping's lines into a ``- `` list item (the first set key carries the dash)."""
    out: list[str] = []
    dashed = False
    for line in body:
        stripped = line[len(item_indent) + len(INDENT) :]
        if not dashed and not stripped.startswith("#") and stripped:
            out.append(f"{item_indent}- {stripped}")
            dashed = True
        else:
            out.append(f"{item_indent}  {stripped}")
    return out


def _commented_examples(name: str, examples: list[Any], indent: str) -> list[str]:
    lines = [f"{indent}# {name}:"]
    for example in examples:
        if isinstance(example, dict):
            first = True
            for key, item in example.items():
                inline = _inline(item)
                rendered = inline if inline is not None else _scalar(item)
                prefix = "- " if first else "  "
                lines.append(f"{indent}#   {prefix}{key}: {rendered}")
                first = False
        else:
            lines.append(f"{indent}#   - {_scalar(example)}")
    return lines


def render_settings(settings: Settings, header: str = HEADER) -> str:
    return header + "\n\n" + "\n".join(render_model(settings)) + "\n"


def shipped_yaml() -> str:
    return render_settings(Settings.model_validate(SHIPPED))


def main(argv: list[str] | None = None) -> int:
    from config.loader import BUNDLED_CONFIG, ConfigError, load_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", nargs="?", help="a configuration file to render with its defaults")
    parser.add_argument("--write", action="store_true", help=f"regenerate {BUNDLED_CONFIG}")
    args = parser.parse_args(argv)
    if args.write:
        BUNDLED_CONFIG.write_text(shipped_yaml(), encoding="utf-8")
        print(f"wrote {BUNDLED_CONFIG}")
        return 0
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    sys.stdout.write(render_settings(settings, header="# Effective configuration (defaults filled in)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
