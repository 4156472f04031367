"""Spike detection split by brand: one ``shenava.detect_brand`` task per brand (queue ``alerts``).

An agency watching forty brands runs forty small passes side by side on the alerts workers
instead of one pass over every brand behind one lock. A brand's pass holds, in its transaction:

- the brand's PostgreSQL advisory lock (``brand_lock_key``): two passes of one brand queue
  behind each other, so no bucket is judged twice and no incident opens twice;
- a *shared* lock on the detection lock row (``alerts.spike_pass.LOCK_KEY``): passes of different
  brands go together, while whatever takes the whole detection lock (the urgent check that folds
  an urgent mention into an incident, the unanswered-questions check, ``shenava detect``, an
  embedded service on the same database) waits for them, and they for it.

Detector states, incidents and their deliveries are per brand (per series), so a brand's pass
needs nothing of another's. The engine's own steps (``spikes``, ``walk_in``, ``deliver_in``) are
reused as ``AlertEngine.detect`` calls them: the walk once per round, the buckets per brand.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from alerts.spike_pass import LOCK_KEY, SpikePass, detection_transaction
from storage.models import DetectorState

if TYPE_CHECKING:
    from alerts.engine import AlertEngine
    from alerts.events import AlertEvent


def brand_lock_key(brand: str) -> str:
    """The advisory lock's name (``pg_advisory_xact_lock(hashtext(key))``) of one brand's pass."""
    return f"shenava:detect:{brand}"


@contextmanager
def brand_transaction(engine: Engine, brand: str, now: datetime) -> Iterator[Session]:
    """A transaction holding the detection lock row shared and the brand's lock exclusively."""
    with engine.begin() as conn:  # the lock row exists before anyone locks it
        conn.execute(
            insert(DetectorState)
            .values(key=LOCK_KEY, state={"version": 1}, watermark=None, updated_at=now)
            .on_conflict_do_nothing(index_elements=["key"])
        )
    with Session(engine) as session, session.begin():
        lock_row = select(DetectorState.key).where(DetectorState.key == LOCK_KEY)
        session.execute(lock_row.with_for_update(read=True))
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": brand_lock_key(brand)})
        yield session


def watched_brands(alerts: AlertEngine) -> list[str]:
    """The brands detection watches (competitors too where ``alerts.watch_competitors``)."""
    return list(alerts.spikes.brands)


def _one_brand(spikes: SpikePass, brand: str) -> SpikePass:
    one = copy.copy(spikes)  # same detectors, grid and incident machine; its series are one brand's
    one.brands = [brand] if brand in spikes.brands else []
    return one


def detect_brand(alerts: AlertEngine, brand: str, watermark: datetime) -> list[AlertEvent]:
    """One brand's detection pass up to ``watermark`` (``AlertEngine.detect`` for one brand)."""
    spikes = _one_brand(alerts.spikes, brand)
    end = spikes.closed_until(watermark)
    now = alerts.clock()
    with brand_transaction(alerts.engine, brand, now) as session:
        events = spikes.run(session, end, now)
        alerts.deliver_in(session, events, now, end)
    return events


def walk(alerts: AlertEngine, watermark: datetime) -> list[AlertEvent]:
    """What ``AlertEngine.detect`` does before it judges the buckets: the stored mentions and the
    questions' deadlines up to ``watermark`` in event-time order (``alerts.timeline``), under the
    whole detection lock (an urgent alert may fold into any brand's incident). Sent before the
    brands' passes, so the buckets are judged after the walk, as in one process."""
    end = alerts.spikes.closed_until(watermark)
    now = alerts.clock()
    with detection_transaction(alerts.engine, now) as session:
        walked = alerts.walk_in(session, watermark, [], now)
        alerts.deliver_in(session, walked.events, now, end)
    return walked.events
