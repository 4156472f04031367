"""The generic listener job over a real store: atomic batches, errors recorded, backoff, stop."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from domain.checkpoint import Checkpoint, ListenerBatch
from domain.errors import ListenerError
from domain.mention import RawMention
from listeners.base import Listener
from shenava.service.listener_job import ListenerJob
from shenava.service.pipeline import Pipeline
from storage.models import Mention

T0 = datetime(2026, 10, 3, 10, 0, tzinfo=UTC)


def mention(i: int) -> RawMention:
    return RawMention(
        source="testsrc",
        external_id=f"m{i}",
        text=f"سبزینو سفارشم دیر رسید {i}",
        created_at=T0 + timedelta(minutes=i),
        author_handle=f"user{i}",
    )


class CountingListener(Listener):
    """Yields batches of 3 after its checkpoint, up to ``total`` mentions; can fail on demand."""

    source = "testsrc"

    def __init__(
        self, total: int = 9, *, fail_with: Exception | None = None, on_batch: threading.Event | None = None
    ) -> None:
        super().__init__("testsrc:main")
        self.total = total
        self.fail_with = fail_with
        self.on_batch = on_batch

    def fetch(self, checkpoint: Checkpoint | None) -> Iterator[ListenerBatch]:
        if self.fail_with is not None:
            raise self.fail_with
        pos = checkpoint.state["pos"] if checkpoint else 0
        while pos < self.total:
            batch = [mention(i) for i in range(pos, min(pos + 3, self.total))]
            pos += len(batch)
            if self.on_batch:  # e.g. SIGTERM arriving while this batch is processed
                self.on_batch.set()
            yield ListenerBatch(batch, Checkpoint(self.key, {"pos": pos}))


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def stored_ids(pipeline: Pipeline) -> list[str]:
    with pipeline.store.sessions() as s:
        return sorted(s.scalars(select(Mention.external_id)))


def test_job_stores_batches_with_their_checkpoint_and_repeats_nothing(pipeline: Pipeline) -> None:
    job = ListenerJob(CountingListener(9), pipeline)
    report = job()
    assert (report.batches, report.fetched, report.inserted) == (3, 9, 9)
    assert pipeline.store.load_checkpoint("testsrc:main").state == {"pos": 9}
    again = job()  # nothing after the checkpoint
    assert again.fetched == 0
    [state] = pipeline.store.listener_states()
    assert state.key == "testsrc:main" and state.items_total == 9 and state.last_error is None
    assert len(stored_ids(pipeline)) == 9
    assert pipeline.watermark.value == T0 + timedelta(minutes=8)


def test_same_batch_twice_counts_duplicates(pipeline: Pipeline) -> None:
    batch = [mention(1), mention(2), mention(1)]
    first = pipeline.process("k", batch, None)
    second = pipeline.process("k", batch[:2], None)
    assert (first.inserted, first.duplicates) == (2, 1)
    assert (second.inserted, second.duplicates) == (0, 2)


def test_listener_error_is_recorded_and_backs_off_by_retry_after(pipeline: Pipeline) -> None:
    clock = FakeMonotonic()
    listener = CountingListener(3, fail_with=ListenerError("rate_limited", "429 from source", retry_after=30))
    job = ListenerJob(listener, pipeline, monotonic=clock)
    report = job()
    assert report.error_kind == "rate_limited"
    [state] = pipeline.store.listener_states()
    assert state.last_error_kind == "rate_limited" and "429" in state.last_error
    assert state.consecutive_failures == 1
    clock.now = 29.0
    assert job().skipped  # still inside retry_after: the source is left alone
    listener.fail_with = None
    clock.now = 31.0
    report = job()
    assert report.inserted == 3 and report.error_kind is None
    [state] = pipeline.store.listener_states()
    assert state.consecutive_failures == 0 and state.last_ok_at is not None


def test_unexpected_errors_are_recorded_with_exponential_backoff(pipeline: Pipeline) -> None:
    clock = FakeMonotonic()
    job = ListenerJob(CountingListener(3, fail_with=ValueError("boom")), pipeline, monotonic=clock)
    assert job().error_kind == "internal"
    clock.now = 4.9
    assert job().skipped
    clock.now = 5.1
    assert job().error_kind == "internal"  # second failure: now 10 s
    clock.now = 14.0
    assert job().skipped
    [state] = pipeline.store.listener_states()
    assert state.consecutive_failures == 2 and state.last_error == "boom"


def test_a_failing_analysis_stores_nothing_of_the_batch(pipeline: Pipeline) -> None:
    class Broken:
        def analyze(self, mentions):
            raise RuntimeError("model crashed")

    broken = Pipeline(pipeline.store, Broken())
    job = ListenerJob(CountingListener(6), broken)
    assert job().error_kind == "internal"
    assert stored_ids(pipeline) == [] and pipeline.store.load_checkpoint("testsrc:main") is None
    assert ListenerJob(CountingListener(6), pipeline)().inserted == 6  # a healthy run resumes from zero


def test_stop_finishes_the_current_batch_then_leaves(pipeline: Pipeline) -> None:
    stop = threading.Event()
    job = ListenerJob(CountingListener(9, on_batch=stop), pipeline, stop=stop)
    report = job()
    assert report.batches == 1 and report.inserted == 3
    assert pipeline.store.load_checkpoint("testsrc:main").state == {"pos": 3}
    stop.clear()
    assert ListenerJob(CountingListener(9), pipeline)().inserted == 6
    with pipeline.store.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Mention)) == 9


@pytest.mark.parametrize("kind", ["auth", "unavailable", "bad_payload"])
def test_error_messages_are_redacted_before_they_are_stored(
    pipeline: Pipeline, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shenava.logging_setup import register_secret_env

    monkeypatch.setenv("SHENAVA_TEST_SOURCE_TOKEN", "tok-very-secret-123")
    register_secret_env(["SHENAVA_TEST_SOURCE_TOKEN"])
    error = ListenerError(
        kind, "GET https://api.example/x?access_token=abc123def failed; tok-very-secret-123"
    )
    ListenerJob(CountingListener(fail_with=error), pipeline)()
    [state] = pipeline.store.listener_states()
    assert "abc123def" not in state.last_error and "tok-very-secret-123" not in state.last_error
