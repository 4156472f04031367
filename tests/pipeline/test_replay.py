"""The replay listener: simulated clock, batches, exact resume from its checkpoint."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from domain.checkpoint import Checkpoint
from domain.errors import ListenerError, NotConfigured
from listeners.replay import ReplayListener

TEHRAN = timezone(timedelta(hours=3, minutes=30))
T0 = datetime(2026, 10, 3, 8, 0, tzinfo=TEHRAN)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def sample(path: Path, minutes: list[int], bad_after: int | None = None) -> Path:
    lines = []
    for i, m in enumerate(minutes):
        lines.append(
            json.dumps(
                {
                    "text": f"سبزینو {i}",
                    "created_at": (T0 + timedelta(minutes=m)).isoformat(),
                    "id": f"id{i}",
                    "source": "x",
                }
            )
        )
        if bad_after == i:
            lines.append("{broken")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def drain(listener: ReplayListener, checkpoint: Checkpoint | None) -> tuple[list[str], Checkpoint | None]:
    ids = []
    for batch in listener.fetch(checkpoint):
        ids += [m.external_id for m in batch.mentions]
        checkpoint = batch.checkpoint
    return ids, checkpoint


def test_clock_releases_mentions_at_speed(tmp_path: Path) -> None:
    clock = FakeClock()
    path = sample(tmp_path / "s.jsonl", [0, 1, 10, 60, 61])
    replay = ReplayListener("replay:s", path, speed=60.0, clock=clock)  # one minute per second
    ids, cp = drain(replay, None)
    assert ids == ["id0"]  # the clock starts at the first mention
    clock.now += 1.0
    ids, cp = drain(replay, cp)
    assert ids == ["id1"]
    clock.now += 59.0
    ids, cp = drain(replay, cp)
    assert ids == ["id2", "id3"]
    assert not replay.exhausted
    clock.now += 10.0
    ids, cp = drain(replay, cp)
    assert ids == ["id4"] and replay.exhausted
    assert cp is not None and cp.state["last_id"] == "id4" and cp.state["lines"] == 5


def test_batches_are_capped_and_each_carries_its_own_checkpoint(tmp_path: Path) -> None:
    path = sample(tmp_path / "s.jsonl", [0] * 7)
    replay = ReplayListener("replay:s", path, speed=1.0, batch_size=3, clock=FakeClock())
    batches = list(replay.fetch(None))
    assert [len(b.mentions) for b in batches] == [3, 3, 1]
    assert [b.checkpoint.state["lines"] for b in batches] == [3, 6, 7]
    assert [b.checkpoint.state["last_id"] for b in batches] == ["id2", "id5", "id6"]


def test_restart_resumes_exactly_after_the_checkpoint(tmp_path: Path) -> None:
    path = sample(tmp_path / "s.jsonl", list(range(10)), bad_after=3)
    clock = FakeClock()
    first = ReplayListener("replay:s", path, speed=1.0, batch_size=2, clock=clock)
    stored: list[str] = []
    gen = first.fetch(None)
    batch = next(gen)  # the clock anchors at id0: only it is due
    stored += [m.external_id for m in batch.mentions]
    clock.now += 10_000  # now everything is due
    batch = next(gen)  # the process "dies" after storing this batch
    stored += [m.external_id for m in batch.mentions]
    checkpoint = batch.checkpoint

    def restart() -> tuple[list[str], ReplayListener]:
        """A new process: a new listener given the stored checkpoint."""
        clock = FakeClock()
        listener = ReplayListener("replay:s", path, speed=1.0, batch_size=100, clock=clock)
        assert drain(listener, checkpoint)[0] == []  # its clock starts at the last stored mention
        clock.now += 10_000
        return drain(listener, checkpoint)[0], listener

    ids, second = restart()
    ids_again, _ = restart()
    assert stored == ["id0", "id1", "id2"]
    assert stored + ids == [f"id{i}" for i in range(10)]
    assert ids_again == ids
    assert second.bad_lines and second.bad_lines[0][0] == 5  # the broken line, skipped with its number


def test_resume_anchors_the_clock_at_the_last_stored_mention(tmp_path: Path) -> None:
    path = sample(tmp_path / "s.jsonl", [0, 5, 100])
    clock = FakeClock()
    replay = ReplayListener("replay:s", path, speed=60.0, clock=clock)
    ids, cp = drain(replay, None)
    assert ids == ["id0"]
    restarted = ReplayListener("replay:s", path, speed=60.0, clock=clock)
    assert drain(restarted, cp)[0] == []  # no time has passed since the last stored mention
    clock.now += 5.0
    assert drain(restarted, cp)[0] == ["id1"]


def test_a_changed_file_is_reported_not_silently_skipped(tmp_path: Path) -> None:
    path = sample(tmp_path / "s.jsonl", [0, 1, 2])
    replay = ReplayListener("replay:s", path, speed=1.0, clock=FakeClock())
    _, cp = drain(replay, None)
    path.write_text(path.read_text().replace('"id0"', '"other"'), encoding="utf-8")
    with pytest.raises(ListenerError) as err:
        drain(ReplayListener("replay:s", path, speed=1.0, clock=FakeClock()), cp)
    assert err.value.kind == "bad_payload" and "changed" in str(err.value)


def test_missing_file_is_unavailable(tmp_path: Path) -> None:
    replay = ReplayListener("replay:gone", tmp_path / "gone.jsonl", speed=1.0)
    with pytest.raises(ListenerError) as err:
        list(replay.fetch(None))
    assert err.value.kind == "unavailable"


def test_from_settings_auto_mode(tmp_path: Path) -> None:
    from config.settings import Settings
    from domain.brands import BrandSettings

    path = sample(tmp_path / "s.jsonl", [0])
    settings = Settings(
        brands=[BrandSettings(name="sabzino")],
        sources={"replay": {"enabled": "auto", "file": str(path), "speed": 10}},
    )
    [replay] = ReplayListener.from_settings(settings)
    assert replay.key == "replay:s" and replay.speed == 10
    with pytest.raises(NotConfigured, match="live sources"):
        ReplayListener.from_settings(settings, live_sources_configured=True)
    off = settings.model_copy(
        update={
            "sources": settings.sources.model_copy(
                update={"replay": settings.sources.replay.model_copy(update={"enabled": False})}
            )
        }
    )
    with pytest.raises(NotConfigured):
        ReplayListener.from_settings(off)
    missing = settings.model_copy(
        update={
            "sources": settings.sources.model_copy(
                update={
                    "replay": settings.sources.replay.model_copy(update={"file": str(tmp_path / "no.jsonl")})
                }
            )
        }
    )
    with pytest.raises(NotConfigured, match="not found"):
        ReplayListener.from_settings(missing)
