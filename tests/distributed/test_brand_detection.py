"""Detection per brand on PostgreSQL: two passes of one brand never open its incident twice, and
a pass of another brand is not held up by them (the lock is the brand's, not global)."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from alerts.engine import AlertEngine
from alerts.events import INCIDENT_OPENED, AlertEvent
from domain.brands import BrandSettings
from shenava.distributed.brand_detection import brand_lock_key, detect_brand, walk, watched_brands
from storage.db import create_engine_from_url, init_db
from storage.models import Incident
from storage.repository import MentionStore
from tests.alerts.builders import T0, seed_background, seed_burst
from tests.alerts.conftest import make_settings
from tests.conftest import PostgresServer
from tests.distributed.conftest import wait_for

pytestmark = [pytest.mark.postgres]

SPIKE = T0 + timedelta(days=2, hours=10)  # as tests/alerts/test_engine.py: after warm-up


def test_two_passes_of_one_brand_open_one_incident_while_another_brand_goes_on(
    pg_server: PostgresServer, tmp_path: Path
) -> None:
    url = pg_server.create_database()
    init_db(url)
    settings = make_settings(
        tmp_path,
        brands=[
            BrandSettings(name="sabzino", aliases_fa=["سبزینو"], handles=["sabzino"]),
            BrandSettings(name="digikala", aliases_fa=["دیجی‌کالا"], handles=["digikala"]),
        ],
    )
    engine = create_engine_from_url(url)
    store = MentionStore(engine)
    n = seed_background(store, days=3.0)
    seed_background(store, days=3.0, first_id=n, seed=11, brand="digikala")
    seed_burst(store, SPIKE)  # sabzino's
    assert watched_brands(AlertEngine(settings, engine)) == ["sabzino", "digikala"]
    # a round: the walk (urgent checks, question deadlines), then the brands' passes; warm-up
    assert isinstance(walk(AlertEngine(settings, engine), SPIKE - timedelta(hours=1)), list)
    for brand in ("sabzino", "digikala"):
        detect_brand(AlertEngine(settings, engine), brand, SPIKE - timedelta(hours=1))

    holder = engine.connect()  # a pass of sabzino already running elsewhere holds its lock
    holder.execute(text("SELECT pg_advisory_lock(hashtext(:k))"), {"k": brand_lock_key("sabzino")})
    results: list[list[AlertEvent]] = []

    def sabzino_pass() -> None:
        results.append(detect_brand(AlertEngine(settings, engine), "sabzino", SPIKE + timedelta(hours=1)))

    passes = [threading.Thread(target=sabzino_pass) for _ in range(2)]
    try:
        for t in passes:
            t.start()

        def waiting() -> int:
            with engine.connect() as conn:
                sql = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                return int(conn.execute(text(sql)).scalar() or 0)

        assert wait_for(lambda: waiting() == 2, 60), "both sabzino passes should wait on its lock"
        # another brand's pass runs through meanwhile
        assert detect_brand(AlertEngine(settings, engine), "digikala", SPIKE + timedelta(hours=1)) == []
        assert all(t.is_alive() for t in passes) and waiting() == 2
    finally:
        holder.execute(text("SELECT pg_advisory_unlock(hashtext(:k))"), {"k": brand_lock_key("sabzino")})
        holder.close()
        for t in passes:
            t.join(120)
    assert len(results) == 2
    opened = [e for events in results for e in events if e.kind == INCIDENT_OPENED]
    assert len(opened) == 1, [e.kind for events in results for e in events]
    assert [] in results  # the second pass found every bucket judged
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Incident)) == 1
        assert session.scalar(select(Incident.brand)) == "sabzino"
    engine.dispose()
