"""SLA met % per brand and per agent, over the records whose deadline fell in a period.

Only decided records count (``met`` or ``breached``); ``void`` ones owed nothing and running ones
are not judged yet. An agent is the person who gave the response, or, for a breach nobody has
answered, the person it is assigned to (None: unassigned). Read by ``GET /api/v1/sla``, the daily
digest and the inbox's panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from storage.sla_records import BREACHED, MET, decided_between


@dataclass(frozen=True)
class SlaFigures:
    name: str | None  # the brand or agent (None: unassigned)
    met: int
    breached: int
    running: int = 0

    @property
    def total(self) -> int:
        return self.met + self.breached

    @property
    def met_share(self) -> float | None:
        """Met / decided, in [0, 1]; None when nothing was decided."""
        return self.met / self.total if self.total else None


@dataclass(frozen=True)
class SlaReport:
    since: datetime | None
    until: datetime | None
    brands: list[SlaFigures]
    agents: list[SlaFigures]

    @property
    def overall(self) -> SlaFigures:
        return SlaFigures(
            None,
            sum(b.met for b in self.brands),
            sum(b.breached for b in self.brands),
            sum(b.running for b in self.brands),
        )


def _tally(rows: list[tuple[str | None, str | None]]) -> list[SlaFigures]:
    counts: dict[str | None, list[int]] = {}
    for name, outcome in rows:
        entry = counts.setdefault(name, [0, 0, 0])
        entry[0 if outcome == MET else 1 if outcome == BREACHED else 2] += 1
    ordered = sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    return [SlaFigures(name, met, breached, running) for name, (met, breached, running) in ordered]


def sla_report(
    session: Session,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    brand: str | None = None,
    kind: str | None = None,
) -> SlaReport:
    """Figures for deadlines in [since, until) (open ends allowed), optionally one brand or kind."""
    rows = [r for r in decided_between(session, since, until, brand) if kind is None or r.kind == kind]
    judged = [r for r in rows if r.outcome in (MET, BREACHED, None)]
    brands = _tally([(r.brand, r.outcome) for r in judged])
    agents = [a for a in _tally([(r.agent, r.outcome) for r in judged if r.outcome]) if a.total]
    return SlaReport(since, until, brands, agents)
