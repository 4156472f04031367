"""Issue 10's acceptance scenario, replayed through the import path: ten days of real Persian reviews about
two brands, a two-hour burst of late- and cold-food complaints at one of them at the dinner peak
(3-4 usual negative mentions per 15 minutes, about 15 in the burst). Exactly one incident opens for the
bursting brand within 45 minutes, with delivery as its first touchpoint, and none for the other brand."""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_scenarios import import_scenario, judge
from benchmarks.delivery_scenarios import generate


def test_dinner_burst_of_late_food_opens_one_delivery_incident_in_time(tmp_path: Path) -> None:
    scenario = generate(2)  # tuning half; its burst starts at the dinner peak
    assert 19 <= scenario.burst_start.hour <= 22 and 3.0 <= scenario.usual_at_burst <= 4.0
    incidents, bucket = import_scenario(scenario, tmp_path)
    outcome = judge(scenario, incidents, bucket, 0.0)
    assert outcome.opened_in_time == 1, incidents
    assert outcome.delay_min is not None and outcome.delay_min <= 45
    assert outcome.first_touchpoint == "delivery", incidents
    assert outcome.other_brand == 0, incidents
    assert outcome.passed
