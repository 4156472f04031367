"""Backfills are recorded, not paged: the age limit on delivering alerts about the past.

``shenava import`` (and a live service catching up after a pause) runs detection over mentions
written long ago. What it finds belongs in the archive, the digest, the API and the inbox, but
nobody should be paged at 3 a.m. for a burst that ended last month. An event is only recorded,
its row flagged ``backfilled``, when what it reports is older than
``alerts.backfill_page_max_age_minutes`` by the wall clock:

* an incident by when it was last seen: the end of its burst, or, while it is still on, the end
  of the detection pass (the newest bucket judged); its later escalation and resolution follow
  its opening (a backfilled incident never pages, a paged one also pages its end);
* an urgent mention by when it was written.

A replay (``shenava run`` over a file, the sample) plays the past as the present and is not a
backfill: the engine applies the limit only when its caller says so (``AlertEngine.backfill_guard``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from alerts.events import AlertEvent, IncidentEvent, IncidentOpened, IncidentResolved, UrgentMention
from storage.models import Incident, UrgentAlert

BACKFILLED = "backfilled"


def is_backfilled(row: Incident | UrgentAlert) -> bool:
    return bool((row.details or {}).get(BACKFILLED))


def _flag(row: Incident | UrgentAlert | None) -> None:
    if row is not None and not is_backfilled(row):
        row.details = {**(row.details or {}), BACKFILLED: True}


@dataclass(frozen=True)
class PageAgeLimit:
    max_age: timedelta

    def split(
        self, session: Session, events: Sequence[AlertEvent], present: datetime, pass_end: datetime | None
    ) -> tuple[list[AlertEvent], list[AlertEvent]]:
        """(events to deliver, events only recorded), in order; flags the recorded ones' rows."""
        ended = {e.incident_id: e.ended_at for e in events if isinstance(e, IncidentResolved)}
        for e in events:
            if isinstance(e, IncidentOpened):
                last_seen = ended.get(e.incident_id) or pass_end or e.at
                if present - last_seen > self.max_age:
                    _flag(session.get(Incident, e.incident_id))
        deliver: list[AlertEvent] = []
        recorded: list[AlertEvent] = []
        for e in events:
            if isinstance(e, IncidentEvent):
                incident = session.get(Incident, e.incident_id)
                old = incident is not None and is_backfilled(incident)
            elif isinstance(e, UrgentMention):
                old = present - e.at > self.max_age
                if old:
                    _flag(session.get(UrgentAlert, e.urgent_id))
            else:
                old = False
            (recorded if old else deliver).append(e)
        return deliver, recorded
