from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.listeners.harness import HARNESSES, WIRE_HARNESSES, Harness, open_harness


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "wire: a contract test of wire failures (harnesses with a server)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every contract test runs over every harness; a ``wire`` test over those with a server."""
    if "harness" in metafunc.fixturenames:
        wire = metafunc.definition.get_closest_marker("wire") is not None
        metafunc.parametrize("harness", WIRE_HARNESSES if wire else sorted(HARNESSES), indirect=True)


@pytest.fixture
def harness(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Harness]:
    yield from open_harness(request.param, monkeypatch, tmp_path)
