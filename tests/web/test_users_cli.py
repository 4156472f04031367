"""``shenava users`` and the first admin: accounts managed from the command line, audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import select
from typer.testing import CliRunner

from shenava.cli import app
from shenava.web import accounts
from shenava.web.first_start import create_first_admin
from storage.accounts import AuditEntry
from storage.db import create_engine_from_url, init_db, session_factory
from tests.web.conftest import web_settings

runner = CliRunner()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(f"brands:\n  - name: sabzino\nstorage:\n  url: sqlite:///{tmp_path / 'db.sqlite'}\n")
    return path


def _password_in(output: str) -> str:
    line = next(line for line in output.splitlines() if "shown once" in line)
    return line.rsplit(" ", 1)[1]


def test_add_list_disable_reset(config: Path, tmp_path: Path) -> None:
    added = runner.invoke(app, ["users", "add", "sara", "--role", "support", "--config", str(config)])
    assert added.exit_code == 0, added.output
    first = _password_in(added.output)
    engine = create_engine_from_url(f"sqlite:///{tmp_path / 'db.sqlite'}")
    sessions = session_factory(engine)
    with sessions() as session:
        assert accounts.verify(session, "sara", first) is not None
    listed = runner.invoke(app, ["users", "list", "--config", str(config)])
    assert "sara" in listed.output and "support" in listed.output and "never" in listed.output
    again = runner.invoke(app, ["users", "add", "sara", "--config", str(config)])
    assert again.exit_code == 2 and "already exists" in again.output
    assert runner.invoke(app, ["users", "disable", "sara", "--config", str(config)]).exit_code == 0
    with sessions() as session:
        assert accounts.verify(session, "sara", first) is None
    assert runner.invoke(app, ["users", "enable", "sara", "--config", str(config)]).exit_code == 0
    reset = runner.invoke(app, ["users", "reset", "sara", "--config", str(config)])
    second = _password_in(reset.output)
    with sessions() as session:
        assert accounts.verify(session, "sara", first) is None
        assert accounts.verify(session, "sara", second) is not None
        logged = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert logged == ["account.add", "account.disable", "account.enable", "account.reset"]
    given = runner.invoke(
        app,
        ["users", "add", "ali", "-r", "analyst", "--password-stdin", "--config", str(config)],
        input="a-long-enough-password\n",
    )
    assert given.exit_code == 0 and "shown once" not in given.output
    engine.dispose()


def test_first_start_creates_one_admin_and_prints_the_password_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    init_db(url)
    engine = create_engine_from_url(url)
    console = Console(record=True, width=200)
    password = create_first_admin(engine, web_settings(), console)
    text = console.export_text()
    assert password and password in text and "http://127.0.0.1:8080/login" in text
    assert "shenava users reset admin" in text
    assert create_first_admin(engine, web_settings(), console) is None  # never a second one
    with session_factory(engine)() as session:
        assert accounts.verify(session, "admin", password).role == "admin"
    engine.dispose()
