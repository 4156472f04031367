"""A mention's corrections: the team teaches the model (``storage.corrections``, audited there).

Any role may correct (analysts label data, support agents fix what they handle); the correction is
recorded under the key's name and wins wherever the mention is shown or counted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from shenava.api.deps import Analyst, SessionDep
from shenava.api.responses import KEYED

router = APIRouter(prefix="/api/v1", tags=["corrections"], responses=KEYED)

Touchpoint = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")]


class CorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sentiment: Literal["negative", "neutral", "positive"] | None = None
    touchpoints: Annotated[list[Touchpoint] | None, Field(max_length=20)] = Field(
        default=None, description="The whole set of touchpoints ([] for none); omit to leave them."
    )
    reason: Annotated[str | None, Field(max_length=2000)] = None


class CorrectionOut(BaseModel):
    id: int
    at: datetime
    by: str
    reason: str | None
    old_sentiment: str | None
    new_sentiment: str | None
    old_touchpoints: list[str] | None
    new_touchpoints: list[str] | None


class MentionLabelsOut(BaseModel):
    mention_id: int
    sentiment: str
    touchpoints: list[str]
    model_sentiment: str
    model_score: float
    model_touchpoints: list[str]
    sentiment_model: str | None
    emotion: str | None
    corrections: list[CorrectionOut]


_NOT_FOUND = {404: {"description": "No mention with this id."}}


def _labels(session: SessionDep, mention_id: int) -> MentionLabelsOut:
    from storage.corrections import mention_labels

    labels = mention_labels(session, mention_id)
    return MentionLabelsOut(
        mention_id=labels.mention_id, sentiment=labels.sentiment, touchpoints=labels.touchpoints,
        model_sentiment=labels.model_sentiment, model_score=labels.model_score,
        model_touchpoints=labels.model_touchpoints, sentiment_model=labels.sentiment_model,
        emotion=labels.emotion,
        corrections=[CorrectionOut.model_validate(c, from_attributes=True) for c in labels.corrections],
    )  # fmt: skip


@router.post(
    "/mentions/{mention_id}/corrections",
    response_model=MentionLabelsOut,
    status_code=201,
    summary="Correct a mention's sentiment and/or touchpoints (any role; audited)",
    responses=_NOT_FOUND,
)
def post_correction(
    request: Request, mention_id: int, body: CorrectionIn, session: SessionDep, key: Analyst
) -> MentionLabelsOut:
    from storage.corrections import CorrectionError, MentionNotFoundError, correct_mention

    try:
        correct_mention(
            session, mention_id, sentiment=body.sentiment, touchpoints=body.touchpoints,
            by=f"api:{key.name}", reason=body.reason, ip=request.client.host if request.client else None,
        )  # fmt: skip
        session.commit()
    except MentionNotFoundError as exc:
        session.rollback()
        raise HTTPException(status_code=404, detail=str(exc)) from None
    except CorrectionError as exc:
        session.rollback()
        raise HTTPException(status_code=422, detail=str(exc)) from None
    return _labels(session, mention_id)


@router.get(
    "/mentions/{mention_id}/corrections",
    response_model=MentionLabelsOut,
    summary="The model's labels beside the effective ones, and the corrections",
    responses=_NOT_FOUND,
)
def get_corrections(mention_id: int, session: SessionDep, _: Analyst) -> MentionLabelsOut:
    from storage.corrections import MentionNotFoundError

    try:
        return _labels(session, mention_id)
    except MentionNotFoundError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
