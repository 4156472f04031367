"""How bad an alert is: the one severity scale of events, routes, settings and incident rows.

The spike detector grades its own bursts (``alerts.detection``: minor, major, critical);
``from_detector`` maps that grade onto this scale once, here.
"""

from __future__ import annotations

from typing import Literal

Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high", "critical")

_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
_FROM_DETECTOR: dict[str, Severity] = {"minor": "medium", "major": "high", "critical": "critical"}


def severity_rank(severity: str) -> int:
    """low=0 … critical=3; unknown names rank lowest."""
    return _RANK.get(severity, 0)


def from_detector(grade: str, cap: Severity | None = None) -> Severity:
    """The detector's burst grade on the alert scale (medium when unknown), at most ``cap``."""
    severity = _FROM_DETECTOR.get(str(grade), "medium")
    return cap if cap and severity_rank(severity) > severity_rank(cap) else severity
