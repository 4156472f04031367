"""Actions taken through the HTTP API land in the same audit log and show in the page's history."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from storage.accounts import AuditEntry
from storage.repository import MentionStore
from tests.web.conftest import add_people, log_in, web_settings
from tests.web.inbox_data import fill_inbox

KEY = "support-key-0123456789"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_api_actions_are_audited(engine: Engine, store: MentionStore) -> None:
    add_people(engine)
    ids = fill_inbox(engine, store)
    app = create_app(web_settings(), engine, ApiKeyRing.parse(f"sam:support:{KEY}"))
    with TestClient(app) as client:
        url = f"/api/v1/incidents/{ids['incident']}"
        assert client.post(f"{url}/acknowledge", headers={"X-API-Key": KEY}).status_code == 200
        assert (
            client.post(f"{url}/assign", json={"to": "sara"}, headers={"X-API-Key": KEY}).status_code == 200
        )
        assert client.get(url, headers={"X-API-Key": KEY}).status_code == 200  # a read is not audited
        with Session(engine) as session:
            entries = session.scalars(select(AuditEntry).where(AuditEntry.actor == "api:sam")).all()
        assert [(e.action, e.old_value["status"], e.new_value["assigned_to"]) for e in entries] == [
            ("acknowledge", "open", None),
            ("assign", "acknowledged", "sara"),
        ]
        log_in(client, "sara")
        page = client.get(f"/inbox/incident/{ids['incident']}").text
        assert "<bdi>api:sam</bdi>" in page and "<bdi>sam</bdi>" not in page  # once, not twice
