"""A brand's spike incidents as the machine and the folding look them up."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.workflow import ACTIVE_STATUSES
from storage.models import Incident

SPIKE = "spike"


def active_incident(session: Session, brand: str) -> Incident | None:
    """The brand's newest spike incident that is still open or acknowledged."""
    return session.scalars(
        select(Incident)
        .where(Incident.brand == brand, Incident.status.in_(ACTIVE_STATUSES), Incident.kind == SPIKE)
        .order_by(Incident.id.desc())
        .limit(1)
    ).first()


def latest_incident(session: Session, brand: str) -> Incident | None:
    """The brand's newest spike incident, whatever its status."""
    return session.scalars(
        select(Incident)
        .where(Incident.brand == brand, Incident.kind == SPIKE)
        .order_by(Incident.id.desc())
        .limit(1)
    ).first()
