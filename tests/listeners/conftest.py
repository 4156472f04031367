from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.listeners.harness import HARNESSES, Harness, open_harness


@pytest.fixture(params=sorted(HARNESSES))
def harness(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Harness]:
    yield from open_harness(request.param, monkeypatch, tmp_path)
