"""Which listeners the service runs, built from the settings, and why the others are off.

Every registered live listener (``listeners.registry.LISTENERS``) builds itself with
``from_settings`` (one per configured target, each with its own checkpoint key) or raises
``NotConfigured``; then it is skipped with one plain log line. The replay of a file comes last:
with ``replay.enabled: auto`` it runs only when no live source is configured, so a fresh clone
shows the whole pipeline on the bundled sample.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from domain.errors import NotConfigured
from listeners.base import Listener
from listeners.registry import LISTENERS
from listeners.replay import ReplayListener
from listeners.settings import ListenerSettingsView

log = logging.getLogger(__name__)

_already_logged: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class SourceStatus:
    """Whether one source is on, and why not; ``keys`` are its configured listeners."""

    name: str
    configured: bool
    reason: str | None = None
    keys: list[str] = field(default_factory=list)


def describe_listeners(settings: ListenerSettingsView) -> tuple[list[Listener], list[SourceStatus]]:
    """Build every configured live listener and say, for each registered name, whether it is on."""
    built: list[Listener] = []
    statuses: list[SourceStatus] = []
    disabled = set(settings.sources.disabled)
    for name, cls in LISTENERS.items():
        if name in disabled:
            statuses.append(SourceStatus(name, False, f"{name} listener is switched off (sources.disabled)"))
            continue
        try:
            listeners = cls.from_settings(settings)
        except NotConfigured as err:
            statuses.append(SourceStatus(name, False, str(err) or f"{name} listener is not configured"))
            continue
        built.extend(listeners)
        statuses.append(SourceStatus(name, True, None, [lst.key for lst in listeners]))
    return built, statuses


def build_listeners(settings: ListenerSettingsView) -> list[Listener]:
    """Every configured live listener; each unconfigured one is logged once (per process)."""
    built, statuses = describe_listeners(settings)
    for status in statuses:
        if not status.configured and (status.name, status.reason or "") not in _already_logged:
            _already_logged.add((status.name, status.reason or ""))
            log.info("%s", status.reason)
    return built


def replay_status(
    settings: ListenerSettingsView, *, live_sources_configured: bool
) -> tuple[list[Listener], SourceStatus]:
    """The replay listener (none or one) and its status, given whether a live source is on."""
    try:
        built = ReplayListener.from_settings(settings, live_sources_configured=live_sources_configured)
    except NotConfigured as err:
        return [], SourceStatus(ReplayListener.source, False, str(err))
    return built, SourceStatus(ReplayListener.source, True, None, [lst.key for lst in built])


def describe_sources(settings: ListenerSettingsView) -> tuple[list[Listener], list[SourceStatus]]:
    """``describe_listeners`` plus the replay, last: everything ``shenava sources`` lists."""
    built, statuses = describe_listeners(settings)
    replay, status = replay_status(settings, live_sources_configured=bool(built))
    return built + replay, [*statuses, status]


def build_service_listeners(settings: ListenerSettingsView) -> tuple[list[Listener], list[str]]:
    """(listeners, reasons the replay is off): what ``shenava run`` runs."""
    live = build_listeners(settings)
    replay, status = replay_status(settings, live_sources_configured=bool(live))
    notes = [] if status.configured else [status.reason or ""]
    for note in notes:
        log.info("%s", note)
    return live + replay, notes
