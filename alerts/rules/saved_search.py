"""Judge saved searches' alert rules against newly stored mentions.

Called after every stored batch (``shenava.service.pipeline``, ``shenava.distributed.tasks``) with
the new mention ids. For each saved search whose rule is on, the new mentions its query matches are
grouped by the local clock hour of their own time (event time, so a replay fires the same hours
as the live stream did), and for each hour:

* ``per_hour``: the hour's matching mentions in the whole archive are counted; at N or more the
  rule fires, quoting the N-th of them by time;
* ``followers``: the first new matching mention whose author has at least X followers fires it.

A rule fires once per hour: the ``saved_search_firings`` row (unique per search, rule and hour)
is written in the same transaction as the inbox row (an ``UrgentAlert`` whose reason is
``saved_search``) and the outbox rows, so neither a restart, a redelivered batch nor a second
worker fires it again. A saved search that cannot be judged is logged and skipped; it never stops
a batch or the other searches.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alerts.backfill import BACKFILLED
from alerts.rules.event import FOLLOWERS, PER_HOUR, SavedSearchAlert
from alerts.text import clean_text
from storage import saved_searches
from storage.filters import conditions
from storage.models import Mention, UrgentAlert
from storage.query import MentionQuery
from storage.saved_searches import SavedSearch, SavedSearchFiring

if TYPE_CHECKING:
    from alerts.engine import AlertEngine

log = logging.getLogger(__name__)

REASON = "saved_search"
_ID_CHUNK = 500  # bounded IN lists (SQLite's variable limit)
HOUR = timedelta(hours=1)


def hour_start(moment: datetime, tz: str) -> datetime:
    """The start (UTC) of the local clock hour holding ``moment``; Tehran's hours start at :30 UTC."""
    local = moment.astimezone(ZoneInfo(tz))
    return local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)


def on_stored(alert_engine: AlertEngine | None, mention_ids: Sequence[int]) -> list[SavedSearchAlert]:
    """Fire the rules the new mentions complete; their alerts are routed into the outbox."""
    if alert_engine is None or not mention_ids:
        return []
    now, tz = alert_engine.clock(), alert_engine.messages.timezone
    with Session(alert_engine.engine) as session, session.begin():
        events = evaluate(session, list(mention_ids), tz, now)
        for event in events:
            if alert_engine.backfill_guard and now - event.at > alert_engine.page_age.max_age:
                _record_only(session, event)  # a catch-up after a pause: recorded, not paged
                alert_engine.backfilled += 1
            else:  # the engine's own routing and quiet hours, in this transaction
                alert_engine.route_in(session, event, now)
    return events


def _record_only(session: Session, event: SavedSearchAlert) -> None:
    row = session.get(UrgentAlert, event.urgent_id)
    if row is not None:
        row.details = {**(row.details or {}), BACKFILLED: True}


def evaluate(session: Session, mention_ids: list[int], tz: str, now: datetime) -> list[SavedSearchAlert]:
    """The alerts the rules fire for these new mentions (rows written in ``session``)."""
    searches = saved_searches.with_rules(session)
    if not searches:
        return []
    new = set(mention_ids)
    runs = _hour_runs(session, mention_ids, tz)
    events: list[SavedSearchAlert] = []
    for search in searches:
        try:
            with session.begin_nested():
                events += _judge(session, search, new, runs, tz, now)
        except Exception:  # one broken search must not stop the batch or the others
            log.exception("saved search #%s could not be judged; skipped", search.id)
    return events


def _hour_runs(session: Session, ids: list[int], tz: str) -> list[tuple[datetime, datetime]]:
    """The hours the new mentions fall in, as runs of consecutive hours [start, end)."""
    hours: set[datetime] = set()
    for start in range(0, len(ids), _ID_CHUNK):
        chunk = ids[start : start + _ID_CHUNK]
        hours |= {
            hour_start(at, tz)
            for at in session.scalars(select(Mention.created_at).where(Mention.id.in_(chunk)))
        }
    runs: list[tuple[datetime, datetime]] = []
    for hour in sorted(hours):
        if runs and runs[-1][1] == hour:
            runs[-1] = (runs[-1][0], hour + HOUR)
        else:
            runs.append((hour, hour + HOUR))
    return runs


def _judge(
    session: Session, search: SavedSearch, new: set[int], runs: list[tuple[datetime, datetime]], tz: str,
    now: datetime,
) -> list[SavedSearchAlert]:  # fmt: skip
    """Every match in the hours the new mentions fall in (one query per run of hours), judged hour
    by hour in Python: the count, the N-th by time, the first large account among the new ones."""
    by_hour: dict[datetime, list[Any]] = {}
    for since, until in runs:
        where = conditions(session, MentionQuery(text=search.query, tz=tz, since=since, until=until))
        query = select(Mention.id, Mention.created_at, Mention.author_followers).where(*where)
        for row in session.execute(query.order_by(Mention.created_at, Mention.id)):
            by_hour.setdefault(hour_start(row.created_at, tz), []).append(row)
    hours = sorted(h for h, rows in by_hour.items() if any(r.id in new for r in rows))
    fired = _fired(session, search.id, hours)
    events = []
    for hour in hours:
        rows = by_hour[hour]
        per_hour, followers = search.rule_per_hour, search.rule_min_followers
        if per_hour is not None and (PER_HOUR, hour) not in fired and len(rows) >= per_hour:
            events.append(_fire(session, search, PER_HOUR, hour, rows[per_hour - 1].id, len(rows), now))
        if followers is not None and (FOLLOWERS, hour) not in fired:
            big = [r for r in rows if r.id in new and (r.author_followers or 0) >= followers]
            if big:
                events.append(_fire(session, search, FOLLOWERS, hour, big[0].id, len(rows), now))
    return [e for e in events if e is not None]


def _fired(session: Session, search_id: int, hours: list[datetime]) -> set[tuple[str, datetime]]:
    """(rule, hour) pairs among ``hours`` that already fired for the search."""
    if not hours:
        return set()
    query = select(SavedSearchFiring.rule, SavedSearchFiring.window_start).where(
        SavedSearchFiring.search_id == search_id,
        SavedSearchFiring.window_start >= hours[0],
        SavedSearchFiring.window_start <= hours[-1],
    )
    return {(rule, at) for rule, at in session.execute(query)}


def _fire(
    session: Session,
    search: SavedSearch,
    rule: str,
    hour: datetime,
    mention_id: int,
    count: int,
    now: datetime,
) -> SavedSearchAlert | None:
    """The firing, its inbox row and its event; None if another worker fired this hour first."""
    m = session.get(Mention, mention_id)
    assert m is not None
    threshold = search.rule_per_hour if rule == PER_HOUR else search.rule_min_followers
    firing = SavedSearchFiring(search_id=search.id, rule=rule, window_start=hour, mention_id=m.id,
                               count=count, fired_at=now)  # fmt: skip
    brand = (m.brands or ["-"])[0]
    details = {
        "reasons": [REASON],
        "created_wall": now.isoformat(),
        "saved_search": {
            "id": search.id,
            "name": search.name,
            "rule": rule,
            "threshold": threshold,
            "window_start": hour.isoformat(),
            "count": count,
        },
    }
    row = UrgentAlert(
        mention_id=m.id,
        brand=brand,
        conversation_key=f"saved-search:{search.id}:{rule}:{hour.strftime('%Y%m%dT%H%MZ')}",
        status="open",
        urgency=float(m.urgency or 0.0),
        mention_count=count,
        details=details,
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(firing)
            session.add(row)
            session.flush()
            firing.urgent_id = row.id
            session.flush()
    except IntegrityError:  # another worker fired this hour first: theirs pages
        return None
    quoted = {"text": clean_text(m.text, 500), "url": m.url, "author": m.author_handle or m.author_name,
              "followers": m.author_followers, "source": m.source}  # fmt: skip
    return SavedSearchAlert(
        brand=brand,
        severity="high",
        at=m.created_at,
        search_id=search.id,
        search_name=search.name,
        rule=rule,
        window_start=hour,
        count=count,
        threshold=int(threshold or 0),
        urgent_id=row.id,
        mention_id=m.id,
        text=quoted["text"],
        url=m.url,
        author=quoted["author"],
        followers=m.author_followers,
        source=m.source,
        explanation={"mentions": [quoted]},
    )
