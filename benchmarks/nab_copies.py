"""Eighteen perturbed copies of NAB's five series: a check on the defaults beyond the series they fit.

Each series thinned to 50 / 70 / 85% of its events (a quieter brand) and made clumpier with retweet
waves of 0.5 / 1 / 2 extra copies per tweet on average, three seeds each. Issue 10's rounds 12-14 judged
candidate rules on such a set with throwaway scripts; here it is, so the figures the detection README
cites can be rerun. The labels are the originals', so every figure is IN-SAMPLE: an idea that gains on
the five series and loses on their copies has fitted the five.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from typing import Any

from alerts.detection import DetectorConfig
from benchmarks.nab_perturbations import Perturbation, Rows, retweet_waves, run_detector, thin_counts
from benchmarks.nab_scoring import SeriesScore, normalised, score_series

SEEDS = 3
KINDS: dict[str, tuple[Callable[..., Perturbation], tuple[float, ...]]] = {
    "thinned": (thin_counts, (0.5, 0.7, 0.85)),
    "waves": (retweet_waves, (0.5, 1.0, 2.0)),
}

Windows = list[tuple[datetime, datetime]]
Copy = tuple[str, float, int]  # kind, value, seed number


def copies() -> list[Copy]:
    """The set, thinned copies first: every kind x value x seed number."""
    return [
        (kind, value, seed)
        for kind, (_, values) in KINDS.items()
        for value in values
        for seed in range(SEEDS)
    ]


def perturbation(copy: Copy) -> Perturbation:
    kind, value, seed = copy
    make, _ = KINDS[kind]
    # Each copy its own draw (the round-14 scripts' seeding, so a copy is reproducible by its name).
    return make(value, seed=20150301 + 7919 * seed + int(100 * value))


def _score(job: tuple[Rows, Windows, Copy, dict[str, Any]]) -> SeriesScore:
    rows, windows, copy, overrides = job
    seen, skip = perturbation(copy)(rows)
    alerts = run_detector(seen, DetectorConfig(**overrides), skip)
    return score_series([ts for _, ts, _ in rows], alerts, windows)


def score_copies(
    series: dict[str, Rows],
    windows: dict[str, Windows],
    overrides: dict[str, Any] | None = None,
    workers: int = 2,
) -> dict[str, dict[str, float]]:
    """Normalised scores per profile: each copy's five series scored together, then the mean over the
    copies of each kind and value (``thinned 0.5``), of each kind (``thinned``) and of all (``all``)."""
    plan = copies()
    names = list(series)
    jobs = [(series[n], windows[n], copy, overrides or {}) for copy in plan for n in names]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        scored = list(pool.map(_score, jobs, chunksize=len(names)))
    groups: dict[str, list[dict[str, float]]] = {"all": []}
    for i, (kind, value, _) in enumerate(plan):
        scores = normalised(scored[i * len(names) : (i + 1) * len(names)])
        for group in ("all", kind, f"{kind} {value:g}"):
            groups.setdefault(group, []).append(scores)
    return {g: {p: sum(s[p] for s in group) / len(group) for p in group[0]} for g, group in groups.items()}
