"""Data-subject requests and retention through the CLI and the admin API, the refused aggregate
from the CLI, and backup/restore commands (both backends where the command applies)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from shenava.cli import app
from tests.hostile.conftest import headers

runner = CliRunner()


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Path:
    path = tmp_path / "shenava.yaml"
    path.write_text(
        "brands:\n  - name: sabzino\n    aliases_fa: [سبزینو]\n  - name: tazeh\n    competitor: true\n"
        f"storage:\n  url: '{db_url}'\n  retention:\n    rules:\n      - source: web\n        days: 1\n",
        encoding="utf-8",
    )
    return path


def cli(config: Path, *args: str, code: int = 0, stdin: str | None = None) -> str:
    result = runner.invoke(app, [*args, "--config", str(config)], input=stdin)
    assert result.exit_code == code, result.output
    return result.output


def test_the_cli_refuses_an_unbounded_aggregate_with_a_message(client: TestClient, config: Path) -> None:
    wide = ("--since", "1900-01-01", "--until", "2100-01-01")
    out = cli(config, "search", "--aggregate", "volume-hour", *wide, code=2)
    assert "2,000" in out and "Traceback" not in out
    out = cli(config, "search", "--until", "9999-12-31", code=2)
    assert "out of the range" in out and "Traceback" not in out


def test_export_then_delete_an_author_from_the_cli(client: TestClient, config: Path, tmp_path: Path) -> None:
    handle = client.get("/api/v1/mentions", params={"limit": 1}, headers=headers("analyst")).json()["items"][
        0
    ]["author_handle"]
    target = tmp_path / "subject.jsonl"
    cli(config, "privacy", "export-author", f"@{handle}", "--out", str(target))
    exported = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert exported and {row["author_handle"].lower() for row in exported} == {handle.lower()}
    out = cli(config, "privacy", "delete-author", handle, "--yes")
    assert f"deleted {len(exported)} mention(s)" in out
    left = client.get("/api/v1/mentions", params={"author": handle}, headers=headers("analyst")).json()
    assert left["total"] == 0
    assert "nothing stored" in cli(config, "privacy", "delete-author", handle, "--yes")
    assert "give the author" in cli(config, "privacy", "delete-author", "@", "--yes", code=2)


def test_retention_dry_run_then_apply(client: TestClient, config: Path) -> None:
    web = client.get("/api/v1/mentions", params={"source": "web"}, headers=headers("analyst")).json()["total"]
    assert web > 0
    out = cli(config, "privacy", "retention")
    assert f"would delete {web} mention(s)" in out
    assert client.get("/api/v1/mentions", params={"source": "web"}, headers=headers("analyst")).json()[
        "total"
    ]
    cli(config, "privacy", "retention", "--apply")
    assert not client.get("/api/v1/mentions", params={"source": "web"}, headers=headers("analyst")).json()[
        "total"
    ]


def test_admin_api_for_data_subject_requests(client: TestClient) -> None:
    item = client.get("/api/v1/mentions", params={"limit": 1}, headers=headers("analyst")).json()["items"][0]
    body = {"handle": item["author_handle"], "source": item["source"]}
    for role in ("analyst", "support"):
        assert (
            client.post("/api/v1/privacy/authors/delete", json=body, headers=headers(role)).status_code == 403
        )
    assert client.post("/api/v1/privacy/authors/export", json=body).status_code == 401
    exported = client.post("/api/v1/privacy/authors/export", json=body, headers=headers("admin")).json()
    assert item["id"] in [m["id"] for m in exported["mentions"]]
    deleted = client.post("/api/v1/privacy/authors/delete", json=body, headers=headers("admin"))
    assert deleted.status_code == 200 and deleted.json()["mentions"] == len(exported["mentions"])
    assert deleted.json()["rows"]["mentions"] == len(exported["mentions"])
    again = client.post("/api/v1/privacy/authors/export", json=body, headers=headers("admin")).json()
    assert again["mentions"] == []
    bad = client.post("/api/v1/privacy/authors/delete", json={"handle": "@"}, headers=headers("admin"))
    assert bad.status_code == 422


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_backup_and_restore_commands(client: TestClient, config: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert "backed up" in cli(config, "backup", str(copy))
    before = client.get("/api/v1/mentions", headers=headers("analyst")).json()["total"]
    cli(config, "privacy", "retention", "--apply")
    assert client.get("/api/v1/mentions", headers=headers("analyst")).json()["total"] < before
    client.app.state.engine.dispose()
    assert f"restored {before} mention(s)" in cli(config, "restore", str(copy), "--yes")
    assert client.get("/api/v1/mentions", headers=headers("analyst")).json()["total"] == before
    assert "not a Shenava archive" in cli(config, "restore", str(config), "--yes", code=2)


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_backup_points_postgresql_to_pg_dump(config: Path, tmp_path: Path) -> None:
    assert "pg_dump" in cli(config, "backup", str(tmp_path / "x.db"), code=2)


def test_the_cli_says_when_a_query_runs_past_its_time_limit(
    client: TestClient, config: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    import storage.limits

    monkeypatch.setattr(storage.limits, "CLI_TIME_LIMIT_S", 0.0)
    monkeypatch.setattr(storage.limits, "_PROGRESS_STEPS", 1)  # SQLite: check the deadline at every step
    result = runner.invoke(app, ["search", "--aggregate", "sentiment", "--config", str(config)])
    # PostgreSQL's statement_timeout takes whole milliseconds: 1 ms may let a tiny query finish
    assert result.exit_code in ((0, 2) if backend == "postgresql" else (2,)), result.output
    if result.exit_code == 2:
        assert "limit" in result.output and "Traceback" not in result.output
