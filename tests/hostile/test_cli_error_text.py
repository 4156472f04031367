"""A name, path or value someone typed is shown as typed in the CLI's error messages.

Rich reads ``[...]`` as markup: before, ``--by "[/b]x"`` stored fine and then turned the next
"already resolved (by [/b]x)" into an unexpected MarkupError, and an import of ``[/b]x.jsonl``
or ``--period "[/b]x"`` did the same. Errors go to stderr, so ``incidents show ID | jq`` never
reads a message as JSON.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from shenava.cli import app
from storage.db import create_engine_from_url, init_db
from tests.alerts.builders import stored_incident

ROOT = Path(__file__).resolve().parents[2]
TYPED = "[/b]x[bold red]y[/]"


def _config(path: Path, url: str, extra: dict | None = None) -> Path:  # type: ignore[type-arg]
    base = yaml.safe_load((ROOT / "config" / "shenava.yaml").read_text(encoding="utf-8"))
    base["storage"] = {"url": url}
    base.update(extra or {})
    path.write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SHENAVA_DATABASE_URL", raising=False)  # it would override the file's storage.url
    url = f"sqlite:///{tmp_path / 'shenava.db'}"
    init_db(url)
    return _config(tmp_path / "shenava.yaml", url)


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _shown_as_typed(result: Result, code: int, *expected: str) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "MarkupError" not in result.stderr and "unexpected" not in result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    assert result.stdout == ""


def test_a_resolver_name_with_brackets(config: Path) -> None:
    engine = create_engine_from_url(f"sqlite:///{config.parent / 'shenava.db'}")
    with Session(engine) as session, session.begin():
        incident_id = str(stored_incident(session, raised=datetime(2026, 3, 3, 10, tzinfo=UTC)).id)
    engine.dispose()
    first = _invoke("incidents", "resolve", incident_id, "--by", TYPED, "--config", str(config))
    assert first.exit_code == 0, first.output
    again = _invoke("incidents", "resolve", incident_id, "--by", "sara", "--config", str(config))
    _shown_as_typed(again, 1, f"already resolved (by {TYPED})")


def test_an_import_path_with_brackets(config: Path, tmp_path: Path) -> None:
    missing = tmp_path / f"{TYPED}.jsonl"
    _shown_as_typed(_invoke("import", str(missing), "--config", str(config)), 2, "no such file", str(missing))


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["digest", "--period", TYPED, "--config", "{config}"], 2),
        (["worker", "--queues", TYPED, "--config", "{config}"], 2),
        (["model", "activate", TYPED, "--models-dir", "{tmp}"], 1),
        (["mentions", "correct", "1", "--sentiment", TYPED, "--by", "sara", "--config", "{config}"], 1),
    ],
    ids=["digest period", "worker queue", "model version", "correction label"],
)
def test_a_typed_value_with_brackets(config: Path, tmp_path: Path, args: list[str], code: int) -> None:
    args = [a.replace("{config}", str(config)).replace("{tmp}", str(tmp_path / "models")) for a in args]
    _shown_as_typed(_invoke(*args), code, TYPED)


def test_a_config_key_with_brackets(tmp_path: Path) -> None:
    config = _config(tmp_path / "bad.yaml", f"sqlite:///{tmp_path / 'x.db'}", {TYPED: 1})
    _shown_as_typed(_invoke("config", "--config", str(config)), 2, "configuration error", TYPED)


def test_storage_error_goes_to_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHENAVA_DATABASE_URL", raising=False)
    config = _config(tmp_path / "shenava.yaml", f"sqlite:///{tmp_path / 'never-initialised.db'}")
    result = _invoke("incidents", "show", "1", "--config", str(config))
    _shown_as_typed(result, 1, "storage is not initialised", "shenava init")
