"""``GET /api/v1/sla``: SLA met % per brand and per agent over a period (issue 12 item 6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

from shenava.api.deps import Analyst, SessionDep
from shenava.api.responses import KEYED, _answer

router = APIRouter(prefix="/api/v1", tags=["support"], responses=KEYED)


class SlaFiguresOut(BaseModel):
    name: str | None = Field(description="The brand, or the agent (null: breaches nobody was assigned).")
    met: int = Field(description="Responses by the deadline.")
    breached: int = Field(description="Deadlines passed without the response.")
    running: int = Field(default=0, description="Deadlines in the period not judged yet (brands only).")
    met_percent: float | None = Field(description="100 × met / (met + breached); null when none was decided.")


class SlaTargetsOut(BaseModel):
    brand: str
    first_response_minutes: float = Field(description="Working minutes to answer an urgent mention.")
    acknowledge_minutes: float = Field(description="Working minutes to acknowledge an incident.")
    escalate_to: list[str] = Field(description="Channels a breach is sent to once.")


class SlaOut(BaseModel):
    since: datetime = Field(description="Start of the period (deadlines at or after it).")
    until: datetime = Field(description="End of the period (deadlines before it).")
    overall: SlaFiguresOut
    brands: list[SlaFiguresOut]
    agents: list[SlaFiguresOut]
    targets: list[SlaTargetsOut] = Field(description="Each configured brand's targets (working minutes).")


def _out(figures: object) -> SlaFiguresOut:
    share = figures.met_share  # type: ignore[attr-defined]
    return SlaFiguresOut(
        name=figures.name,  # type: ignore[attr-defined]
        met=figures.met,  # type: ignore[attr-defined]
        breached=figures.breached,  # type: ignore[attr-defined]
        running=figures.running,  # type: ignore[attr-defined]
        met_percent=None if share is None else round(100 * share, 1),
    )


@router.get(
    "/sla",
    response_model=SlaOut,
    summary="SLA met % per brand and agent",
    responses={400: _answer("The period is empty (since is not before until) or out of range.")},
)
def sla(
    request: Request,
    session: SessionDep,
    _: Analyst,
    brand: Annotated[str | None, Query(max_length=128, description="One brand only.")] = None,
    kind: Annotated[
        Literal["incident", "urgent"] | None, Query(description="Incidents (acknowledge) or urgent mentions.")
    ] = None,
    days: Annotated[int, Query(ge=1, le=366, description="The last N days (when since is not given).")] = 7,
    since: Annotated[
        datetime | None, Query(description="Start (ISO 8601 with offset); default: now − days.")
    ] = None,
    until: Annotated[datetime | None, Query(description="End (ISO 8601 with offset); default: now.")] = None,
) -> SlaOut:
    from alerts.sla_report import sla_report

    try:
        end = _aware(until) or datetime.now(UTC)
        start = _aware(since) or end - timedelta(days=days)
    except OverflowError:
        raise HTTPException(status_code=400, detail="since/until out of range") from None
    if start >= end:
        raise HTTPException(status_code=400, detail="since must be before until")
    report = sla_report(session, start, end, brand=brand, kind=kind)
    settings = request.app.state.settings
    targets = []
    for b in getattr(settings, "brands", []):
        if b.competitor or (brand and b.name != brand):
            continue
        t = settings.sla.targets(b.name)
        targets.append(
            SlaTargetsOut(
                brand=b.name,
                first_response_minutes=float(t.first_response_minutes or 0),
                acknowledge_minutes=float(t.acknowledge_minutes or 0),
                escalate_to=list(t.escalate_to or []),
            )
        )
    return SlaOut(
        since=start,
        until=end,
        overall=_out(report.overall),
        brands=[_out(b) for b in report.brands],
        agents=[_out(a) for a in report.agents],
        targets=targets,
    )


def _aware(moment: datetime | None) -> datetime | None:
    """In UTC (a time without an offset is read as UTC); OverflowError at the calendar's ends."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
