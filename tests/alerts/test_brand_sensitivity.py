"""A brand's own sensitivity (brands[].sensitivity) reaches its detectors: the same moderate burst
opens an incident for a brand set to ``high`` and none for one set to ``low``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alerts.engine import AlertEngine
from domain.brands import BrandSettings
from storage.models import Incident
from storage.repository import MentionStore
from tests.alerts.builders import T0, seed_background, seed_burst
from tests.alerts.conftest import make_settings

BURST_AT = T0 + timedelta(days=2, hours=10)


def test_brand_sensitivity_decides_a_moderate_burst(
    store: MentionStore, engine: Engine, tmp_path: Path
) -> None:
    brands = [
        BrandSettings(name="sabzino", aliases_fa=["سبزینو"], sensitivity="high"),
        BrandSettings(name="nobank", aliases_fa=["نوبانک"], sensitivity="low"),
    ]
    settings = make_settings(tmp_path, brands=brands)
    # Both brands see the same days and the same burst: ~4x the usual rate for half an hour, below the
    # obvious-burst rule (which opens at any sensitivity).
    for brand, offset in (("sabzino", 0), ("nobank", 1_000_000)):
        seed_background(store, days=2.5, brand=brand, first_id=offset)
        seed_burst(store, BURST_AT, buckets=6, per_bucket=3, brand=brand, first_id=offset + 500_000)
    AlertEngine(settings, engine).detect(BURST_AT + timedelta(hours=1))
    with Session(engine) as session:
        opened = {i.brand: i.opened_at for i in session.scalars(select(Incident))}
    assert set(opened) == {"sabzino"}, opened


def test_unset_brand_sensitivity_follows_the_global_setting(tmp_path: Path) -> None:
    from alerts.series_detectors import SeriesDetectors

    settings = make_settings(tmp_path, alerts={"detection": {"sensitivity": "low"}})
    levels = {b.name: b.sensitivity for b in settings.brands} | {"loud": "high"}
    detectors = SeriesDetectors(settings.alerts.detection, 5, "Asia/Tehran", levels)
    assert detectors.new("sabzino").config.sensitivity == "low"
    assert detectors.new("loud").config.sensitivity == "high"
