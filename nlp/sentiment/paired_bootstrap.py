"""How sure a difference in dev mean macro-F1 between two models is: a paired bootstrap.

The dev sets are small where it matters (ParsiNLU has 7 neutral texts, so one text moves its macro-F1 by
0.035), so "model B is 0.006 lower" says little by itself. Each resample draws every dev set's texts with
replacement, the same draw for both models, and recomputes both means; the spread of the differences is
the interval. Classes are those of the whole set, so a resample without a set's rare class still scores
that class (as a miss for whoever predicts it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BootstrapDifference:
    difference: float  # mean macro-F1 of B minus A on the dev sets as they are
    low: float  # 2.5th percentile of the resampled differences
    high: float  # 97.5th
    share_below_zero: float  # resamples in which B was lower than A
    resamples: int


def _macro_f1(gold: np.ndarray, pred: np.ndarray, classes: np.ndarray) -> float:
    scores = []
    for c in classes:
        tp = np.sum((gold == c) & (pred == c))
        wrong = np.sum((gold != c) & (pred == c)) + np.sum((gold == c) & (pred != c))
        scores.append(2 * tp / (2 * tp + wrong) if tp else 0.0)
    return float(np.mean(scores))


def paired_bootstrap(
    gold: Mapping[str, Sequence[str]],
    pred_a: Mapping[str, Sequence[str]],
    pred_b: Mapping[str, Sequence[str]],
    resamples: int = 1000,
    seed: int = 0,
) -> BootstrapDifference:
    """Mean over the sets of macro-F1(B) - macro-F1(A), with its 95% percentile interval."""
    if not gold:
        raise ValueError("no dev sets to compare on")
    rng = np.random.default_rng(seed)
    sets = []
    for name, labels in gold.items():
        g = np.asarray(labels)
        a, b = np.asarray(pred_a[name]), np.asarray(pred_b[name])
        if not len(g) == len(a) == len(b):
            raise ValueError(f"{name}: {len(g)} gold labels but {len(a)} and {len(b)} predictions")
        sets.append((g, a, b, np.unique(g)))

    def difference(draws: list[np.ndarray] | None) -> float:
        diffs = []
        for k, (g, a, b, classes) in enumerate(sets):
            idx = draws[k] if draws is not None else slice(None)
            diffs.append(_macro_f1(g[idx], b[idx], classes) - _macro_f1(g[idx], a[idx], classes))
        return float(np.mean(diffs))

    resampled = np.array(
        [difference([rng.integers(0, len(g), len(g)) for g, *_ in sets]) for _ in range(resamples)]
    )
    return BootstrapDifference(
        difference=difference(None),
        low=float(np.percentile(resampled, 2.5)),
        high=float(np.percentile(resampled, 97.5)),
        share_below_zero=float(np.mean(resampled < 0)),
        resamples=resamples,
    )
