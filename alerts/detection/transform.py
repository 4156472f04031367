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


def tail_z(count: float, mean: float, dispersion: float) -> float:
    """Normal-equivalent z of seeing ``count`` or more when a negative binomial expects ``mean``.

    P(X >= count) for NB(mean, k=dispersion), turned into the z with the same upper-tail probability.
    Exact where the stabilised axis is not: at small means (a 0 -> 14 jump is far rarer than a Gaussian
    on the square-root scale says). Returns 0 for counts at or below the mean; capped at 40.
    """
    if count <= mean or count <= 0:
        return 0.0
    from scipy.special import betainc, ndtri  # lazy: keeps `shenava --help` fast

    success = dispersion / (dispersion + mean)
    # P(X >= x) = I_{1-p}(x, k) for the number of failures X before the k-th success.
    tail = float(betainc(math.ceil(count), dispersion, 1.0 - success))
    if tail <= 0.0:
        return 40.0
    return min(40.0, max(0.0, float(-ndtri(tail))))
