"""Deterministic alerting (issue 15 item 2): the bundled sample gives the same incidents, the same
urgent pages and the same deliveries whether it is replayed in one go, in batches of other sizes
with the detection timer firing at other moments (between a batch's store and its urgent check
too), or by a `shenava run` killed with SIGKILL at seeded random points and restarted until idle.

Before the fix the urgent check and detection ran on separate timers: the same sample paged 31 and
37 urgent alerts in two clean runs and 44 after kill -9 restarts (questions asked during an open
incident paged, or not, depending on whether a detection pass had reached the question yet).
"""

from __future__ import annotations

import itertools
import json
import random
import signal
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alerts.engine import AlertEngine
from config.loader import load_settings
from config.settings import Settings
from domain.analysis import MentionAnalysis
from domain.mention import RawMention
from listeners.replay import ReplayListener
from nlp.analyzer import Analyzer
from shenava.service.pipeline import Pipeline
from storage.db import create_engine_from_url, init_db
from storage.models import Delivery, Incident, Mention, UrgentAlert
from storage.repository import MentionStore
from tests.e2e.conftest import SAMPLE, Workspace, make_workspace, wait_for

pytestmark = pytest.mark.slow

#: the lexicon fallback model: what is under test is alerting, not scoring, and it keeps the
#: many analyses (one per restart) short
MODEL = "fallback"
SEED = 15
KILLS = 4


class CachedAnalyzer:
    """The analyses of the first in-process replay, reused by the others (same model, same input)."""

    def __init__(self, inner: Analyzer) -> None:
        self.inner = inner
        self.done: dict[tuple[str, str], MentionAnalysis] = {}

    def analyze(self, mentions: Sequence[RawMention]) -> list[MentionAnalysis]:
        missing = [m for m in mentions if (m.source, m.external_id) not in self.done]
        for m, analysis in zip(missing, self.inner.analyze(missing) if missing else [], strict=True):
            self.done[(m.source, m.external_id)] = analysis
        return [self.done[(m.source, m.external_id)] for m in mentions]


def replay_in_process(
    settings: Settings, url: str, analyzer: CachedAnalyzer, *, batch_size: int, sim_seconds: float, seed: int
) -> None:
    """The sample through the real pipeline and alert engine; the replay's clock moves
    ``sim_seconds`` of event time per fetch (batches cut as a replay at that speed cuts them),
    and a seeded coin fires the detection timer before and after each batch's urgent check."""
    init_db(url)
    engine = create_engine_from_url(url)
    alerts = AlertEngine(settings, engine)
    pipeline = Pipeline(MentionStore(engine), analyzer, alerts)  # type: ignore[arg-type]
    ticks = itertools.count()
    listener = ReplayListener("replay:mentions", SAMPLE, speed=sim_seconds, batch_size=batch_size,
                              clock=lambda: float(next(ticks)))  # fmt: skip
    rng = random.Random(seed)

    def timer() -> None:
        until = pipeline.detection_time(alerts.clock())
        if until is not None and rng.random() < 0.3:
            alerts.detect(until)

    try:
        while not listener.exhausted:
            for batch in listener.fetch(pipeline.store.load_checkpoint(listener.key)):
                report = pipeline.process(listener.key, batch.mentions, batch.checkpoint, alerts=False)
                timer()  # the detection timer between the store and the urgent check
                alerts.on_stored(report.inserted_ids)
                timer()
        until = pipeline.detection_time(alerts.clock())
        assert until is not None
        alerts.detect(until)
        alerts.dispatch()
    finally:
        alerts.close()
        engine.dispose()


def alert_sets(engine: Engine) -> dict[str, Any]:
    """What was alerted, named by what it is about (ids may differ from run to run)."""
    with Session(engine) as session:
        mention = dict(session.execute(select(Mention.id, Mention.external_id)).all())
        incidents, urgent, names = [], [], {}
        for row in session.scalars(select(Incident)):
            details = row.details or {}
            name = (row.brand, row.opened_at.isoformat())
            names[f"incident:{row.id}"] = repr(name)
            incidents.append(
                (*name, details.get("burst_end"), tuple(details.get("touchpoints") or []), row.severity,
                 details.get("folded_urgent"), row.status)
            )  # fmt: skip
        for alert in session.scalars(select(UrgentAlert)):
            details = alert.details or {}
            name = (mention[alert.mention_id], alert.brand)
            names[f"urgent:{alert.id}"] = repr(name)
            urgent.append((*name, tuple(details.get("reasons") or []), "folded_into_incident" in details))
        deliveries = []
        for d in session.scalars(select(Delivery)):
            ref, _, rest = (d.event_ref or "").partition(":")
            ident, _, suffix = rest.partition(":")
            deliveries.append((d.channel, d.event_kind, names.get(f"{ref}:{ident}", d.event_ref), suffix))
    return {
        "incidents": sorted(incidents),
        "urgent": sorted(urgent),
        "pages": sorted(u[:3] for u in urgent if not u[3]),
        "deliveries": sorted(deliveries),
    }


def delivered_keys(ws: Workspace) -> list[str]:
    if not ws.alerts.exists():
        return []
    return [json.loads(line)["delivery_key"] for line in ws.alerts.read_text(encoding="utf-8").splitlines()]


def set_speed(ws: Workspace, speed: float) -> None:
    config = yaml.safe_load(ws.config.read_text(encoding="utf-8"))
    config["sources"]["replay"]["speed"] = speed
    ws.config.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def summary(sets: dict[str, Any]) -> str:
    return f"{len(sets['pages'])} urgent pages, {len(sets['incidents'])} incidents"


@pytest.mark.timeout(2400)  # about two minutes on two idle cores; far more on a loaded runner
def test_alerts_are_the_same_in_one_go_in_any_batches_and_across_kill_9(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "killed", speed=100_000, sentiment_model=MODEL)
    settings = load_settings(ws.config)
    analyzer = CachedAnalyzer(Analyzer.from_settings(settings))

    # (a) in one go: the whole file as one batch, one detection pass at its end
    one_go = tmp_path / "one-go.db"
    replay_in_process(settings, f"sqlite:///{one_go}", analyzer, batch_size=10_000, sim_seconds=1e9, seed=0)
    reference = alert_sets(create_engine_from_url(f"sqlite:///{one_go}"))
    print(f"in one go: {summary(reference)}")

    # (b) other batch sizes and replay speeds, the detection timer firing at seeded moments
    for n, (batch_size, sim_seconds) in enumerate([(25, 600.0), (200, 3_600.0), (1_000, 21_600.0)]):
        url = f"sqlite:///{tmp_path / f'batches-{n}.db'}"
        replay_in_process(settings, url, analyzer, batch_size=batch_size, sim_seconds=sim_seconds, seed=n)
        got = alert_sets(create_engine_from_url(url))
        print(f"batches of {batch_size}, {sim_seconds:.0f} s a fetch: {summary(got)}")
        assert got == reference, f"batches of {batch_size}, {sim_seconds:.0f} s a fetch: {summary(got)}"
    assert reference["incidents"] and reference["pages"], summary(reference)
    assert any(u[3] for u in reference["urgent"]), "no urgent alert was folded: the sample tests nothing"

    # (c) `shenava run` killed with SIGKILL at seeded random points (each restart at another
    # speed), then run until idle
    ws.alerts.unlink(missing_ok=True)  # the in-process replays sent theirs to the same file channel
    rng = random.Random(SEED)
    total = sum(1 for _ in SAMPLE.open(encoding="utf-8"))
    for threshold in sorted(rng.sample(range(50, total - 300), KILLS)):
        set_speed(ws, rng.choice([20_000, 100_000, 1_000_000]))
        proc = ws.start("run")
        reached = wait_for(
            lambda t=threshold, p=proc: ws.stored_count() >= t or p.poll() is not None,
            timeout=300,
            interval=0.05,
        )
        assert reached and proc.poll() is None, ws.log_text()[-2000:]
        wait_for(lambda: False, timeout=rng.uniform(0.0, 1.5))  # somewhere in the next batches
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    final = ws.run("run", "--until-idle", timeout=600)
    assert final.returncode == 0, final.stdout[-2000:] + final.stderr[-2000:]
    engine = create_engine_from_url(f"sqlite:///{ws.db}")
    killed = alert_sets(engine)
    print(f"after {KILLS} kills: {summary(killed)}")
    assert killed == reference, f"after {KILLS} kills: {summary(killed)}; in one go: {summary(reference)}"

    # deliveries: a kill can leave a claim leased or a row sent but not marked; a late dispatch
    # sends what is left, and every delivery is in the file, none more than once per kill
    AlertEngine(settings, engine).dispatch(datetime.now(UTC) + timedelta(hours=1))  # leases expired
    with Session(engine) as session:
        rows = {key: status for key, status in session.execute(select(Delivery.dedup_key, Delivery.status))}
    lines = delivered_keys(ws)
    assert set(rows.values()) == {"sent"}, rows
    assert set(lines) == set(rows)
    assert len(lines) - len(set(lines)) <= KILLS, "a delivery was sent twice without a kill between"
    engine.dispose()
