"""The incident machine's typed state: today's untyped rows migrate, and the state round-trips."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from alerts.incidents.state import (
    STATE_VERSION,
    VERSION_KEY,
    IncidentState,
    IncidentStateError,
    read_state,
    with_state,
)
from storage.models import Incident
from tests.alerts.builders import T0

#: an incident's details as the engine wrote them before the state had a version
UNVERSIONED = {
    "active": ["alerts:neg:sabzino", "alerts:neg:sabzino:delivery"],
    "series": ["alerts:neg:sabzino", "alerts:neg:sabzino:delivery"],
    "touchpoints": ["delivery"],
    "bursts": {"alerts:neg:sabzino": "2026-03-03T10:00:00+00:00"},
    "folded_urgent": 2,
    "peak_at": "2026-03-03T10:15:00+00:00",
    "created_wall": "2026-03-03T10:31:00+00:00",
    "explanation": {"count": 34, "terms": [{"term": "نرسیده", "z": 4.2}]},
    "history": [{"action": "acknowledge", "by": "sara"}],
}


def test_an_unversioned_row_loads_typed_and_round_trips(sqlite_engine: Engine) -> None:
    with Session(sqlite_engine) as session, session.begin():
        row = Incident(brand="sabzino", kind="spike", status="open", opened_at=T0, updated_at=T0)
        row.details = dict(UNVERSIONED)
        session.add(row)
        session.flush()
        incident_id = row.id
    with Session(sqlite_engine) as session, session.begin():
        row = session.get(Incident, incident_id)
        assert row is not None
        state = read_state(row.details)
        assert state.version == STATE_VERSION
        assert state.active == ["alerts:neg:sabzino", "alerts:neg:sabzino:delivery"]
        assert state.bursts == {"alerts:neg:sabzino": datetime(2026, 3, 3, 10, 0, tzinfo=UTC)}
        assert (state.folded_urgent, state.burst_end) == (2, None)
        assert state.peak_at == datetime(2026, 3, 3, 10, 15, tzinfo=UTC)
        row.details = with_state(row.details, state)
    with Session(sqlite_engine) as session:
        row = session.get(Incident, incident_id)
        assert row is not None
        details = row.details
    assert details[VERSION_KEY] == STATE_VERSION
    # what others keep in details survives, and the state's keys keep their names and meaning
    for key in ("created_wall", "explanation", "history", "active", "touchpoints", "bursts", "peak_at"):
        assert details[key] == UNVERSIONED[key]
    assert read_state(details) == state


def test_missing_keys_read_as_an_empty_state() -> None:
    assert read_state({"created_wall": "2026-03-03T10:31:00+00:00"}) == IncidentState()
    assert read_state(None) == IncidentState()


def test_a_state_from_newer_code_is_refused() -> None:
    with pytest.raises(IncidentStateError, match="newer"):
        read_state({VERSION_KEY: STATE_VERSION + 1})
