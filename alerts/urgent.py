"""Urgent single mentions: alert at once, once per brand and conversation.

What a mention says is decided by NLP (``nlp.urgency``): its urgency score and the alert crisis
words it contains (``signals["crisis_terms"]``). This module only applies the alert rules: a
mention is urgent when its score reaches the threshold, when a large account complains
(negative, and about a touchpoint or tagging the brand), when NLP found crisis words, or when a
question to the brand stays unanswered by the brand's own handles for
``unanswered_question_minutes`` (judged on event time).
Later mentions in the same conversation only bump the existing alert's ``mention_count``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alerts.events import UrgentMention
from alerts.own_accounts import handle_key
from alerts.settings import UrgencySettings
from alerts.text import clean_text
from alerts.workflow import OPEN, acknowledge, record_reply
from domain.brands import BrandSettings
from storage.models import DetectorState, Mention, UrgentAlert

UNANSWERED_KEY = "alerts:unanswered"
_QUESTION = re.compile(r"[?؟]")
_FIRST_LOOKBACK = timedelta(hours=6)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ID_CHUNK = 500


def conversation_key(m: Mention) -> str:
    return f"{m.source}:{m.conversation_id or m.external_id}"


class UrgentDetector:
    def __init__(self, rules: UrgencySettings, brands: Sequence[BrandSettings]) -> None:
        self.rules = rules
        self.own = {b.name: b for b in brands if not b.competitor}
        self.handles = {name: {handle_key(h) for h in b.handles} for name, b in self.own.items()}

    def reasons(self, m: Mention) -> list[str]:
        reasons = []
        if (m.urgency or 0.0) >= self.rules.threshold:
            reasons.append("urgency")
        negative = m.sentiment_label == "negative"
        # A complaint names a touchpoint or tags the brand; a big outlet's neutral news the model
        # misreads as negative does neither.
        complaint = negative and (bool(m.aspects) or any(self._addressed(m, b) for b in self.own))
        if complaint and (m.author_followers or 0) >= self.rules.large_account_followers:
            reasons.append("large_account")
        if (m.signals or {}).get("crisis_terms"):
            reasons.append("crisis_words")
        return reasons

    def _is_brand_author(self, m: Mention, brand: str) -> bool:
        return handle_key(m.author_handle) in self.handles.get(brand, set())

    def check(self, session: Session, mention_ids: list[int], now: datetime) -> list[UrgentMention]:
        """Urgent alerts for newly stored mentions, in id order (in the caller's transaction)."""
        events = []
        for chunk in range(0, len(mention_ids), _ID_CHUNK):  # bounded IN lists (SQLite variable limit)
            ids = mention_ids[chunk : chunk + _ID_CHUNK]
            for m in list(session.scalars(select(Mention).where(Mention.id.in_(ids)).order_by(Mention.id))):
                events += self.judge(session, m, now)
        return events

    def judge(self, session: Session, m: Mention, now: datetime) -> list[UrgentMention]:
        """One mention: a brand's reply acknowledges its thread; an urgent one raises its alert."""
        self._mark_answered(session, m, now)
        reasons = self.reasons(m)
        return self._raise(session, m, reasons, now) if reasons else []

    def _mark_answered(self, session: Session, m: Mention, now: datetime) -> None:
        """A brand handle replying in a thread acknowledges that thread's open urgent alert."""
        if not m.conversation_id:
            return
        for brand in self.own:
            if not self._is_brand_author(m, brand):
                continue
            alert = session.scalars(
                select(UrgentAlert).where(
                    UrgentAlert.brand == brand,
                    UrgentAlert.conversation_key == f"{m.source}:{m.conversation_id}",
                    UrgentAlert.status == OPEN,
                )
            ).first()
            if alert is not None:
                acknowledge(session, "urgent", alert.id, by=f"@{m.author_handle}", at=now)
                # the brand answered at the source: the thread is answered and its first response
                # recorded (issue 12), on the wall clock as every response time is (``raised_at``)
                record_reply(session, "urgent", alert.id, text=m.text or "-", by=f"@{m.author_handle}",
                             channel=m.source, at=now)  # fmt: skip

    def _raise(self, session: Session, m: Mention, reasons: list[str], now: datetime) -> list[UrgentMention]:
        events = []
        for brand in m.brands or []:
            if brand not in self.own or self._is_brand_author(m, brand):
                continue
            key = conversation_key(m)
            existing = session.scalars(
                select(UrgentAlert).where(UrgentAlert.brand == brand, UrgentAlert.conversation_key == key)
            ).first()
            if existing is not None:
                if existing.mention_id != m.id:  # the same mention judged again raises nothing new
                    existing.mention_count += 1
                existing.updated_at = now
                continue
            details: dict[str, Any] = {"reasons": reasons, "created_wall": now.isoformat()}
            row = UrgentAlert(
                mention_id=m.id,
                brand=brand,
                conversation_key=key,
                status="open",
                urgency=float(m.urgency or 0.0),
                mention_count=1,
                details=details,
                created_at=now,
                updated_at=now,
            )
            try:
                with session.begin_nested():
                    session.add(row)
            except IntegrityError:  # another engine raised it first: theirs pages
                continue
            events.append(
                UrgentMention(
                    brand=brand,
                    severity="critical" if len(reasons) > 1 else "high",
                    at=m.created_at,
                    urgent_id=row.id,
                    mention_id=m.id,
                    reasons=reasons,
                    text=clean_text(m.text, 500),
                    url=m.url,
                    author=m.author_handle or m.author_name,
                    followers=m.author_followers,
                    source=m.source,
                    urgency=round(float(m.urgency or 0.0), 3),
                )
            )
        return events

    def unanswered(self, session: Session, watermark: datetime, now: datetime) -> list[UrgentMention]:
        """Questions to a brand, older than the limit at ``watermark``, that no brand handle answered."""
        events: list[UrgentMention] = []
        for _, m in self.due_questions(session, watermark, now):
            events += self.question(session, m, now)
        return events

    def due_questions(
        self, session: Session, until: datetime, now: datetime, *, from_start: bool = False
    ) -> list[tuple[datetime, Mention]]:
        """(deadline, question) for every question whose answer time ran out after the last call and
        by ``until``, in deadline order; the position is stored in the caller's transaction. The
        first call looks back ``_FIRST_LOOKBACK``, or with ``from_start`` (a store alerting never
        touched) to the first mention, so where it starts does not depend on when it first runs."""
        limit = timedelta(minutes=self.rules.unanswered_question_minutes)
        cutoff = until - limit
        state = session.get(DetectorState, UNANSWERED_KEY)
        if state is not None and state.watermark:
            since = state.watermark
        else:
            since = _EPOCH if from_start else cutoff - _FIRST_LOOKBACK
        if cutoff <= since:
            return []
        candidates = session.scalars(
            select(Mention)
            .where(
                Mention.created_at > since,
                Mention.created_at <= cutoff,
                Mention.sentiment_label != "positive",
                or_(Mention.text.contains("?"), Mention.text.contains("؟")),
            )
            .order_by(Mention.created_at, Mention.id)
        ).all()  # read fully first: the caller writes alerts
        if state is None:
            session.add(
                DetectorState(key=UNANSWERED_KEY, state={"version": 1}, watermark=cutoff, updated_at=now)
            )
        else:
            state.watermark, state.updated_at = cutoff, now
        return [(m.created_at + limit, m) for m in candidates if _QUESTION.search(m.text or "")]

    def question(self, session: Session, m: Mention, now: datetime) -> list[UrgentMention]:
        """The alert for a question whose answer time ran out, if a brand it addressed never answered."""
        events: list[UrgentMention] = []
        deadline = m.created_at + timedelta(minutes=self.rules.unanswered_question_minutes)
        for brand in m.brands or []:
            if brand not in self.own or self._is_brand_author(m, brand) or not self._addressed(m, brand):
                continue
            if not self._answered(session, m, brand, deadline):
                events += self._raise(session, m, ["unanswered_question"], now)
        return events

    def _addressed(self, m: Mention, brand: str) -> bool:
        text = (m.text or "").lower()
        return any(f"@{h}" in text for h in self.handles.get(brand, set()))

    def _answered(self, session: Session, m: Mention, brand: str, deadline: datetime) -> bool:
        """A brand handle replied in the thread by ``deadline`` (later replies are not counted, so the
        answer does not depend on how much of the future happens to be stored yet)."""
        thread = {m.external_id} | ({m.conversation_id} if m.conversation_id else set())
        replies = session.scalars(
            select(Mention.author_handle).where(
                Mention.source == m.source,
                Mention.created_at > m.created_at,
                Mention.created_at <= deadline,
                or_(Mention.conversation_id.in_(thread), Mention.external_id.in_(thread)),
            )
        )
        handles = self.handles.get(brand, set())
        return any(handle_key(h) in handles for h in replies)
