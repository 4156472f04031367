"""The listener contract, run over every listener against its local wire-format server (the
replay against its real file).

Every listener resumes after the last item it saw, never repeats across pages or restarts,
reports failures with the same ``ListenerError`` kinds, and turns itself off when unconfigured.
"""

from __future__ import annotations

import pytest

from domain.errors import ListenerError, NotConfigured
from shenava.service.sources import build_service_listeners
from tests.listeners.harness import Harness, drain


def ids(mentions) -> list[str]:
    return [m.external_id for m in mentions]


def test_first_run_reads_every_item_once(harness: Harness) -> None:
    expected = harness.add(12)
    mentions, checkpoint = drain(harness.listener(), None)
    assert sorted(ids(mentions)) == sorted(expected)
    assert checkpoint is not None
    for m in mentions:
        assert m.source == harness.cls.source
        assert m.text.strip()
        assert m.created_at.tzinfo is not None


def test_resumes_after_the_last_item_and_never_repeats(harness: Harness) -> None:
    harness.add(12)
    _, checkpoint = drain(harness.listener(), None)
    newer = harness.add(3)
    again, checkpoint = drain(harness.listener(), checkpoint)  # a new instance: a restart
    assert sorted(ids(again)) == sorted(newer)
    nothing, _ = drain(harness.listener(), checkpoint)
    assert nothing == []


def test_a_crash_after_the_first_batch_loses_and_repeats_nothing(harness: Harness) -> None:
    expected = harness.add(12)
    first, checkpoint = drain(harness.listener(), None, batches=1)
    rest, _ = drain(harness.listener(), checkpoint)
    assert not set(ids(first)) & set(ids(rest))
    assert sorted(ids(first) + ids(rest)) == sorted(expected)


@pytest.mark.wire
def test_rate_limit_is_reported_with_retry_after(harness: Harness) -> None:
    harness.add(3)
    harness.server.fail("429")
    with pytest.raises(ListenerError) as caught:
        drain(harness.listener(), None)
    assert caught.value.kind == "rate_limited"
    assert caught.value.retry_after is not None and caught.value.retry_after > 0


@pytest.mark.wire
def test_one_server_error_is_retried(harness: Harness) -> None:
    expected = harness.add(4)
    harness.server.fail("500")
    mentions, _ = drain(harness.listener(), None)
    assert sorted(ids(mentions)) == sorted(expected)


@pytest.mark.wire
def test_persistent_server_errors_become_unavailable(harness: Harness) -> None:
    harness.add(3)
    harness.server.fail(*["500"] * harness.attempts)
    with pytest.raises(ListenerError) as caught:
        drain(harness.listener(), None)
    assert caught.value.kind == "unavailable"


@pytest.mark.wire
def test_timeouts_become_unavailable(harness: Harness) -> None:
    harness.add(3)
    harness.server.fail(*["timeout"] * harness.attempts)
    with pytest.raises(ListenerError) as caught:
        drain(harness.listener(), None)
    assert caught.value.kind == "unavailable"


@pytest.mark.wire
def test_broken_payload_is_bad_payload(harness: Harness) -> None:
    harness.add(3)
    harness.server.fail(*["broken"] * harness.attempts)
    with pytest.raises(ListenerError) as caught:
        drain(harness.listener(), None)
    assert caught.value.kind == "bad_payload"


def test_unconfigured_listener_turns_itself_off(harness: Harness) -> None:
    settings = harness.unconfigured()
    with pytest.raises(NotConfigured) as caught:
        harness.cls.from_settings(settings)
    assert str(caught.value)
    assert not [lst for lst in build_service_listeners(settings)[0] if lst.source == harness.cls.source]
