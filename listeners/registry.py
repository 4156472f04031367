"""Which listeners exist, and building the configured ones from settings.

An explicit dict, not dotted paths: we own every listener. A listener class builds itself with
``from_settings(settings) -> list[Listener]`` (one per configured target, each with its own
checkpoint key) or raises ``NotConfigured``; then it is skipped with one plain log line.
The replay of a file is added by ``shenava.pipeline_sources`` (it runs only when no live source
is configured).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from domain.errors import NotConfigured
from listeners.base import Listener
from listeners.instagram import InstagramListener
from listeners.twitter import TwitterListener
from listeners.web.listeners import TelegramListener, WebListener

log = logging.getLogger(__name__)


class ListenerFactory(Protocol):
    @classmethod
    def from_settings(cls, settings: Any) -> list[Listener]: ...


#: name → listener class; the name is also what ``sources.disabled`` lists
LISTENERS: dict[str, type[Listener]] = {
    "x": TwitterListener,
    "instagram": InstagramListener,
    "web": WebListener,
    "telegram": TelegramListener,
}

_already_logged: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class SourceStatus:
    """Whether one registered listener is on, and why not."""

    name: str
    configured: bool
    reason: str | None = None
    keys: list[str] = field(default_factory=list)


def describe_listeners(settings: Any) -> tuple[list[Listener], list[SourceStatus]]:
    """Build every configured listener and say, for each registered name, whether it is on."""
    built: list[Listener] = []
    statuses: list[SourceStatus] = []
    disabled = set(getattr(settings.sources, "disabled", []) or [])
    for name, cls in LISTENERS.items():
        if name in disabled:
            statuses.append(SourceStatus(name, False, f"{name} listener is switched off (sources.disabled)"))
            continue
        try:
            listeners = cls.from_settings(settings)  # type: ignore[attr-defined]
        except NotConfigured as err:
            statuses.append(SourceStatus(name, False, str(err) or f"{name} listener is not configured"))
            continue
        built.extend(listeners)
        statuses.append(SourceStatus(name, True, None, [lst.key for lst in listeners]))
    return built, statuses


def build_listeners(settings: Any) -> list[Listener]:
    """Every configured listener; each unconfigured one is logged once (per process) and skipped."""
    built, statuses = describe_listeners(settings)
    for status in statuses:
        if not status.configured and (status.name, status.reason or "") not in _already_logged:
            _already_logged.add((status.name, status.reason or ""))
            log.info("%s", status.reason)
    return built
