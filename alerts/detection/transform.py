"""Variance-stabilising transform for over-dispersed counts (negative-binomial style).

For a negative binomial with mean m and dispersion k (variance m + m²/k) the transform
``g(x) = 2·√k·asinh(√((x + 3/8) / k))`` has variance close to 1 at every mean: below k it behaves like
Anscombe's 2·√(x + 3/8) (Poisson), above k like √k·log(x) (multiplicative noise). One residual scale
then serves a brand's night-time trickle and its day-time flood.
"""

from __future__ import annotations

import math

_ANSCOMBE = 3.0 / 8.0


def stabilise(count: float, dispersion: float) -> float:
    """Map a count onto the axis where its noise is roughly unit-variance."""
    root_k = math.sqrt(dispersion)
    return 2.0 * root_k * math.asinh(math.sqrt((count + _ANSCOMBE) / dispersion))


def unstabilise(value: float, dispersion: float) -> float:
    """Inverse of :func:`stabilise`, clamped at a count of 0."""
    root_k = math.sqrt(dispersion)
    s = math.sinh(max(value, 0.0) / (2.0 * root_k))
    return max(0.0, dispersion * s * s - _ANSCOMBE)
