"""The bundled sample: reproducible from its generator, and shaped like the brief says."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "mentions.jsonl"


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("generate_sample", ROOT / "scripts" / "generate_sample.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def test_generator_reproduces_the_committed_file(generator) -> None:
    assert generator.render(generator.DEFAULT_SEED) == SAMPLE.read_text(encoding="utf-8"), (
        "data/sample/mentions.jsonl is stale: run `make sample` and commit it"
    )
    assert generator.render(7) != generator.render(8)


def test_every_line_follows_the_import_format(records: list[dict]) -> None:
    from listeners.mention_file import iter_file

    parsed = list(iter_file(SAMPLE, default_source="replay"))
    assert all(r.error is None for r in parsed)
    ids = [(r.mention.source, r.mention.external_id) for r in parsed]
    assert len(set(ids)) == len(ids)
    assert any("id" not in r for r in records)  # some sources give no id: derived from content
    times = [datetime.fromisoformat(r["created_at"]) for r in records]
    assert times == sorted(times)


def test_shape_week_rhythm_languages_and_the_day5_outage(records: list[dict]) -> None:
    assert len(records) >= 3000
    local = [datetime.fromisoformat(r["created_at"]) for r in records]
    days = sorted({t.date() for t in local})
    assert len(days) >= 7
    by_hour = Counter(t.hour for t in local)
    assert sum(by_hour[h] for h in range(2, 7)) * 6 < sum(by_hour[h] for h in range(19, 24))
    per_day = Counter(t.date() for t in local)
    weekdays = [per_day[d] for d in days if d.weekday() not in (3, 4) and d != days[4]]
    weekend = [per_day[d] for d in days if d.weekday() in (3, 4)]
    assert max(weekend) < min(weekdays)
    assert {r["source"] for r in records} >= {"x", "instagram", "web", "telegram"}
    assert {r["lang"] for r in records} == {"fa", "finglish", "en"}
    assert {r["sample"]["brand"] for r in records} >= {"sabzino", "nobank", "tazeh"}
    assert sum(1 for r in records if r.get("conversation_id")) > 50

    # day 5, evening: Sabzino negatives burst far above the same hours of the other weekdays
    def sabzino_negative(day, hours) -> int:
        return sum(
            1
            for r, t in zip(records, local, strict=True)
            if t.date() == day
            and t.hour in hours
            and r["sample"]["brand"] == "sabzino"
            and r["sample"]["mood"] == "negative"
        )

    evening = range(17, 22)
    outage = sabzino_negative(days[4], evening)
    usual = max(sabzino_negative(d, evening) for d in days[:4])
    assert outage > 8 * usual
