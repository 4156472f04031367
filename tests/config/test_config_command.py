"""``shenava config``: validates, prints the effective settings, never shows a secret."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from config.loader import load_settings
from shenava.cli import app

runner = CliRunner()


def test_check_reports_the_brands(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("brands:\n  - name: sabzino\n  - name: tazeh\n    competitor: true\n", encoding="utf-8")
    result = runner.invoke(app, ["config", "--check", "--config", str(path)])
    assert result.exit_code == 0, result.output
    assert "is valid: 2 brand(s): sabzino, tazeh" in result.output


def test_effective_config_is_valid_yaml_of_the_same_settings(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("brands:\n  - name: nobank\ntimezone: UTC\n", encoding="utf-8")
    result = runner.invoke(app, ["config", "--config", str(path)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.output)
    assert data["brands"] == [{"name": "nobank"}] and data["timezone"] == "UTC"
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(result.output, encoding="utf-8")
    assert load_settings(rendered) == load_settings(path)


def test_effective_config_masks_the_database_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("brands:\n  - name: nobank\n", encoding="utf-8")
    monkeypatch.setenv("SHENAVA_DATABASE_URL", "postgresql+psycopg://shenava:s3cret-pw@db/shenava")
    result = runner.invoke(app, ["config", "--config", str(path)])
    assert result.exit_code == 0, result.output
    assert "s3cret-pw" not in result.output
    assert yaml.safe_load(result.output)["storage"]["url"] == "postgresql+psycopg://shenava:***@db/shenava"


def test_invalid_file_exits_2_with_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("brands:\n  - name: a\nstorage:\n  url: mysql://x@y/z\n", encoding="utf-8")
    result = runner.invoke(app, ["config", "--check", "--config", str(path)])
    assert result.exit_code == 2
    assert "bad.yaml:4: storage.url: unsupported database 'mysql'" in result.output
