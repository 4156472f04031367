"""Support endpoints: incidents (list, acknowledge, assign, resolve) and listener status."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from shenava.api.deps import Admin, Analyst, SessionDep, Support
from shenava.api.responses import INCIDENT, KEYED

router = APIRouter(prefix="/api/v1", tags=["support"], responses=KEYED)
ItemId = Annotated[int, Path(ge=1, le=2**62, description="Incident id.")]


class IncidentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    brand: str
    touchpoint: str | None = Field(
        description="The touchpoint series that opened it, or a brand-wide incident's first named touchpoint."
    )
    touchpoints: list[str] = Field(
        default_factory=list,
        description="The touchpoints whose excess over their own usual count explains the burst, the largest "
        "first: what its alerts, the inbox and the digest name.",
    )
    kind: str
    status: str
    severity: str
    opened_at: datetime = Field(description="Mention time of the bucket the incident opened in.")
    peak_at: datetime | None = Field(default=None, description="Mention time of its peak bucket.")
    ended_at: datetime | None = Field(
        default=None, description="Mention time the burst ended (the detector's resolution), if over."
    )
    backfilled: bool = Field(
        default=False, description="Found in past data (an import): recorded, not paged to any channel."
    )
    updated_at: datetime
    resolved_at: datetime | None = Field(description="Wall-clock time its status became resolved.")
    peak_count: float
    current_count: float
    baseline: float
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    assigned_to: str | None
    assigned_team: str | None = Field(default=None, description="The team it is assigned to, if any.")
    resolved_by: str | None

    @model_validator(mode="before")
    @classmethod
    def _mention_times(cls, data: Any) -> Any:
        """An ``Incident`` row's mention times and backfill flag live in its ``details``."""
        details = getattr(data, "details", None)
        if details is None:
            return data
        from alerts.workflow import incident_touchpoints, mention_times

        times = mention_times(data)
        fields = {name: getattr(data, name) for name in cls.model_fields if hasattr(data, name)}
        return {**fields, "peak_at": times["peak_at"], "ended_at": times["ended_at"],
                "touchpoints": incident_touchpoints(data),
                "backfilled": bool(details.get("backfilled"))}  # fmt: skip


class AssignBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: str | None = Field(default=None, min_length=1, max_length=128, description="Who takes the incident.")
    team: str | None = Field(
        default=None, min_length=1, max_length=64, description="The team that takes it; `-` for none."
    )

    @model_validator(mode="after")
    def _someone(self) -> AssignBody:
        if self.to is None and self.team is None:
            raise ValueError("give to (a person), team, or both")
        return self


class ResolveBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(default=None, max_length=2000, description="What was done.")


class ListenerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    key: str
    source: str
    last_run_at: datetime | None
    last_ok_at: datetime | None
    last_error_at: datetime | None
    last_error_kind: str | None
    last_error: str | None
    items_last_run: int
    items_total: int
    consecutive_failures: int


def _workflow_call(session: Any, action: Any, *args: Any, **kwargs: Any) -> IncidentOut:
    from alerts.workflow import WorkflowError, get_item, snapshot
    from storage import audit

    try:
        by = kwargs.get("by")  # a change (not a read): audited like the web app's actions
        before = snapshot(get_item(session, "incident", args[0])) if by else None
        item = action(session, "incident", *args, **kwargs)
        if by:
            audit.record(session, actor=f"api:{by}", action=action.__name__, target=f"incident:{item.id}",
                         old=before, new=snapshot(item))  # fmt: skip
        session.commit()
    except WorkflowError as exc:
        session.rollback()
        message = str(exc)
        raise HTTPException(status_code=404 if "does not exist" in message else 409, detail=message) from None
    return IncidentOut.model_validate(item)


@router.get("/incidents", response_model=list[IncidentOut], summary="List incidents, newest first")
def list_incidents(
    session: SessionDep,
    _: Analyst,
    status: Annotated[Literal["open", "acknowledged", "resolved", "active"] | None, Query()] = None,
    brand: Annotated[str | None, Query(max_length=128)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> list[IncidentOut]:
    from alerts.workflow import list_items

    return [IncidentOut.model_validate(i) for i in list_items(session, "incident", status=status, brand=brand,
                                                               limit=limit)]  # fmt: skip


@router.get("/incidents/{item_id}", response_model=IncidentOut, summary="One incident", responses=INCIDENT)
def get_incident(item_id: ItemId, session: SessionDep, _: Analyst) -> IncidentOut:
    from alerts.workflow import get_item

    return _workflow_call(session, lambda s, kind, i: get_item(s, kind, i), item_id)


@router.post(
    "/incidents/{item_id}/acknowledge",
    response_model=IncidentOut,
    summary="Acknowledge (support)",
    responses=INCIDENT,
)
def acknowledge_incident(item_id: ItemId, session: SessionDep, key: Support) -> IncidentOut:
    from alerts.workflow import acknowledge

    return _workflow_call(session, acknowledge, item_id, by=key.name)


@router.post(
    "/incidents/{item_id}/assign", response_model=IncidentOut, summary="Assign (support)", responses=INCIDENT
)
def assign_incident(item_id: ItemId, body: AssignBody, session: SessionDep, key: Support) -> IncidentOut:
    from alerts.workflow import assign

    return _workflow_call(session, assign, item_id, to=body.to, team=body.team, by=key.name)


@router.post(
    "/incidents/{item_id}/resolve",
    response_model=IncidentOut,
    summary="Resolve (support)",
    responses=INCIDENT,
)
def resolve_incident(
    item_id: ItemId, session: SessionDep, key: Support, body: ResolveBody | None = None
) -> IncidentOut:
    from alerts.workflow import resolve

    return _workflow_call(session, resolve, item_id, by=key.name, note=body.note if body else None)


@router.get("/listeners", response_model=list[ListenerOut], summary="Listener health")
def listeners(session: SessionDep, _: Analyst) -> list[ListenerOut]:
    from shenava.service.health import listener_health

    # the one health read model (as `shenava status`), limited to listeners that have run

    return [ListenerOut.model_validate(h) for h in listener_health(session) if h.has_run]


@router.get("/keys", summary="Configured API keys: names and roles, never keys (admin)")
def keys(request: Request, _: Admin) -> list[dict[str, str]]:
    return [{"name": k.name, "role": k.role} for k in request.app.state.keys.keys]
