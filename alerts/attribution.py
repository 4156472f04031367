"""Which touchpoints explain a burst: each one's excess over its own usual count.

Shares mislead: a touchpoint people always complain about (quality, say) keeps a large share of
any burst without having risen at all. Each touchpoint is judged against its own expectation
instead: ``observed − expected`` negative mentions in the burst window, where ``expected`` is
what that (brand, touchpoint) series' detector expected for the window. Ranking discounts the
noise of the usual count (``excess − √expected``, a Poisson-style lower bound), so a busy
touchpoint's ordinary wobble does not outrank a quiet one that jumped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

#: a touchpoint is named when its excess is at least this many mentions …
MIN_EXCESS = 2.0
#: … and at least this share of the top touchpoint's excess
SHARE_OF_TOP = 0.3
MAX_NAMED = 3


def rank_touchpoints(
    observed: Mapping[str, int],
    expected: Mapping[str, float],
    *,
    total_now: int,
    baseline_share: Mapping[str, float] | None = None,
) -> list[dict[str, Any]]:
    """One entry per touchpoint seen in the window, the one whose excess best explains it first.

    ``expected`` holds each touchpoint's expected count for the window (its own series' detector,
    or the caller's fallback); ``baseline_share`` only adds the usual share, for display.
    """
    shares = baseline_share or {}
    out = []
    for touchpoint in sorted(set(observed) | {t for t, e in expected.items() if e > 0}):
        seen = int(observed.get(touchpoint, 0))
        usual = max(0.0, float(expected.get(touchpoint, 0.0)))
        if seen == 0:
            continue
        out.append(
            {
                "touchpoint": touchpoint,
                "observed": seen,
                "expected": round(usual, 2),
                "excess": round(seen - usual, 2),
                "now": seen,  # kept for readers of the older explanation shape
                "now_share": seen / total_now if total_now else 0.0,
                "baseline_share": float(shares.get(touchpoint, 0.0)),
            }
        )
    out.sort(key=lambda t: (-(t["excess"] - math.sqrt(t["expected"])), t["touchpoint"]))
    return out


def named_touchpoints(ranked: list[dict[str, Any]]) -> list[str]:
    """The touchpoints an alert names: clear excess, and not dwarfed by the top one's."""
    if not ranked:
        return []
    top = max(float(ranked[0]["excess"]), 0.0)
    return [
        t["touchpoint"]
        for t in ranked
        if float(t["excess"]) >= MIN_EXCESS and float(t["excess"]) >= SHARE_OF_TOP * top
    ][:MAX_NAMED]
