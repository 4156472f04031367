"""NAB's scoring rule for 0/1 alerts, re-implemented from its published description (no NAB code here).

Used in-process by the leave-one-series-out grids, where running NAB's own scorer (a subprocess with
pandas per candidate) would take far too long; ``bench_nab`` checks that both agree on the defaults
when NAB_ROOT is set. Rules (NAB's sweeper, fixed threshold):

* the first ``min(floor(0.15 n), 750)`` rows are probationary and not scored;
* an alert inside a window scores ``tp * S(pos) / S(-1)`` with ``S(x) = 2 sigmoid(-5x) - 1`` and ``pos``
  the relative position in the window (-1 at its left edge, 0 past its right edge); a window counts its
  best (earliest) alert once, or ``-fn`` when it has none;
* an alert outside windows costs ``fp * S(distance past the previous window / its width)``, or ``-fp``
  with no window before it;
* normalised: ``100 (S - S_null) / (S_perfect - S_null)`` with ``S_perfect = tp * windows`` and
  ``S_null = -fn * windows`` over the series scored together.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

# NAB's config/profiles.json: (tp, fp, fn) weights.
PROFILES = {
    "standard": (1.0, 0.11, 1.0),
    "reward_low_FP_rate": (1.0, 0.22, 1.0),
    "reward_low_FN_rate": (1.0, 0.11, 2.0),
}


def probation_length(rows: int) -> int:
    """NAB's probationary rows at the start of a series of ``rows``: never scored."""
    return min(math.floor(0.15 * rows), 750)


def _scaled_sigmoid(position: float) -> float:
    if position > 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * position)) - 1.0


@dataclass(frozen=True)
class SeriesScore:
    """Raw (unnormalised) scores of one series under each profile, and its window count."""

    raw: dict[str, float]
    windows: int


def score_series(
    timestamps: Sequence[datetime], alerts: Sequence[int], windows: Iterable[tuple[datetime, datetime]]
) -> SeriesScore:
    """NAB's raw score of one series' 0/1 alerts under every profile."""
    index = {ts: i for i, ts in enumerate(timestamps)}
    spans = sorted((index[a], index[b]) for a, b in windows)
    n = len(timestamps)
    probation = probation_length(n)
    max_tp = _scaled_sigmoid(-1.0)
    best: dict[int, float] = {}  # window number -> best unweighted sigmoid
    fp_units = 0.0  # sum of the (negative) unweighted false-positive sigmoids
    counted = [w for w, (left, _) in enumerate(spans) if left >= probation or spans[w][1] >= probation]
    for i, alert in enumerate(alerts):
        if not alert or i < probation:
            continue
        inside = next((w for w, (left, right) in enumerate(spans) if left <= i <= right), None)
        if inside is not None:
            left, right = spans[inside]
            position = -(right - i + 1) / float(right - left + 1)
            best[inside] = max(best.get(inside, -math.inf), _scaled_sigmoid(position))
            continue
        before = [(left, right) for left, right in spans if right < i]
        if not before:
            fp_units += -1.0
        else:
            left, right = before[-1]
            fp_units += _scaled_sigmoid(abs(right - i) / float(right - left + 1 - 1))
    raw = {}
    for profile, (tp, fp, fn) in PROFILES.items():
        total = fp * fp_units
        for w in counted:
            total += max(-fn, best[w] * tp / max_tp) if w in best else -fn
        raw[profile] = total
    return SeriesScore(raw=raw, windows=len(counted))


def normalised(scores: Iterable[SeriesScore]) -> dict[str, float]:
    """NAB's normalised score (0 = never alerts, 100 = perfect) of series scored together."""
    scores = list(scores)
    windows = sum(s.windows for s in scores)
    result = {}
    for profile, (tp, _, fn) in PROFILES.items():
        total = sum(s.raw[profile] for s in scores)
        null, perfect = -fn * windows, tp * windows
        result[profile] = 100.0 * (total - null) / (perfect - null) if windows else 0.0
    return result
