"""The registry: every listener registered, unconfigured ones logged once in plain words."""

from __future__ import annotations

import logging

import pytest

from listeners import registry
from listeners.base import Listener
from shenava.service import sources
from tests.listeners.harness import settings_with


def test_every_listener_class_is_registered_with_a_unique_source() -> None:
    assert set(registry.LISTENERS) == {"x", "instagram", "web", "telegram"}
    assert all(
        issubclass(cls, Listener) and hasattr(cls, "from_settings") for cls in registry.LISTENERS.values()
    )


def test_unconfigured_listeners_are_logged_once(monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    monkeypatch.delenv("SHENAVA_X_BEARER_TOKEN", raising=False)
    monkeypatch.setattr(sources, "_already_logged", set())
    settings = settings_with({})
    caplog.set_level(logging.INFO, logger="shenava.service.sources")
    assert sources.build_listeners(settings) == []
    assert sources.build_listeners(settings) == []
    lines = [r.getMessage() for r in caplog.records if r.name == "shenava.service.sources"]
    assert len(lines) == 4 and len(set(lines)) == 4
    assert any("SHENAVA_X_BEARER_TOKEN" in line for line in lines)


def test_disabled_names_and_keys_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHENAVA_X_BEARER_TOKEN", "t")
    settings = settings_with({"disabled": ["x"], "web": {"telegram": {"channels": ["a", "@a", "b"]}}})
    built, statuses = sources.describe_listeners(settings)
    by_name = {s.name: s for s in statuses}
    assert not by_name["x"].configured and "sources.disabled" in (by_name["x"].reason or "")
    assert by_name["telegram"].keys == ["telegram:a", "telegram:b"]
    assert [b.key for b in built] == ["telegram:a", "telegram:b"]
    assert all(b.interval_seconds == 600.0 for b in built)
