"""Perturbed copies of a count series for the NAB benchmark: the same events, another volume or clumping.

Each perturbation takes the rows ``(raw timestamp, timestamp, count)`` and returns the rows the detector
sees and how many leading rows it skips; :func:`run_detector` takes both. The labels are the original
series', so every figure on a perturbed copy is as IN-SAMPLE as the original's: they show how the
defaults bend on a quieter, busier or clumpier series, not what they score on an unseen one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import numpy as np

from alerts.detection import DetectorConfig, SpikeDetector

Rows = list[tuple[str, datetime, float]]
Perturbation = Callable[[Rows], tuple[Rows, int]]
DAY = 288  # NAB realTweets' 5-minute buckets a day


def run_detector(rows: Rows, config: DetectorConfig, skip: int = 0) -> list[int]:
    """0/1 alerts per row; the first ``skip`` rows are never shown to the detector (alert 0)."""
    detector = SpikeDetector(config)
    return [0] * skip + [int(detector.update(ts, value).alert) for _, ts, value in rows[skip:]]


def scale_counts(factor: float) -> Perturbation:
    return lambda rows: ([(raw, ts, float(round(v * factor))) for raw, ts, v in rows], 0)


def thin_counts(share: float, seed: int = 20150301) -> Perturbation:
    """Keep each event with probability ``share`` (a lower-volume series, Poisson noise included)."""

    def perturb(rows: Rows) -> tuple[Rows, int]:
        counts = np.random.default_rng(seed).binomial(_counts(rows), share)
        return _with_counts(rows, counts), 0

    return perturb


def retweet_waves(mean_extra: float, seed: int = 20150301) -> Perturbation:
    """Every tweet becomes a wave: itself and a geometric number of copies (``mean_extra`` on average),
    a clumpier series with the same rhythm and the same events."""

    def perturb(rows: Rows) -> tuple[Rows, int]:
        counts = _counts(rows)
        # v tweets' geometric copies (a copy follows with probability 1 - keep, again and again) add up
        # to a negative binomial with v successes.
        keep = 1.0 / (1.0 + mean_extra)
        copies = np.random.default_rng(seed).negative_binomial(np.maximum(counts, 1), keep)
        return _with_counts(rows, counts + np.where(counts > 0, copies, 0)), 0

    return perturb


def _counts(rows: Rows) -> np.ndarray:
    return np.array([int(v) for _, _, v in rows], dtype=np.int64)


def _with_counts(rows: Rows, counts: np.ndarray) -> Rows:
    return [(raw, ts, float(n)) for (raw, ts, _), n in zip(rows, counts, strict=True)]


def later_start(rows: Rows) -> tuple[Rows, int]:
    return rows, DAY  # the detector first sees the series one day in
