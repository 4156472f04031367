"""What the archive keeps of mentions it no longer holds: daily counts (migration 0003).

Retention (``storage.retention``) adds each mention to these counts in the transaction that
deletes it, so trends and share of voice over old periods survive the mentions themselves. One
row per local day, source, brand, sentiment and touchpoint; ``brand`` is ``""`` for a mention
naming none; ``touchpoint`` ``"*"`` rows count every mention once per brand, the other rows once
per touchpoint it carries (so ``"*"`` rows are the totals).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base

ALL_TOUCHPOINTS = "*"


class RetainedCount(Base):
    __tablename__ = "retained_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand: Mapped[str] = mapped_column(String(128), primary_key=True)
    sentiment: Mapped[str] = mapped_column(String(16), primary_key=True)
    touchpoint: Mapped[str] = mapped_column(String(64), primary_key=True)
    mentions: Mapped[int] = mapped_column(Integer, default=0)
