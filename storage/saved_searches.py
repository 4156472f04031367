"""Saved searches and their alert rules (issue 13 item 4).

A saved search is a name and a boolean query (``storage.boolean_query``; a query the grammar cannot
read is refused with the column of the mistake), owned by one account and shared with nobody
(``private``), with one team (``team``, by name as ``storage.teams`` names teams) or with everyone.
Its alert rule is two optional conditions on matching mentions, judged per local clock hour of
the mentions' own time: at least ``rule_per_hour`` of them, or any one whose author has at least
``rule_min_followers`` followers. ``saved_search_firings`` records each (search, rule, hour) that
fired; its unique key is what makes an hour fire once, across restarts and workers.
``alerts.saved_search_rules`` evaluates the rules; the pages, API and CLI call the functions here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.models import Base
from storage.types import IdType, UTCDateTime

if TYPE_CHECKING:
    from storage.boolean_query import QueryError

SHARINGS = ("private", "team", "everyone")
RULES = ("per_hour", "followers")
MAX_NAME = 200
MAX_QUERY = 1000
MAX_PER_HOUR = 1_000_000
MAX_FOLLOWERS = 2_000_000_000


class SavedSearchError(ValueError):
    """A saved search that cannot be stored as given; ``field`` names the input at fault.

    For a query the grammar cannot read, ``query_error`` is the grammar's ``QueryError`` (its
    column points at the mistake)."""

    def __init__(self, message: str, field: str, query_error: QueryError | None = None) -> None:
        super().__init__(message)
        self.field, self.query_error = field, query_error


class SavedSearch(Base):
    __tablename__ = "saved_searches"
    __table_args__ = (
        UniqueConstraint("owner", "name", name="uq_saved_searches_owner_name"),
        Index("ix_saved_searches_rule_enabled", "rule_enabled"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    query: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(128))
    sharing: Mapped[str] = mapped_column(String(16), default="private")
    team: Mapped[str | None] = mapped_column(String(64))
    rule_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    rule_per_hour: Mapped[int | None] = mapped_column(Integer)
    rule_min_followers: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SavedSearchFiring(Base):
    """One rule of one saved search that fired for one hour of mention time."""

    __tablename__ = "saved_search_firings"
    __table_args__ = (
        UniqueConstraint("search_id", "rule", "window_start", name="uq_saved_search_firings_window"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    search_id: Mapped[int] = mapped_column(IdType, ForeignKey("saved_searches.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(16))
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    mention_id: Mapped[int | None] = mapped_column(IdType)  # the mention that made it fire
    count: Mapped[int] = mapped_column(Integer, default=0)  # matches in the hour when it fired
    urgent_id: Mapped[int | None] = mapped_column(IdType)  # its row in the inbox
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime)  # wall clock


@dataclass(frozen=True)
class Fields:
    """What a person gives for a saved search (the form, the API body, the CLI's options)."""

    name: str
    query: str
    sharing: str = "private"
    team: str | None = None
    rule_enabled: bool = False
    rule_per_hour: int | None = None
    rule_min_followers: int | None = None


def validate(fields: Fields, tz: str = "Asia/Tehran") -> Fields:
    """``fields`` cleaned, or ``SavedSearchError`` naming the field (the query's with its column)."""
    # NUL cannot be stored in PostgreSQL text; it means nothing in a name or a query
    name, query = ((value or "").replace("\x00", "").strip() for value in (fields.name, fields.query))
    if not name:
        raise SavedSearchError("a saved search needs a name", "name")
    if len(name) > MAX_NAME:
        raise SavedSearchError(f"the name is longer than {MAX_NAME} characters", "name")
    if not query:
        raise SavedSearchError("a saved search needs a query", "query")
    if len(query) > MAX_QUERY:
        raise SavedSearchError(f"the query is longer than {MAX_QUERY} characters", "query")
    from storage.boolean_query import QueryError, plan_query  # late: storage.models imports this module

    try:
        plan_query(query, tz)
    except QueryError as exc:
        raise SavedSearchError(str(exc), "query", exc) from None
    if fields.sharing not in SHARINGS:
        raise SavedSearchError(f"sharing is one of {', '.join(SHARINGS)}", "sharing")
    team = (fields.team or "").strip() or None
    if fields.sharing == "team" and team is None:
        raise SavedSearchError("sharing with a team needs the team's name", "team")
    per_hour = _bounded(fields.rule_per_hour, "rule_per_hour", 1, MAX_PER_HOUR)
    followers = _bounded(fields.rule_min_followers, "rule_min_followers", 0, MAX_FOLLOWERS)
    if fields.rule_enabled and per_hour is None and followers is None:
        raise SavedSearchError("an alert rule needs mentions per hour or a follower count", "rule_per_hour")
    return Fields(name, query, fields.sharing, team if fields.sharing == "team" else None,
                  fields.rule_enabled, per_hour, followers)  # fmt: skip


def _bounded(value: int | None, field: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SavedSearchError(f"{field} is a whole number from {low} to {high:,}", field)
    return value


def teams_of(session: Session, account: str) -> list[str]:
    """The names of the teams ``account`` belongs to (``storage.teams``' tables)."""
    from storage.accounts import Account

    try:  # late: storage.models imports this module first
        from storage.teams import Team, TeamMember
    except ImportError:  # a checkout without teams (issue 12): sharing is private or everyone
        return []

    query = (
        select(Team.name)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .join(Account, Account.id == TeamMember.account_id)
        .where(Account.name == account)
    )
    return sorted(session.scalars(query))


def visible_clause(session: Session, account: str) -> Any:
    """Searches ``account`` may read: its own, shared with everyone, or with one of its teams."""
    teams = teams_of(session, account)
    shared_team = (SavedSearch.sharing == "team") & SavedSearch.team.in_(teams) if teams else False
    return or_(SavedSearch.owner == account, SavedSearch.sharing == "everyone", shared_team)


def list_visible(session: Session, account: str | None) -> list[SavedSearch]:
    """Every search ``account`` may read (None: every search, for the CLI), by name."""
    query = select(SavedSearch).order_by(SavedSearch.name, SavedSearch.id)
    if account is not None:
        query = query.where(visible_clause(session, account))
    return list(session.scalars(query))


def get_visible(session: Session, search_id: int, account: str | None) -> SavedSearch | None:
    query = select(SavedSearch).where(SavedSearch.id == search_id)
    if account is not None:
        query = query.where(visible_clause(session, account))
    return session.scalar(query)


def _unique_name(session: Session, owner: str, name: str, search_id: int | None = None) -> None:
    query = select(SavedSearch.id).where(SavedSearch.owner == owner, SavedSearch.name == name)
    if search_id is not None:
        query = query.where(SavedSearch.id != search_id)
    if session.scalar(query) is not None:
        raise SavedSearchError(f"you already have a saved search named {name!r}", "name")


def add(session: Session, owner: str, fields: Fields, *, tz: str = "Asia/Tehran",
        now: datetime | None = None) -> SavedSearch:  # fmt: skip
    """Store a new saved search for ``owner`` (in the caller's transaction)."""
    clean = validate(fields, tz)
    _unique_name(session, owner, clean.name)
    now = now or datetime.now(UTC)
    row = SavedSearch(owner=owner, created_at=now, updated_at=now, **_columns(clean))
    session.add(row)
    session.flush()
    return row


def update(session: Session, row: SavedSearch, fields: Fields, *, tz: str = "Asia/Tehran",
           now: datetime | None = None) -> SavedSearch:  # fmt: skip
    clean = validate(fields, tz)
    _unique_name(session, row.owner, clean.name, row.id)
    for key, value in _columns(clean).items():
        setattr(row, key, value)
    row.updated_at = now or datetime.now(UTC)
    session.flush()
    return row


def remove(session: Session, row: SavedSearch) -> None:
    session.query(SavedSearchFiring).filter(SavedSearchFiring.search_id == row.id).delete()
    session.delete(row)
    session.flush()


def with_rules(session: Session) -> list[SavedSearch]:
    """The searches whose alert rule is on."""
    query = select(SavedSearch).where(SavedSearch.rule_enabled.is_(True)).order_by(SavedSearch.id)
    return list(session.scalars(query))


def firings(session: Session, search_id: int, limit: int = 20) -> list[SavedSearchFiring]:
    """The hours this search fired for, newest first."""
    query = (
        select(SavedSearchFiring)
        .where(SavedSearchFiring.search_id == search_id)
        .order_by(SavedSearchFiring.window_start.desc(), SavedSearchFiring.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def to_json(row: SavedSearch) -> dict[str, Any]:
    fields = {name: getattr(row, name) for name in _FIELDS}
    return {"id": row.id, "owner": row.owner, **fields,
            "created_at": row.created_at.isoformat(), "updated_at": row.updated_at.isoformat()}  # fmt: skip


#: the columns a person sets: ``Fields``' names are the columns' names
_FIELDS = tuple(f.name for f in dataclasses.fields(Fields))


def _columns(clean: Fields) -> dict[str, Any]:
    return dataclasses.asdict(clean)
