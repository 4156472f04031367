"""A person corrects a mention's sentiment and/or touchpoints: the one call CLI, API and web inbox use.

The mention row keeps the EFFECTIVE values (``sentiment_label``, ``sentiment_score``, ``aspects`` and
its ``mention_aspects`` rows), updated in the same transaction as the append-only
``mention_corrections`` row and the audit record. So every reader (search, export, aggregates, the
digest, the spike detector's series) sees the correction without a join. The model's own output is
moved to ``model_sentiment_label``/``model_sentiment_score``/``model_aspects`` on the first correction
and never changes after that; each correction row keeps the value it replaced.

The spike detector (``alerts.spike_pass``) counts each bucket once, when the watermark closes it:
a correction to a mention in a bucket not yet closed is counted as corrected; a bucket already judged
is not judged again (its detector state and any incident stay as they were), but every later look at
the data (search, aggregates, the digest, an incident's explanation) shows the corrected value.

A corrected sentiment's score is the person's certainty: -1, 0 or +1 (the model's stays in
``model_sentiment_score``). The full-text index is untouched: it covers ``normalized_text`` only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage import audit, rollups
from storage.models import Mention, MentionAspect, MentionCorrection
from storage.types import require_aware

SENTIMENT_SCORES = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}
MAX_TOUCHPOINTS = 20
MAX_REASON_CHARS = 2_000
ACTION = "mention.correct"


class CorrectionError(ValueError):
    """The correction cannot be applied (the message says why)."""


class MentionNotFoundError(CorrectionError, LookupError):
    """No mention has this id."""


def _touchpoints(values: Sequence[str]) -> list[str]:
    names: list[str] = []
    for value in values:
        name = unicodedata.normalize("NFC", str(value)).strip()
        if not name:
            continue
        if len(name) > MentionAspect.__table__.c.aspect.type.length or any(
            unicodedata.category(c).startswith("C") for c in name
        ):
            raise CorrectionError(f"touchpoint {name[:80]!r} is too long or has control characters")
        if name not in names:
            names.append(name)
    if len(names) > MAX_TOUCHPOINTS:
        raise CorrectionError(f"at most {MAX_TOUCHPOINTS} touchpoints")
    return names


def correct_mention(
    session: Session,
    mention_id: int,
    *,
    sentiment: str | None = None,
    touchpoints: Sequence[str] | None = None,
    by: str,
    reason: str | None = None,
    at: datetime | None = None,
    ip: str | None = None,
) -> MentionCorrection:
    """Record and apply a correction in ``session``'s transaction (the caller commits).

    ``touchpoints`` replaces the whole set (an empty list: no touchpoint). A correction equal to
    the current values is still recorded: a confirmation teaches the model too. Raises
    ``MentionNotFoundError`` or ``CorrectionError`` (bad label, touchpoint or name; nothing given).
    """
    if sentiment is None and touchpoints is None:
        raise CorrectionError("give a sentiment and/or touchpoints to correct")
    if sentiment is not None and sentiment not in SENTIMENT_SCORES:
        raise CorrectionError(f"sentiment must be one of {', '.join(SENTIMENT_SCORES)}, not {sentiment!r}")
    new_aspects = _touchpoints(touchpoints) if touchpoints is not None else None
    by = (by or "").strip()
    if not by:
        raise CorrectionError("a correction needs the name of who made it")
    when = require_aware(at or datetime.now(UTC), "correction time")
    # FOR UPDATE: two people correcting the same mention at once apply one after the other
    mention = session.scalars(select(Mention).where(Mention.id == mention_id).with_for_update()).first()
    if mention is None:
        raise MentionNotFoundError(f"no mention with id {mention_id}")
    counted = rollups.read_dims(session.connection(), [mention.id])  # what the rollups hold now
    if mention.corrected_at is None:  # the model's output, kept once and for all
        mention.model_sentiment_label = mention.sentiment_label
        mention.model_sentiment_score = mention.sentiment_score
        mention.model_aspects = list(mention.aspects or [])
    correction = MentionCorrection(
        mention_id=mention.id, at=when, by=by[:128],
        reason=(reason or "").strip()[:MAX_REASON_CHARS] or None,
    )  # fmt: skip
    if sentiment is not None:
        correction.old_sentiment, correction.new_sentiment = mention.sentiment_label, sentiment
        mention.sentiment_label = sentiment
        mention.sentiment_score = SENTIMENT_SCORES[sentiment]
    if new_aspects is not None:
        correction.old_touchpoints, correction.new_touchpoints = list(mention.aspects or []), new_aspects
        mention.aspects = new_aspects
        session.execute(delete(MentionAspect).where(MentionAspect.mention_id == mention.id))
        session.add_all(
            MentionAspect(mention_id=mention.id, aspect=a, created_at=mention.created_at) for a in new_aspects
        )
    mention.corrected_at = when
    session.add(correction)
    audit.record(
        session, actor=by, action=ACTION, target=f"mention:{mention.id}", ip=ip, at=when,
        old=_fields(correction.old_sentiment, correction.old_touchpoints, sentiment, new_aspects),
        new=_fields(correction.new_sentiment, correction.new_touchpoints, sentiment, new_aspects)
        | ({"reason": correction.reason} if correction.reason else {}),
    )  # fmt: skip
    session.flush()
    # the correction wins in the rollups too: the old labels uncounted, the new ones counted
    conn = session.connection()
    rollups.apply(conn, rollups.combine(rollups.deltas(rollups.read_dims(conn, [mention.id])),
                                        rollups.deltas(counted)))  # fmt: skip
    return correction


def _fields(
    label: str | None, aspects: list[str] | None, sentiment: str | None, touchpoints: list[str] | None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if sentiment is not None:
        out["sentiment"] = label
    if touchpoints is not None:
        out["touchpoints"] = aspects
    return out


def corrections_of(session: Session, mention_id: int) -> list[MentionCorrection]:
    """The mention's correction history, oldest first."""
    query = select(MentionCorrection).where(MentionCorrection.mention_id == mention_id)
    return list(session.scalars(query.order_by(MentionCorrection.id)))


@dataclass(frozen=True)
class MentionLabels:
    """What the model said and what counts now, for ``shenava mentions show`` and the API."""

    mention_id: int
    model_sentiment: str
    model_score: float
    model_touchpoints: list[str]
    sentiment: str
    touchpoints: list[str]
    sentiment_model: str | None
    emotion: str | None
    corrections: list[MentionCorrection]

    @property
    def corrected(self) -> bool:
        return bool(self.corrections)


def mention_labels(session: Session, mention_id: int) -> MentionLabels:
    mention = session.get(Mention, mention_id)
    if mention is None:
        raise MentionNotFoundError(f"no mention with id {mention_id}")
    corrected = mention.corrected_at is not None
    return MentionLabels(
        mention_id=mention.id,
        model_sentiment=mention.model_sentiment_label if corrected else mention.sentiment_label,
        model_score=mention.model_sentiment_score if corrected else mention.sentiment_score,  # type: ignore[arg-type]
        model_touchpoints=list((mention.model_aspects if corrected else mention.aspects) or []),
        sentiment=mention.sentiment_label,
        touchpoints=list(mention.aspects or []),
        sentiment_model=mention.sentiment_model,
        emotion=mention.emotion,
        corrections=corrections_of(session, mention.id),
    )


def sentiment_corrections(session: Session, *, since: datetime | None = None) -> list[tuple[str, str]]:
    """(text, corrected label) of every mention whose sentiment a person corrected, latest
    correction per mention: the team's training examples for ``shenava model train``."""
    query = (
        select(Mention.text, Mention.sentiment_label)
        .where(Mention.corrected_at.is_not(None))
        .where(
            Mention.id.in_(
                select(MentionCorrection.mention_id).where(MentionCorrection.new_sentiment.is_not(None))
            )
        )
        .order_by(Mention.id)
    )
    if since is not None:
        query = query.where(Mention.corrected_at >= since)
    return [(text, label) for text, label in session.execute(query)]
