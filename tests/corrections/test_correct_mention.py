"""A person's correction is stored with who/when/old/new and wins wherever the mention is shown or
counted: search and export, aggregates, the digest and the spike detector's negative series."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from alerts.digest.data import build_digest
from alerts.digest.period import DigestPeriod
from alerts.series import BucketGrid, count_negative, series_key
from domain.analysis import SentimentResult
from storage.accounts import AuditEntry
from storage.aggregates import sentiment_share, touchpoint_counts, volume_by
from storage.corrections import (
    CorrectionError,
    MentionNotFoundError,
    correct_mention,
    mention_labels,
    sentiment_corrections,
)
from storage.db import session_factory
from storage.export import iter_csv
from storage.models import MentionAspect
from storage.query import MentionQuery
from storage.repository import MentionStore
from storage.search import iter_mentions, search_mentions
from tests.storage.factories import analysis, raw_mention

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)  # 11:30 in Tehran, 1404-12-10
POSITIVE = SentimentResult(
    label="positive", score=0.7, probs={"negative": 0.1, "neutral": 0.1, "positive": 0.8}
)


def _burst(store: MentionStore, n: int = 8) -> list[int]:
    """``n`` complaints about late delivery the model wrongly scored positive, within one hour."""
    items = []
    for i in range(n):
        raw = raw_mention(i, created_at=T0 + timedelta(minutes=3 * i))
        items.append(
            (raw, analysis(raw.text, sentiment=POSITIVE, aspects=["price"], sentiment_model="builtin"))
        )
    return store.save_batch(items, None).inserted_ids


def test_correction_is_stored_with_history_and_effective_values(store: MentionStore, engine: Engine) -> None:
    [mid] = _burst(store, 1)
    sessions = session_factory(engine)
    with sessions() as session:
        correct_mention(session, mid, sentiment="negative", touchpoints=["delivery", "support"], by="maryam",
                        reason="late food, not praise")  # fmt: skip
        session.commit()
    with sessions() as session:
        correct_mention(session, mid, sentiment="neutral", by="ali")
        session.commit()
    with sessions() as session:
        labels = mention_labels(session, mid)
        assert (labels.model_sentiment, labels.model_score, labels.model_touchpoints) == (
            "positive",
            0.7,
            ["price"],
        )
        assert (labels.sentiment, labels.touchpoints) == ("neutral", ["delivery", "support"])
        assert labels.sentiment_model == "builtin"
        history = [(c.by, c.old_sentiment, c.new_sentiment, c.old_touchpoints, c.new_touchpoints, c.reason)
                   for c in labels.corrections]  # fmt: skip
        assert history == [
            ("maryam", "positive", "negative", ["price"], ["delivery", "support"], "late food, not praise"),
            ("ali", "negative", "neutral", None, None, None),
        ]
        assert all(c.at.tzinfo is not None for c in labels.corrections)
        aspect_rows = session.scalars(select(MentionAspect.aspect).where(MentionAspect.mention_id == mid))
        assert sorted(aspect_rows) == ["delivery", "support"]
        audit = session.scalars(select(AuditEntry).where(AuditEntry.target == f"mention:{mid}")).all()
        first = audit[0]
        assert (first.actor, first.action) == ("maryam", "mention.correct")
        assert first.old_value == {"sentiment": "positive", "touchpoints": ["price"]}
        assert first.new_value == {
            "sentiment": "negative",
            "touchpoints": ["delivery", "support"],
            "reason": "late food, not praise",
        }
        assert sentiment_corrections(session) == [(raw_mention(0).text, "neutral")]


def test_refusals(store: MentionStore, engine: Engine) -> None:
    [mid] = _burst(store, 1)
    with session_factory(engine)() as session:
        with pytest.raises(MentionNotFoundError):
            correct_mention(session, mid + 99, sentiment="negative", by="x")
        for bad in ({"sentiment": "angry"}, {}, {"touchpoints": ["a" * 65]}, {"touchpoints": ["x\x00"]}):
            with pytest.raises(CorrectionError):
                correct_mention(session, mid, by="x", **bad)  # type: ignore[arg-type]
        with pytest.raises(CorrectionError):
            correct_mention(session, mid, sentiment="negative", by="  ")


def test_correction_wins_in_search_export_aggregates_and_digest(store: MentionStore, engine: Engine) -> None:
    ids = _burst(store, 4)
    sessions = session_factory(engine)
    query = MentionQuery(brands=["sabzino"], tz="Asia/Tehran")
    with sessions() as session:
        before = build_digest(session, DigestPeriod.for_day(T0.date()), ["sabzino"], {})
        assert (before.brands[0].current.negative, before.brands[0].current.positive) == (0, 4)
        assert len(before.brands[0].praise) == 3
    with sessions() as session:
        for mid in ids[:3]:
            correct_mention(session, mid, sentiment="negative", touchpoints=["delivery"], by="maryam")
        session.commit()
    with sessions() as session:
        share = sentiment_share(session, query)
        assert (share.negative, share.positive) == (3, 1)
        [day] = volume_by(session, query, "day")
        assert (day.negative, day.positive) == (3, 1)
        assert touchpoint_counts(session, query) == [("delivery", 3), ("price", 1)]
        negatives = search_mentions(session, query.model_copy(update={"sentiments": ["negative"]}))
        assert sorted(h.id for h in negatives.items) == sorted(ids[:3])
        assert {h.sentiment_score for h in negatives.items} == {-1.0}
        by_touchpoint = search_mentions(session, query.model_copy(update={"aspects": ["delivery"]}))
        assert by_touchpoint.total == 3
        # the full-text index covers the text only: still consistent after the row's update
        found = search_mentions(
            session, query.model_copy(update={"text": "نرسیده", "sentiments": ["negative"]})
        )
        assert found.total == 3
        exported = "".join(iter_csv(iter_mentions(session, query)))
        rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(exported))}
        assert rows[ids[0]]["sentiment_label"] == "negative" and rows[ids[3]]["sentiment_label"] == "positive"
        after = build_digest(session, DigestPeriod.for_day(T0.date()), ["sabzino"], {})
        assert (after.brands[0].current.negative, after.brands[0].current.positive) == (3, 1)
        assert [h.id for h in after.brands[0].praise] == [ids[3]]


def test_correcting_a_burst_changes_the_negative_series_the_detector_counts(
    store: MentionStore, engine: Engine
) -> None:
    ids = _burst(store, 8)
    grid = BucketGrid.of(60, "Asia/Tehran")
    span = (T0 - timedelta(hours=1), T0 + timedelta(hours=2))
    sessions = session_factory(engine)
    with sessions() as session:
        assert count_negative(session, grid, ["sabzino"], *span) == {}
    with sessions() as session:
        for mid in ids:
            correct_mention(session, mid, sentiment="negative", touchpoints=["delivery"], by="support-1")
        session.commit()
    with sessions() as session:
        counts = count_negative(session, grid, ["sabzino"], *span)
    hour = grid.start(T0)
    assert counts[(series_key("sabzino", None), hour)] == 8
    assert counts[(series_key("sabzino", "delivery"), hour)] == 8
    assert (series_key("sabzino", "price"), hour) not in counts
    # and back: a mention corrected to positive leaves the series
    with sessions() as session:
        correct_mention(session, ids[0], sentiment="positive", by="support-2")
        session.commit()
    with sessions() as session:
        assert count_negative(session, grid, ["sabzino"], *span)[(series_key("sabzino", None), hour)] == 7


def test_deleting_a_mention_deletes_its_corrections(store: MentionStore, engine: Engine) -> None:
    from storage.erasure import erase
    from storage.models import MentionCorrection

    [mid] = _burst(store, 1)
    with session_factory(engine)() as session:
        correct_mention(session, mid, sentiment="negative", by="x")
        session.commit()
        erase(session, [mid])
        session.commit()
        assert session.scalars(select(MentionCorrection)).all() == []
