"""Which listeners the service runs: the registry's live ones, plus the replay when it applies."""

from __future__ import annotations

import logging
from typing import Any

from domain.errors import NotConfigured
from listeners.base import Listener
from listeners.replay import ReplayListener

log = logging.getLogger("shenava.sources")


def build_service_listeners(settings: Any) -> tuple[list[Listener], list[str]]:
    """(listeners, reasons the replay is off). With ``replay.enabled: auto`` the bundled sample
    replays only when no live source is configured, so a fresh clone shows the whole pipeline."""
    from listeners.registry import build_listeners

    live = [lst for lst in build_listeners(settings) if not isinstance(lst, ReplayListener)]
    listeners: list[Listener] = list(live)
    notes: list[str] = []
    try:
        listeners.extend(ReplayListener.from_settings(settings, live_sources_configured=bool(live)))
    except NotConfigured as exc:
        notes.append(str(exc))
        log.info("%s", exc)
    return listeners, notes
