"""Where the urgent check stands in event time: the position of the last mention it judged.

The alert engine judges stored mentions in event-time order (``created_at``, then ``id``) and
stores this cursor in the same transaction as the alerts it raised, so a process killed after a
batch was stored but before it was judged judges it on its next pass, and one killed mid-pass
judges it again from the same place (nothing half-done survives a rollback).

A mention stored behind the cursor (a late arrival, a batch another writer committed later) is
judged when its ids are handed in, unless the cursor already judged it: ``runs`` keeps the ids
judged as a few [first, last] ranges (the oldest merge once there are too many; ids below the
first range count as judged).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import DetectorState

CURSOR_KEY = "alerts:urgent-cursor"
CURSOR_VERSION = 1
MAX_RUNS = 64


@dataclass
class AlertCursor:
    #: ``created_at`` of the last mention judged in order; None: nothing judged yet
    at: datetime | None = None
    last_id: int = 0
    runs: list[list[int]] = field(default_factory=list)
    row: DetectorState | None = None

    @classmethod
    def load(cls, session: Session) -> AlertCursor | None:
        row = session.get(DetectorState, CURSOR_KEY)
        if row is None:
            return None
        state = row.state or {}
        runs = [[int(lo), int(hi)] for lo, hi in state.get("runs") or []]
        return cls(at=row.watermark, last_id=int(state.get("last_id") or 0), runs=runs, row=row)

    @staticmethod
    def exists(session: Session) -> bool:
        return session.scalar(select(DetectorState.key).where(DetectorState.key == CURSOR_KEY)) is not None

    def behind(self, at: datetime, mention_id: int) -> bool:
        """True when (``at``, ``mention_id``) is at or before the cursor's position."""
        return self.at is not None and (at, mention_id) <= (self.at, self.last_id)

    def judged(self, mention_id: int) -> bool:
        if not self.runs:
            return False
        return mention_id < self.runs[0][0] or any(lo <= mention_id <= hi for lo, hi in self.runs)

    def mark(self, at: datetime, mention_id: int) -> None:
        """Record ``mention_id`` as judged; the position only moves forward."""
        if not self.behind(at, mention_id):
            self.at, self.last_id = at, mention_id
        runs = sorted([*self.runs, [mention_id, mention_id]])
        merged: list[list[int]] = []
        for lo, hi in runs:
            if merged and lo <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        while len(merged) > MAX_RUNS:  # the oldest gap is most likely ids that were never stored
            merged[:2] = [[merged[0][0], merged[1][1]]]
        self.runs = merged

    def save(self, session: Session, now: datetime) -> None:
        state = {"version": CURSOR_VERSION, "last_id": self.last_id, "runs": self.runs}
        if self.row is None:
            self.row = DetectorState(key=CURSOR_KEY, state=state, watermark=self.at, updated_at=now)
            session.add(self.row)
        else:
            self.row.state, self.row.watermark, self.row.updated_at = state, self.at, now
