"""``shenava search`` speaks the boolean grammar and shows where a query goes wrong (both backends)."""

from __future__ import annotations

import json
from pathlib import Path

from shenava.cli import app
from tests.archive.test_cli_search import config, run, runner  # noqa: F401  (config is a fixture)


def test_boolean_query_in_the_cli(config: Path) -> None:  # noqa: F811
    out = run(config, "(دیر OR کلاهبرداری) brand:sabzino -lang:en", "--format", "jsonl")
    assert {json.loads(line)["external_id"] for line in out.splitlines()} == {"a1", "b1", "c1"}


def test_bad_query_shows_a_caret_under_the_mistake(config: Path) -> None:  # noqa: F811
    result = runner.invoke(app, ["search", "سبزینو (دیر OR", "--config", str(config)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert "query error at column 15" in result.output
    caret = lines.index("سبزینو (دیر OR") + 1
    assert lines[caret] == " " * 14 + "^"
