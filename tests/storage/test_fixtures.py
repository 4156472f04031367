"""The shared DB fixtures themselves: PostgreSQL tests skip locally but fail in CI when the server
is missing, and every test gets an empty database."""

from __future__ import annotations

import pytest

from storage.repository import MentionStore
from tests.conftest import postgres_unavailable, probe_postgres
from tests.storage.factories import item

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/test?connect_timeout=2"


def test_unreachable_server_gives_a_reason_without_password() -> None:
    reason = probe_postgres(UNREACHABLE.replace("postgres@", "postgres:hunter2@"))
    assert isinstance(reason, str)
    assert "127.0.0.1:9" in reason and "unreachable" in reason and "hunter2" not in reason


def test_missing_server_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHENAVA_REQUIRE_POSTGRES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL not available: gone"):
        postgres_unavailable("gone")


def test_missing_server_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHENAVA_REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception, match="SHENAVA_REQUIRE_POSTGRES=1"):
        postgres_unavailable("gone")


@pytest.mark.parametrize("round_", [1, 2])
def test_each_test_starts_with_an_empty_database(store: MentionStore, round_: int) -> None:
    # run twice on the shared PostgreSQL database: the second run must not see the first's rows
    assert store.count_mentions() == 0
    assert store.listener_states() == []
    assert store.save_batch([item(1)], None).inserted_ids == [1]  # identities restart too
    store.record_listener_run("k", "x", ok=True, items=1, at=item(1)[0].created_at)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_test_can_pick_one_backend(db_url: str, backend: str) -> None:
    assert backend == "sqlite" and db_url.startswith("sqlite:///")
