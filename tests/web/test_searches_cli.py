"""``shenava searches list|add|rm`` over a real SQLite store: the query checked by the grammar (its
mistake with a caret, exit code 2), the rule turned on by --per-hour, one line per search."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from shenava.cli import app

runner = CliRunner()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(f"brands:\n  - name: sabzino\nstorage:\n  url: sqlite:///{tmp_path / 'db.sqlite'}\n")
    return path


def test_add_list_rm(config: Path) -> None:
    c = ["--config", str(config)]
    assert "no saved searches yet" in runner.invoke(app, ["searches", "list", *c]).output
    bad = runner.invoke(app, ["searches", "add", "late", "(دیر OR", "--owner", "ali", *c])
    assert bad.exit_code == 2 and "query: query error at column" in bad.output and "^" in bad.output
    added = runner.invoke(app, ["searches", "add", "late", "brand:sabzino دیر", "--owner", "ali",
                                "--share", "everyone", "--per-hour", "5", *c])  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "saved search #1 late" in added.output
    listed = runner.invoke(app, ["searches", "list", *c]).output
    assert (
        "late" in listed and "everyone" in listed and ">= 5/hour" in listed and "brand:sabzino دیر" in listed
    )
    assert (
        runner.invoke(app, ["searches", "add", "late", "x", "--owner", "ali", *c]).exit_code == 2
    )  # name taken
    assert runner.invoke(app, ["searches", "rm", "7", *c]).exit_code == 1
    assert runner.invoke(app, ["searches", "rm", "1", *c]).exit_code == 0
    assert "no saved searches yet" in runner.invoke(app, ["searches", "list", *c]).output
