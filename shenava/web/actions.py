"""Actions on an inbox item from a page: the workflow's functions, each written to the audit log
with the values before and after, in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from alerts import workflow
from storage import audit

ACTIONS = ("acknowledge", "assign", "assign_team", "snooze", "resolve", "note", "not_relevant", "reply")
MAX_SNOOZE_MINUTES = 7 * 24 * 60


class ActionError(ValueError):
    """The action is unknown, its input is invalid, or the item's state does not allow it."""


def perform(
    session: Session, kind: str, item_id: int, action: str, form: Any, *, actor: str, ip: str | None
) -> Any:
    """Run ``action`` on ``kind`` #``item_id`` with the posted ``form`` values; raises ``ActionError``."""
    if action not in ACTIONS or kind not in ("incident", "urgent"):
        raise ActionError(f"unknown action {action!r}")
    try:
        item = workflow.get_item(session, kind, item_id)  # type: ignore[arg-type]
        old = workflow.snapshot(item)
        extra: dict[str, Any] = {}
        text = str(form.get("text") or "").strip()[:4000] or None
        if action == "acknowledge":
            workflow.acknowledge(session, kind, item_id, by=actor)  # type: ignore[arg-type]
        elif action == "assign":
            to = str(form.get("to") or "").strip() or actor
            workflow.assign(session, kind, item_id, to=to, by=actor)  # type: ignore[arg-type]
        elif action == "assign_team":  # "-" (or nothing chosen) takes the team off
            team = str(form.get("team") or "").strip() or workflow.NO_TEAM
            workflow.assign(session, kind, item_id, team=team, by=actor)  # type: ignore[arg-type]
        elif action == "snooze":
            minutes = _minutes(form.get("minutes"))
            until = datetime.now(UTC) + timedelta(minutes=minutes)
            workflow.snooze(session, kind, item_id, until=until, by=actor)  # type: ignore[arg-type]
        elif action == "resolve":
            workflow.resolve(session, kind, item_id, by=actor, note=text)  # type: ignore[arg-type]
            extra["reason"] = text
        elif action == "note":
            workflow.add_note(session, kind, item_id, text=text or "", by=actor)  # type: ignore[arg-type]
            extra["note"] = text
        elif action == "reply":  # sent by hand at the source ("open and copy"); recorded here
            workflow.record_reply(session, kind, item_id, text=text or "", by=actor)  # type: ignore[arg-type]
            extra["reply"] = text
        else:
            workflow.not_relevant(session, kind, item_id, by=actor, note=text)  # type: ignore[arg-type]
            extra["reason"] = text
    except workflow.WorkflowError as exc:
        raise ActionError(str(exc)) from None
    new = {**workflow.snapshot(item), **{k: v for k, v in extra.items() if v}}
    audit.record(session, actor=actor, action=action, target=f"{kind}:{item_id}", old=old, new=new, ip=ip)
    return item


def _minutes(value: Any) -> int:
    try:
        minutes = int(str(value or "60"))
    except ValueError:
        raise ActionError("snooze needs a number of minutes") from None
    if not 1 <= minutes <= MAX_SNOOZE_MINUTES:
        raise ActionError(f"snooze between 1 and {MAX_SNOOZE_MINUTES} minutes")
    return minutes
