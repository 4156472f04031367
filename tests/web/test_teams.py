"""Teams (both backends): an alert assigned to a team from the page, through the API and the CLI,
audited; the inbox's "team" filter and "mine" with one's teams; the team on rows and the detail page;
the admin's teams page; ``shenava teams add|list|members|remove``."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from alerts import workflow
from config.settings import Settings
from domain.brands import BrandSettings
from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from shenava.cli import app as cli
from storage import team_store
from storage.accounts import AuditEntry
from storage.db import create_engine_from_url, session_factory
from storage.models import Incident, UrgentAlert
from storage.repository import MentionStore
from tests.web.conftest import log_in
from tests.web.inbox_data import fill_inbox

TEAM, TEAM_FA = "delivery", "تیم ارسال"


@pytest.fixture
def ids(web: TestClient, engine: Engine, store: MentionStore) -> dict[str, int]:  # web: its people
    found = fill_inbox(engine, store)
    with session_factory(engine)() as session:  # sara is in the delivery team, root in none
        team_store.add_team(session, TEAM, display_name=TEAM_FA, by="test")
        team_store.add_member(session, TEAM, "sara", by="test")
        session.commit()
    return found


def _rows(html: str) -> list[str]:
    return re.findall(r'data-key="([a-z]+:\d+)"', html)


def test_assign_to_a_team_from_the_page_filters_and_mine(
    web: TestClient, ids: dict[str, int], engine: Engine
) -> None:
    csrf = log_in(web, "root")
    url = f"/inbox/urgent/{ids['question']}/assign_team"
    response = web.post(url, data={"csrf_token": csrf, "team": TEAM}, follow_redirects=False)
    assert response.status_code == 303, response.text[:300]
    with Session(engine) as session:
        alert = session.get(UrgentAlert, ids["question"])
        assert alert.assigned_team == TEAM and alert.assigned_to is None and alert.status == "acknowledged"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "assign_team")).one()
    assert entry.actor == "root" and entry.target == f"urgent:{ids['question']}"
    assert entry.old_value["assigned_team"] is None and entry.new_value["assigned_team"] == TEAM

    assert _rows(web.get(f"/inbox/queue?team={TEAM}").text) == [f"urgent:{ids['question']}"]
    assert f"urgent:{ids['question']}" not in _rows(web.get("/inbox/queue?team=-").text)
    assert _rows(web.get("/inbox/queue?mine=1").text) == []  # root is in no team
    row = web.get("/inbox").text.split(f'data-key="urgent:{ids["question"]}"')[1].split("</tr>")[0]
    assert f'data-team="{TEAM}"' in row and TEAM_FA in row
    detail = web.get(f"/inbox/urgent/{ids['question']}").text
    assert 'id="item-team" data-team="delivery"' in detail and "واگذار کرد به تیم" in detail
    assert detail.count("واگذار کرد به تیم") == 1  # the audit row and the workflow's step are one line

    web.cookies.clear()
    csrf = log_in(web, "sara")  # sara's team has it: "mine" shows it though it is not hers by name
    assert _rows(web.get("/inbox/queue?mine=1").text) == [f"urgent:{ids['question']}"]
    web.post(f"/inbox/incident/{ids['incident']}/assign", data={"csrf_token": csrf})
    assert set(_rows(web.get("/inbox/queue?mine=1").text)) == {
        f"urgent:{ids['question']}",
        f"incident:{ids['incident']}",
    }


def test_a_team_that_does_not_exist_is_refused_and_none_takes_it_off(
    web: TestClient, ids: dict[str, int], engine: Engine
) -> None:
    csrf = log_in(web, "sara")
    url = f"/inbox/incident/{ids['incident']}/assign_team"
    refused = web.post(url, data={"csrf_token": csrf, "team": "nosuch"})
    assert refused.status_code == 409 and "nosuch" in refused.text
    assert web.post(url, data={"csrf_token": csrf, "team": TEAM}).status_code == 200
    assert web.post(url, data={"csrf_token": csrf, "team": "-"}).status_code == 200
    with Session(engine) as session:
        incident = session.get(Incident, ids["incident"])
        assert incident.assigned_team is None
        steps = [s for s in incident.details["history"] if s["action"] == "assign_team"]
    assert [s["team"] for s in steps] == [TEAM, "-"]


def test_api_assigns_a_team_and_says_so(engine: Engine, ids: dict[str, int]) -> None:
    keys = ApiKeyRing.parse("desk:support:desk-key-1234567890")
    app = create_app(Settings(brands=[BrandSettings(name="sabzino")]), engine, keys)
    headers = {"X-API-Key": "desk-key-1234567890"}
    with TestClient(app) as api:
        url = f"/api/v1/incidents/{ids['incident']}/assign"
        assert api.post(url, json={}, headers=headers).status_code == 422
        assert api.post(url, json={"team": "nosuch"}, headers=headers).status_code == 409
        done = api.post(url, json={"team": TEAM, "to": "sara"}, headers=headers)
    assert done.status_code == 200, done.text
    assert done.json()["assigned_team"] == TEAM and done.json()["assigned_to"] == "sara"
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.actor == "api:desk")).one()
    assert entry.new_value["assigned_team"] == TEAM and entry.new_value["assigned_to"] == "sara"


def test_admin_manages_teams_on_the_page_others_only_read(web: TestClient, engine: Engine) -> None:
    csrf = log_in(web, "root")
    page = web.get("/teams")
    assert page.status_code == 200 and 'id="add-team"' in page.text
    added = web.post("/teams", data={"csrf_token": csrf, "name": "payments", "display_name": "تیم پرداخت"})
    assert added.status_code == 200 and "تیم پرداخت" in added.text
    assert web.post("/teams", data={"csrf_token": csrf, "name": "payments"}).status_code == 409
    assert web.post("/teams", data={"csrf_token": csrf, "name": "bad name!"}).status_code == 409
    web.post("/teams/payments/members", data={"csrf_token": csrf, "account": "ali"})
    with Session(engine) as session:
        assert [a.name for a in team_store.members(session, "payments")] == ["ali"]
        assert team_store.teams_of(session, "ali") == ["payments"]
    web.post("/teams/payments/members/ali/remove", data={"csrf_token": csrf})
    with Session(engine) as session:
        assert team_store.members(session, "payments") == []
    web.cookies.clear()
    csrf = log_in(web, "sara")
    assert 'id="add-team"' not in web.get("/teams").text
    assert web.post("/teams", data={"csrf_token": csrf, "name": "mine"}).status_code == 403
    assert web.post("/teams/payments/remove", data={"csrf_token": csrf}).status_code == 403
    with Session(engine) as session:
        logged = [
            e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.target == "team:payments"))
        ]
    assert logged == ["team.add", "team.member_add", "team.member_remove"]


def test_removing_a_team_unassigns_its_alerts(engine: Engine, ids: dict[str, int]) -> None:
    with session_factory(engine)() as session:
        workflow.assign(session, "urgent", ids["hostile"], team=TEAM, by="sara")
        session.commit()
        assert team_store.remove_team(session, TEAM, by="test") == 1
        session.commit()
        assert session.get(UrgentAlert, ids["hostile"]).assigned_team is None
        assert team_store.list_teams(session) == []


def test_teams_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "cli.sqlite"
    config = tmp_path / "c.yaml"
    config.write_text(f"brands:\n  - name: sabzino\nstorage:\n  url: sqlite:///{db}\n")
    assert runner.invoke(cli, ["users", "add", "sara", "--config", str(config)]).exit_code == 0
    added = runner.invoke(
        cli, ["teams", "add", TEAM, "--display-name", TEAM_FA, "-m", "sara", "--config", str(config)]
    )
    assert added.exit_code == 0, added.output
    listed = runner.invoke(cli, ["teams", "list", "--config", str(config)])
    assert TEAM_FA in listed.output and "members: sara" in listed.output
    again = runner.invoke(cli, ["teams", "add", TEAM, "--config", str(config)])
    assert again.exit_code == 2 and "already exists" in again.output and "Traceback" not in again.output
    nobody = runner.invoke(cli, ["teams", "members", TEAM, "--add", "nobody", "--config", str(config)])
    assert nobody.exit_code == 2 and "no account named 'nobody'" in nobody.output
    removed = runner.invoke(cli, ["teams", "members", TEAM, "--remove", "sara", "--config", str(config)])
    assert removed.exit_code == 0 and "-sara" in removed.output and "no members yet" in removed.output
    sessions = session_factory(create_engine_from_url(f"sqlite:///{db}"))
    with sessions() as session:  # an incident for `shenava incidents assign --team`
        now = datetime.now(UTC)
        incident = Incident(brand="sabzino", severity="high", status="open", opened_at=now, updated_at=now)
        session.add(incident)
        session.commit()
        incident_id = incident.id
    assign = [
        "incidents",
        "assign",
        str(incident_id),
        "--team",
        TEAM,
        "--by",
        "sara",
        "--config",
        str(config),
    ]
    assigned = runner.invoke(cli, assign)
    assert assigned.exit_code == 0 and f"(team {TEAM})" in assigned.output, assigned.output
    unknown = runner.invoke(cli, [*assign[:4], "nosuch", *assign[5:]])
    assert unknown.exit_code == 1 and "no team named 'nosuch'" in unknown.output
    gone = runner.invoke(cli, ["teams", "remove", TEAM, "--config", str(config)])
    assert gone.exit_code == 0 and "1 alert(s)" in gone.output
    with sessions() as session:
        assert (
            team_store.list_teams(session) == [] and session.get(Incident, incident_id).assigned_team is None
        )
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-4:] == ["team.add", "team.member_add", "team.member_remove", "team.remove"]
