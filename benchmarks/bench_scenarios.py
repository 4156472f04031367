"""Replayed food-delivery scenarios through ``shenava import`` (issue 10's acceptance test, by seed).

Each scenario (``benchmarks/delivery_scenarios.py``: ten days of real Persian reviews about two brands, a
two-hour burst of late- and cold-food complaints at one of them) is imported into a fresh SQLite archive
with the default configuration (only the two brands changed), exactly as an analyst's backfill: the whole
pipeline, spike detection and the incident's attribution included. A scenario **passes** when exactly one
incident opens for the bursting brand within 45 minutes of the burst's start, its first touchpoint is
delivery, and the other brand gets none. Printed per scenario and in total, on the reporting half (odd
seeds; nothing was chosen on either half). ``BENCH_FAST=1`` runs 4 scenarios instead of 10.

    .venv/bin/python -m benchmarks scenarios
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from benchmarks.delivery_scenarios import BRANDS, DAYS, LEARN_DAYS, START, Scenario, generate, seeds

REPO = Path(__file__).resolve().parents[1]
OPEN_WITHIN = timedelta(minutes=45)
LEARNED = START + timedelta(days=LEARN_DAYS)


@dataclass(frozen=True)
class Outcome:
    seed: int
    hour: str  # local start time of the burst
    usual: float  # usual negatives per 15 minutes there
    opened_in_time: int  # incidents of the bursting brand opened within 45 minutes of the start
    delay_min: float | None  # of the first of them: from the burst's start to the end of its opening bucket
    first_touchpoint: str | None
    other_brand: int  # incidents of the other brand, whole scenario
    elsewhere: int  # incidents of the bursting brand outside the burst (and its first 45 minutes' grace)
    false_learning: int  # incidents of either brand outside the burst in the first week
    false_after: int  # and after it
    seconds: float

    @property
    def passed(self) -> bool:
        return self.opened_in_time == 1 and self.first_touchpoint == "delivery" and self.other_brand == 0


def scenario_config(workdir: Path) -> Path:
    """The default configuration with the scenario's two brands and a fresh SQLite archive."""
    config = yaml.safe_load((REPO / "config" / "shenava.yaml").read_text(encoding="utf-8"))
    config["brands"] = [b.config() for b in BRANDS]
    config["storage"] = {"url": f"sqlite:///{workdir / 'shenava.db'}"}
    path = workdir / "shenava.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def import_scenario(
    scenario: Scenario, workdir: Path
) -> tuple[list[tuple[str, datetime, str | None]], timedelta]:
    """Import the scenario's file as ``shenava import`` does: (brand, opened_at, touchpoint) per incident,
    and the bucket width (an incident's opened_at is the start of the bucket that opened it)."""
    from config.loader import load_settings
    from listeners.importer import import_file
    from shenava.import_detection import ImportDetection
    from shenava.service.pipeline import Pipeline
    from storage.db import init_db
    from storage.models import Incident

    settings = load_settings(scenario_config(workdir))
    init_db(settings.storage.url)
    pipeline = Pipeline.from_settings(settings)
    detection = ImportDetection(pipeline)
    import_file(scenario.write(workdir / "scenario.jsonl"), detection.process, batch_size=256)
    detection.finish()
    with Session(pipeline.store.engine) as session:
        rows = session.scalars(select(Incident).order_by(Incident.opened_at)).all()
        incidents = [(r.brand, r.opened_at, r.touchpoint) for r in rows]
    return incidents, timedelta(minutes=settings.alerts.bucket_minutes)


def judge(
    scenario: Scenario, incidents: list[tuple[str, datetime, str | None]], bucket: timedelta, seconds: float
) -> Outcome:
    start = scenario.burst_start

    def of_the_burst(brand: str, at: datetime) -> bool:  # the bursting brand's, opened while it lasted
        return brand == scenario.bursting and start <= at < scenario.burst_end + OPEN_WITHIN

    own = [(at, tp) for brand, at, tp in incidents if brand == scenario.bursting]
    in_time = [(at, tp) for at, tp in own if start <= at and at + bucket <= start + OPEN_WITHIN]
    false = [at for brand, at, _ in incidents if not of_the_burst(brand, at)]
    return Outcome(
        seed=scenario.seed,
        hour=start.strftime("%a %H:%M"),
        usual=scenario.usual_at_burst,
        opened_in_time=len(in_time),
        delay_min=(in_time[0][0] + bucket - start).total_seconds() / 60 if in_time else None,
        first_touchpoint=in_time[0][1] if in_time else None,
        other_brand=sum(brand == scenario.other for brand, _, _ in incidents),
        elsewhere=sum(not of_the_burst(scenario.bursting, at) for at, _ in own),
        false_learning=sum(at < LEARNED for at in false),
        false_after=sum(at >= LEARNED for at in false),
        seconds=seconds,
    )


def run(half: str, count: int) -> list[Outcome]:
    outcomes = []
    for seed in seeds(half, count):
        scenario = generate(seed)
        start = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="shenava-scenario-") as tmp:
            incidents, bucket = import_scenario(scenario, Path(tmp))
        outcomes.append(judge(scenario, incidents, bucket, time.perf_counter() - start))
    return outcomes


def main() -> None:
    count = 4 if os.environ.get("BENCH_FAST") == "1" else 10
    outcomes = run("reporting", count)
    print(f"food-delivery scenarios through `shenava import`, reporting half (odd seeds), {count} scenarios")
    print(
        "  seed  burst starts  usual/15min  opened<=45min  delay  first touchpoint  other brand  "
        "elsewhere  pass"
    )
    for o in outcomes:
        delay = "-" if o.delay_min is None else f"{o.delay_min:.0f} min"
        print(
            f"  {o.seed:4d}  {o.hour:<12}  {o.usual:11.1f}  {o.opened_in_time:13d}  {delay:>6}  "
            f"{o.first_touchpoint or '-':<16}  {o.other_brand:11d}  {o.elsewhere:9d}  "
            f"{'yes' if o.passed else 'NO'}"
        )
    delays = [o.delay_min for o in outcomes if o.delay_min is not None]
    passed = sum(o.passed for o in outcomes)
    median = f"{statistics.median(delays):.0f} min" if delays else "-"
    # two brands a scenario; the learning week's first day is the detectors' warm-up (no incident opens)
    learning_weeks = len(outcomes) * 2 * (LEARN_DAYS - 1) / 7
    after_weeks = len(outcomes) * 2 * (DAYS - LEARN_DAYS) / 7
    print(
        f"  passed {passed} of {len(outcomes)}; median delay {median}; incidents for the other brand "
        f"{sum(o.other_brand for o in outcomes)}; false incidents per brand-week (either brand, outside "
        f"the burst): {sum(o.false_learning for o in outcomes) / learning_weeks:.2f} in the learning week "
        f"(days 2-7), {sum(o.false_after for o in outcomes) / after_weeks:.2f} after it; "
        f"{statistics.mean(o.seconds for o in outcomes):.0f} s a scenario"
    )


if __name__ == "__main__":
    main()
