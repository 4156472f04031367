"""Saved searches in storage, on SQLite and PostgreSQL: validation (the query's mistake with its
column), one name per owner, who sees what (private, a team, everyone), update and removal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from storage import accounts, saved_searches, teams
from storage.saved_searches import Fields, SavedSearch, SavedSearchError, SavedSearchFiring


def _people(session: Session) -> None:
    now = datetime.now(UTC)
    for name, role in (("ali", "analyst"), ("mina", "analyst"), ("sara", "support")):
        session.add(accounts.Account(name=name, display_name=name, role=role, password_hash="x",
                                     created_at=now, password_changed_at=now))  # fmt: skip
    session.flush()
    team = teams.Team(name="growth", display_name="رشد", created_at=now)
    session.add(team)
    session.flush()
    sara = session.scalar(select(accounts.Account.id).where(accounts.Account.name == "sara"))
    session.add(teams.TeamMember(team_id=team.id, account_id=sara, added_at=now))
    session.flush()


@pytest.fixture
def session(engine: Engine) -> Session:
    with Session(engine) as s:
        _people(s)
        yield s  # type: ignore[misc]


def test_a_bad_query_is_refused_with_the_column_of_the_mistake(session: Session) -> None:
    with pytest.raises(SavedSearchError) as raised:
        saved_searches.add(session, "ali", Fields(name="x", query="(سبزینو OR دیر"))
    assert raised.value.field == "query" and raised.value.query_error is not None
    assert raised.value.query_error.column == 15 and "column 15" in str(raised.value)
    for fields, field in (
        (Fields(name=" ", query="دیر"), "name"),
        (Fields(name="x", query=""), "query"),
        (Fields(name="x", query="دیر", sharing="world"), "sharing"),
        (Fields(name="x", query="دیر", sharing="team"), "team"),
        (Fields(name="x", query="دیر", rule_enabled=True), "rule_per_hour"),
        (Fields(name="x", query="دیر", rule_per_hour=0), "rule_per_hour"),
        (Fields(name="x", query="دیر", rule_min_followers=-1), "rule_min_followers"),
    ):
        with pytest.raises(SavedSearchError) as raised:
            saved_searches.add(session, "ali", fields)
        assert raised.value.field == field
    assert session.scalar(select(func.count()).select_from(SavedSearch)) == 0


def test_names_are_unique_per_owner_and_sharing_decides_who_reads(session: Session) -> None:
    mine = saved_searches.add(session, "ali", Fields(name="دیرکرد", query="brand:sabzino دیر"))
    saved_searches.add(session, "mina", Fields(name="دیرکرد", query="دیر", sharing="everyone"))
    saved_searches.add(session, "mina", Fields(name="تیم", query="سرد", sharing="team", team="growth"))
    with pytest.raises(SavedSearchError, match="already have"):
        saved_searches.add(session, "ali", Fields(name="دیرکرد", query="سرد"))

    def names(account: str | None) -> list[tuple[str, str]]:
        return [(s.owner, s.name) for s in saved_searches.list_visible(session, account)]

    assert names("ali") == [("ali", "دیرکرد"), ("mina", "دیرکرد")]
    assert names("sara") == [("mina", "تیم"), ("mina", "دیرکرد")]  # her team's and everyone's
    assert len(names(None)) == 3
    assert saved_searches.get_visible(session, mine.id, "mina") is None
    assert saved_searches.get_visible(session, mine.id, "ali") is mine


def test_update_keeps_the_row_and_remove_drops_its_firings(session: Session) -> None:
    row = saved_searches.add(session, "ali", Fields(name="a", query="دیر"))
    created = row.created_at
    saved_searches.update(session, row, Fields(name="b", query="سرد", rule_enabled=True, rule_per_hour=5))
    assert (row.name, row.query, row.rule_enabled, row.rule_per_hour, row.created_at) == (
        "b", "سرد", True, 5, created,
    )  # fmt: skip
    assert [s.id for s in saved_searches.with_rules(session)] == [row.id]
    session.add(SavedSearchFiring(search_id=row.id, rule="per_hour", window_start=created, count=5,
                                  fired_at=created))  # fmt: skip
    session.flush()
    assert len(saved_searches.firings(session, row.id)) == 1
    saved_searches.remove(session, row)
    session.commit()
    assert session.scalar(select(func.count()).select_from(SavedSearchFiring)) == 0
    assert saved_searches.list_visible(session, None) == []
    stored = saved_searches.add(session, "ali", Fields(name="c\x00", query="x\x00y"))  # NUL: not in PG text
    session.commit()
    assert (saved_searches.to_json(stored)["name"], stored.query) == ("c", "xy")
