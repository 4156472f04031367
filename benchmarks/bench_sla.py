"""SLA tracking cost on SQLite: the first pass over an archive of incidents (deadlines written),
a steady pass (running clocks judged, breaches escalated), and the inbox's per-refresh lookup of
the deadlines of 500 rows. Prints wall-clock figures; no assertion (the tests check behaviour)."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy.orm import Session

from alerts.sla_tracker import SlaTracker
from alerts.sla_view import annotate
from config.settings import Settings
from domain.brands import BrandSettings
from storage.db import create_engine_from_url, init_db
from storage.models import Incident

ITEMS = 4000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'sla.db'}"
        init_db(url)
        engine = create_engine_from_url(url)
        now = datetime.now(UTC)
        with Session(engine) as session, session.begin():
            for n in range(ITEMS):
                raised = now - timedelta(minutes=n)
                details = {"created_wall": raised.isoformat()}
                session.add(Incident(brand="sabzino", status="open", severity="high", opened_at=raised,
                                     updated_at=raised, details=details))  # fmt: skip
        settings = Settings(brands=[BrandSettings(name="sabzino")])
        tracker = SlaTracker.from_settings(settings, engine)
        started = time.perf_counter()
        passes = 0
        while tracker.run(now).created:
            passes += 1
        first = time.perf_counter() - started
        started = time.perf_counter()
        tracker.run(now + timedelta(days=3))
        steady = time.perf_counter() - started
        rows = [
            SimpleNamespace(kind="incident", id=n, sla_deadline=None, sla_state=None) for n in range(1, 501)
        ]
        with Session(engine) as session:
            started = time.perf_counter()
            for _ in range(20):
                annotate(session, rows, now)
            lookup = (time.perf_counter() - started) / 20
        engine.dispose()
    print(f"SLA first passes over {ITEMS} incidents ({passes} passes): {first:.2f} s "
          f"({1000 * first / ITEMS:.2f} ms per item)")  # fmt: skip
    print(
        f"SLA steady pass, up to 1000 running clocks judged (breached, no escalation route): {steady:.2f} s"
    )
    print(f"inbox SLA lookup of 500 rows: {1000 * lookup:.1f} ms per refresh")


if __name__ == "__main__":
    main()
