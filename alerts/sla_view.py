"""The SLA as the inbox shows it: each row's deadline and state, and the met-% panel.

Rows read their record (``storage.sla_records``); a record the tracker has not judged yet is
``breached`` here as soon as its deadline has passed, so the inbox says «گذشته» on time even
between two passes of the job. Words come from ``alerts.messages``, in the web's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session

from alerts.messages import Words
from alerts.sla import WorkingWeek, working_minutes
from alerts.sla_report import SlaFigures, sla_report
from storage import sla_records
from storage.sla_records import BREACHED, MET, VOID

RUNNING, OVERDUE, LATE = "running", "overdue", "late"
PANEL_DAYS = 7


class SlaRow(Protocol):
    kind: str
    id: int
    sla_deadline: datetime | None
    sla_state: str | None


def state_of(outcome: str | None, responded: bool, deadline: datetime, now: datetime) -> str:
    """running (the clock runs) | overdue (deadline passed, unanswered) | late (answered after it) |
    met | void. A response the tracker has not judged yet counts by when it is seen."""
    if outcome in (MET, VOID):
        return outcome
    if outcome == BREACHED or now >= deadline:
        return LATE if responded else OVERDUE
    return MET if responded else RUNNING


def annotate(session: Session, items: Sequence[SlaRow], now: datetime | None = None) -> None:
    """Set ``sla_deadline`` and ``sla_state`` on each inbox row that has a record."""
    now = now or datetime.now(UTC)
    records = sla_records.lookup(session, [(i.kind, i.id) for i in items])
    for item in items:
        record = records.get((item.kind, item.id))
        if record is None:
            continue
        item.sla_deadline = record.deadline
        # an acknowledged incident has had its response, even before the tracker's next pass
        seen = item.kind == "incident" and bool(getattr(item, "acknowledged_by", None))
        responded = record.responded_at is not None or seen
        item.sla_state = state_of(record.outcome, responded, record.deadline, now)


@dataclass(frozen=True)
class SlaPanel:
    """The inbox's summary: met % per brand and agent over the last days, in words."""

    words: Words
    week: WorkingWeek
    brands: list[SlaFigures]
    agents: list[SlaFigures]
    brand_names: dict[str, str]

    def percent(self, figures: SlaFigures) -> str:
        return self.words.percent(figures.met_share)

    def brand_line(self, f: SlaFigures) -> str:
        name = self.brand_names.get(f.name or "", f.name or "")
        return self.words.t("sla.brand_line", brand=name, **self._counts(f))

    def agent_line(self, f: SlaFigures) -> str:
        return self.words.t(
            "sla.agent_line", agent=f.name or self.words.t("sla.unassigned"), **self._counts(f)
        )

    def _counts(self, f: SlaFigures) -> dict[str, str]:
        w = self.words
        return {"percent": self.percent(f), "met": w.number(f.met), "total": w.number(f.total)}

    def left(self, item: SlaRow, now: datetime | None = None) -> str:
        """«۱۲ دقیقهٔ کاری مانده» while the clock runs, «گذشته» once overdue, «در مهلت» when met."""
        if item.sla_deadline is None or item.sla_state in (None, VOID):
            return ""
        if item.sla_state == OVERDUE:
            return self.words.t("sla.passed")
        if item.sla_state in (MET, LATE):
            return self.words.t(f"sla.{item.sla_state}")
        minutes = int(working_minutes(now or datetime.now(UTC), item.sla_deadline, self.week) + 0.999)
        if minutes >= 60:
            return self.words.t(
                "sla.left_hours",
                hours=self.words.digits(minutes // 60),
                minutes=self.words.digits(minutes % 60),
            )
        return self.words.t("sla.left", minutes=self.words.digits(max(minutes, 1)))

    def deadline(self, item: SlaRow) -> str:
        return (
            self.words.t("sla.deadline", when=self.words.when(item.sla_deadline)) if item.sla_deadline else ""
        )


def clock(settings: Any, language: str) -> SlaPanel | None:
    """The words and working week for one item's deadline (the detail page), without the figures
    of the panel; None without an ``sla`` section."""
    if getattr(settings, "sla", None) is None:
        return None
    week = settings.sla.working_week.week(settings.timezone)
    return SlaPanel(Words(language, settings.timezone), week, brands=[], agents=[], brand_names={})


def panel(session: Session, settings: Any, language: str, now: datetime | None = None) -> SlaPanel | None:
    """The panel from the root settings (``settings.sla``, brands, time zone) in ``language``;
    None without an ``sla`` section (an app built over partial settings)."""
    from alerts.messages import brand_display_names

    if getattr(settings, "sla", None) is None:
        return None
    now = now or datetime.now(UTC)
    report = sla_report(session, now - timedelta(days=PANEL_DAYS), now)
    return SlaPanel(
        words=Words(language, settings.timezone),
        week=settings.sla.working_week.week(settings.timezone),
        brands=[b for b in report.brands if b.total],
        agents=report.agents,
        brand_names=brand_display_names(settings.brands, language),
    )
