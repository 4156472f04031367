"""MentionStore over SQLite and PostgreSQL: idempotency, atomicity, checkpoints, hostile text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select

from domain.analysis import SentimentResult
from domain.checkpoint import Checkpoint, CheckpointVersionError
from domain.identity import content_id
from storage.models import ListenerCheckpoint, Mention, MentionAspect, MentionBrand
from storage.repository import MentionStore
from storage.sanitize import MAX_TEXT_CHARS
from storage.types import NaiveDatetimeError
from tests.storage.factories import T0, analysis, item, raw_mention


def _rows(store: MentionStore, model: type) -> list:
    with store.sessions() as session:
        return list(session.scalars(select(model)))


def test_save_batch_stores_mentions_children_and_checkpoint(store: MentionStore) -> None:
    checkpoint = Checkpoint(key="x:search:sabzino", state={"since_id": "tweet-2"})
    result = store.save_batch([item(1), item(2)], checkpoint)

    assert result.inserted == 2 and result.duplicates == 0
    stored = store.mentions_by_ids(result.inserted_ids)
    assert [m.external_id for m in stored] == ["tweet-1", "tweet-2"]
    first = stored[0]
    assert first.brands == ["sabzino"] and first.aspects == ["delivery"]
    assert (first.likes, first.replies, first.reposts) == (1, 1, 2)
    assert first.sentiment_label == "negative" and first.sentiment_probs["negative"] == 0.85
    assert first.raw == {"id": "tweet-1", "lang": "fa"}
    brands = _rows(store, MentionBrand)
    assert {(b.mention_id, b.brand) for b in brands} == {(i, "sabzino") for i in result.inserted_ids}
    assert {a.aspect for a in _rows(store, MentionAspect)} == {"delivery"}
    assert store.load_checkpoint("x:search:sabzino") == checkpoint


def test_same_batch_twice_stores_each_mention_once(store: MentionStore) -> None:
    batch = [item(1), item(2), item(1)]  # also a duplicate inside the batch
    first = store.save_batch(batch, None)
    second = store.save_batch(batch, None)

    assert (first.inserted, first.duplicates) == (2, 1)
    assert (second.inserted, second.duplicates, second.inserted_ids) == (0, 3, [])
    assert store.count_mentions() == 2
    assert len(_rows(store, MentionBrand)) == 2


def test_same_external_id_from_another_source_is_a_different_mention(store: MentionStore) -> None:
    result = store.save_batch([item(1), item(1, source="instagram")], None)
    assert result.inserted == 2


def test_failure_before_commit_leaves_neither_mentions_nor_checkpoint(store: MentionStore) -> None:
    store.save_batch([item(0)], Checkpoint(key="k", state={"cursor": 0}))

    def explode_after_checkpoint(conn, clauseelement, *args) -> None:  # type: ignore[no-untyped-def]
        table = getattr(clauseelement, "table", None)
        if getattr(table, "name", None) == "listener_checkpoints":
            raise RuntimeError("crash between the last write and the commit")

    event.listen(store.engine, "after_execute", explode_after_checkpoint)
    try:
        with pytest.raises(RuntimeError, match="crash between"):
            store.save_batch([item(1), item(2)], Checkpoint(key="k", state={"cursor": 2}))
    finally:
        event.remove(store.engine, "after_execute", explode_after_checkpoint)

    assert store.count_mentions() == 1
    assert store.load_checkpoint("k") == Checkpoint(key="k", state={"cursor": 0})
    # and the batch goes through once the failure is gone
    assert store.save_batch([item(1), item(2)], Checkpoint(key="k", state={"cursor": 2})).inserted == 2


def test_checkpoint_round_trip_and_update(store: MentionStore) -> None:
    assert store.load_checkpoint("missing") is None
    state = {
        "cursor": "abc",
        "seen": [1, 2, 3],
        "nested": {"fa": "سبزینو"},
        "at": "2026-03-01T08:30:00+00:00",
    }
    store.save_batch([], Checkpoint(key="web:rss:1", state=state))
    assert store.load_checkpoint("web:rss:1") == Checkpoint(key="web:rss:1", state=state)

    store.save_checkpoint(Checkpoint(key="web:rss:1", state={"cursor": "def"}))
    assert store.load_checkpoint("web:rss:1").state == {"cursor": "def"}  # type: ignore[union-attr]
    assert len(_rows(store, ListenerCheckpoint)) == 1


def test_checkpoint_of_another_version_is_refused(store: MentionStore) -> None:
    store.save_checkpoint(Checkpoint(key="old", state={"cursor": 1}, version=99))
    with pytest.raises(CheckpointVersionError, match="version 99"):
        store.load_checkpoint("old")


def test_timestamps_round_trip_as_aware_utc(store: MentionStore) -> None:
    tehran = timezone(timedelta(hours=3, minutes=30))
    created = datetime(2026, 3, 20, 23, 45, 12, 345678, tzinfo=tehran)  # Nowruz eve, local time
    collected = datetime(2026, 3, 21, 0, 0, tzinfo=UTC)
    result = store.save_batch([item(1, created_at=created)], None, collected_at=collected)

    (mention,) = store.mentions_by_ids(result.inserted_ids)
    assert mention.created_at == created
    assert mention.created_at.utcoffset() == timedelta(0)
    assert mention.created_at.hour == 20 and mention.created_at.microsecond == 345678
    assert mention.collected_at == collected
    (brand_row,) = _rows(store, MentionBrand)
    assert brand_row.created_at == created


def test_naive_timestamps_are_refused_and_nothing_is_stored(store: MentionStore) -> None:
    naive = item(2, created_at=datetime(2026, 3, 1, 8, 0))
    with pytest.raises(
        NaiveDatetimeError, match="x/tweet-2: created_at 2026-03-01T08:00:00 has no time zone"
    ):
        store.save_batch([item(1), naive], Checkpoint("k", {}))
    with pytest.raises(NaiveDatetimeError):
        store.record_listener_run("k", "x", ok=True, items=1, at=datetime(2026, 3, 1))
    assert store.count_mentions() == 0
    assert store.load_checkpoint("k") is None
    assert store.listener_states() == []


BIDI_AND_ZERO_WIDTH = "\u202eسبزینو\u202c \u200fافتضاح\u200f \u200b\u200c\u200d\ufeff \u2066@user\u2069"


def test_bidi_and_zero_width_characters_are_kept_verbatim(store: MentionStore) -> None:
    raw = raw_mention(1, text=BIDI_AND_ZERO_WIDTH, author_name="\u202enimda\u202c")
    result = store.save_batch([(raw, analysis(BIDI_AND_ZERO_WIDTH))], None)
    (mention,) = store.mentions_by_ids(result.inserted_ids)
    assert mention.text == BIDI_AND_ZERO_WIDTH
    assert mention.normalized_text == BIDI_AND_ZERO_WIDTH
    assert mention.author_name == "\u202enimda\u202c"


def test_nul_bytes_are_removed_everywhere_on_both_backends(store: MentionStore) -> None:
    raw = raw_mention(
        1,
        external_id="id\x00-1",
        text="before\x00after",
        author_handle="evil\x00",
        raw={"k\x00ey": ["v\x00al", {"deep": "\x00"}]},
        metrics={"like_count": 3},
    )
    result = store.save_batch(
        [(raw, analysis("before\x00after", signals={"note": "a\x00b"}))],
        Checkpoint("k", {"cursor": "c\x00d"}),
    )
    (mention,) = store.mentions_by_ids(result.inserted_ids)
    assert (mention.external_id, mention.text, mention.author_handle) == ("id-1", "beforeafter", "evil")
    assert mention.normalized_text == "beforeafter"
    assert mention.raw == {"key": ["val", {"deep": ""}]}
    assert mention.signals == {"note": "ab"}
    assert store.load_checkpoint("k").state == {"cursor": "cd"}  # type: ignore[union-attr]
    # the cleaned id is the identity: the same hostile record again is a duplicate
    assert store.save_batch([(raw, analysis("x"))], None).duplicates == 1


def test_lone_surrogates_and_non_finite_numbers_do_not_break_storage(store: MentionStore) -> None:
    raw = raw_mention(1, text="bad \ud800 half", raw={"score": float("nan"), "big": float("inf")})
    result = store.save_batch([(raw, analysis("bad \ud800 half"))], None)
    (mention,) = store.mentions_by_ids(result.inserted_ids)
    assert mention.text == "bad \ufffd half"
    assert mention.raw == {"score": None, "big": None}


def test_huge_strings_are_truncated_and_flagged(store: MentionStore) -> None:
    huge = "خیلی بد " * 200_000  # 1.6M characters, over PostgreSQL's 1 MB tsvector limit
    long_id = "9" * 5_000
    raw = raw_mention(1, text=huge, external_id=long_id, raw={"blob": "x" * 1_000_000})
    result = store.save_batch([(raw, analysis(huge))], None)
    (mention,) = store.mentions_by_ids(result.inserted_ids)
    assert len(mention.text) == MAX_TEXT_CHARS and len(mention.normalized_text) == MAX_TEXT_CHARS
    assert mention.signals["truncated"] is True
    assert mention.external_id.startswith("sha256:") and len(mention.external_id) < 100
    assert mention.raw["_omitted"] == "payload too large"
    assert store.save_batch([(raw, analysis(huge))], None).duplicates == 1


def test_listener_runs_are_recorded(store: MentionStore) -> None:
    store.record_listener_run("x:search:sabzino", "x", ok=True, items=5, at=T0)
    store.record_listener_run(
        "x:search:sabzino",
        "x",
        ok=False,
        items=0,
        error_kind="rate_limited",
        error="429 " + "e" * 5000,
        at=T0 + timedelta(minutes=1),
    )
    store.record_listener_run("rss:1", "web", ok=True, items=2, at=T0)

    states = store.listener_states()
    assert [s.key for s in states] == ["rss:1", "x:search:sabzino"]
    x = states[1]
    assert x.last_ok_at == T0 and x.last_run_at == T0 + timedelta(minutes=1)
    assert (x.last_error_kind, x.consecutive_failures, x.items_last_run, x.items_total) == (
        "rate_limited",
        1,
        0,
        5,
    )
    assert x.last_error is not None and x.last_error.startswith("429") and len(x.last_error) == 2000

    store.record_listener_run("x:search:sabzino", "x", ok=True, items=1, at=T0 + timedelta(minutes=2))
    x = store.listener_states()[1]
    assert x.consecutive_failures == 0 and x.items_total == 6


def test_content_id_is_stable_and_discriminating() -> None:
    base = content_id("سلام  دنیا\n", T0, "ali")
    assert base == content_id("سلام دنیا", T0.astimezone(timezone(timedelta(hours=3, minutes=30))), "ali")
    assert base == MentionStore.content_id("سلام دنیا", T0, "ali")
    assert base.startswith("c:") and len(base) == 34
    assert base != content_id("سلام دنیا", T0 + timedelta(seconds=1), "ali")
    assert base != content_id("سلام دنیا", T0, "reza")
    assert base != content_id("سلام دنیای", T0, "ali")
    with pytest.raises(ValueError, match="timezone-aware"):
        content_id("x", datetime(2026, 1, 1), None)


def test_orm_sees_stored_mentions_with_filters(store: MentionStore) -> None:
    store.save_batch([item(n) for n in range(5)], None)
    with store.sessions() as session:
        since = T0 + timedelta(minutes=2)
        ids = session.scalars(
            select(Mention.id)
            .join(MentionBrand)
            .where(MentionBrand.brand == "sabzino", MentionBrand.created_at >= since)
            .order_by(Mention.created_at)
        ).all()
    assert len(ids) == 3


def test_nlp_values_of_any_numeric_type_are_stored_as_plain_json(store: MentionStore) -> None:
    import numpy as np

    probs = {"negative": np.float32(0.5), "neutral": np.float64(0.25), "positive": 0.25}
    signals = {"emojis": ("😡",), "hashtags": {"سبزینو", "ارسال"}, "count": np.int64(3), "when": T0}
    result = store.save_batch(
        [(raw_mention(1), analysis(signals=signals, sentiment=_sentiment(probs)))], None
    )
    (mention,) = store.mentions_by_ids(result.inserted_ids)
    assert mention.sentiment_probs == {"negative": 0.5, "neutral": 0.25, "positive": 0.25}
    assert mention.signals == {
        "emojis": ["😡"],
        "hashtags": sorted(["سبزینو", "ارسال"], key=repr),
        "count": 3,
        "when": str(T0),
    }


def _sentiment(probs: dict) -> SentimentResult:
    return SentimentResult(label="negative", score=-0.25, probs=probs)


def test_overlong_tag_names_are_cut_to_fit(store: MentionStore) -> None:
    tags = analysis(brands=["b" * 500, "sabzino", "sabzino"], aspects=["a" * 500, ""])
    result = store.save_batch([(raw_mention(1), tags)], None)
    (mention,) = store.mentions_by_ids(result.inserted_ids)
    assert mention.brands == ["b" * 128, "sabzino"] and mention.aspects == ["a" * 64]


def test_inserted_ids_follow_the_order_of_the_items(store: MentionStore) -> None:
    store.save_batch([item(2)], None)
    result = store.save_batch([item(3), item(1), item(2), item(4)], None)
    stored = store.mentions_by_ids(result.inserted_ids)
    assert [m.external_id for m in stored] == ["tweet-3", "tweet-1", "tweet-4"]
    assert (result.inserted, result.duplicates) == (3, 1)
