"""The team tables: teams of support people and who belongs to which.

Created by migration ``0007_teams``. An incident or urgent alert carries its team by name
(``assigned_team``, beside ``assigned_to``), as it carries its person: a name stays readable in the
history after the team is gone. Reading and changing teams: ``storage.team_store`` (this module only
defines the tables, so ``storage.models`` can import it without a cycle).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from storage.types import IdType, UTCDateTime


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TeamMember(Base):
    __tablename__ = "team_members"

    team_id: Mapped[int] = mapped_column(IdType, ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
