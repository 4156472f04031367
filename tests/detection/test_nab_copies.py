"""The perturbed copies behind the NAB benchmark's robustness figures (benchmarks/nab_perturbations.py,
benchmarks/nab_copies.py): thinning keeps a share of the events, retweet waves add copies of them, each
copy draws its own events, and the copy set's means are what the bench prints."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from benchmarks.nab_copies import KINDS, SEEDS, copies, perturbation, score_copies
from benchmarks.nab_perturbations import Rows, retweet_waves, thin_counts

START = datetime(2015, 3, 1)


def _rows(counts: list[float]) -> Rows:
    out = []
    for i, value in enumerate(counts):
        ts = START + timedelta(minutes=5 * i)
        out.append((ts.isoformat(sep=" "), ts, float(value)))
    return out


def _counts(rows: Rows) -> np.ndarray:
    return np.array([v for _, _, v in rows])


@pytest.fixture(scope="module")
def busy() -> Rows:
    rng = np.random.default_rng(5)
    return _rows(list(rng.poisson(40.0, 2000)) + [0.0] * 50)


def test_thinning_keeps_about_its_share_of_each_buckets_events(busy: Rows) -> None:
    thinned, skip = thin_counts(0.3, seed=1)(busy)
    before, after = _counts(busy), _counts(thinned)
    assert skip == 0
    assert [ts for _, ts, _ in thinned] == [ts for _, ts, _ in busy]
    assert np.all(after <= before)
    assert after.sum() / before.sum() == pytest.approx(0.3, abs=0.01)


def test_retweet_waves_add_copies_of_tweets_and_none_to_an_empty_bucket(busy: Rows) -> None:
    waved, _ = retweet_waves(1.0, seed=1)(busy)
    before, after = _counts(busy), _counts(waved)
    assert np.all(after >= before)
    assert np.all(after[before == 0] == 0)
    assert (after.sum() - before.sum()) / before.sum() == pytest.approx(1.0, abs=0.03)
    # A wave is a clump: the counts vary more than their mean says (a Poisson series' would not).
    assert after[:2000].var() > 2.0 * after[:2000].mean()


def test_the_same_seed_draws_the_same_copy_and_another_seed_another(busy: Rows) -> None:
    first = _counts(thin_counts(0.5, seed=3)(busy)[0])
    assert np.array_equal(first, _counts(thin_counts(0.5, seed=3)(busy)[0]))
    assert not np.array_equal(first, _counts(thin_counts(0.5, seed=4)(busy)[0]))


def test_every_copy_in_the_set_draws_differently(busy: Rows) -> None:
    plan = copies()
    assert len(plan) == SEEDS * sum(len(values) for _, values in KINDS.values())
    drawn = {tuple(_counts(perturbation(copy)(busy)[0])) for copy in plan}
    assert len(drawn) == len(plan)


def test_the_copy_means_cover_every_copy_kind_and_value() -> None:
    rng = np.random.default_rng(9)
    counts = list(rng.poisson(6.0, 4 * 288))
    counts[3 * 288 + 100 : 3 * 288 + 106] = [90.0] * 6  # a burst inside the labelled window
    rows = _rows(counts)
    window = (rows[3 * 288 + 60][1], rows[3 * 288 + 160][1])
    result = score_copies({"Twitter_volume_TEST.csv": rows}, {"Twitter_volume_TEST.csv": [window]}, workers=1)
    kinds = list(KINDS)
    values = [f"{kind} {value:g}" for kind, (_, vs) in KINDS.items() for value in vs]
    assert set(result) == {"all", *kinds, *values}
    for profile, score in result["all"].items():
        assert score == pytest.approx(sum(result[kind][profile] for kind in kinds) / len(kinds))
    # Every copy finds the burst: a copy that missed its only window would score <= 0 and pull its
    # three-copy group's mean to <= 66.7 (a found window, early, scores at most 100).
    assert min(scores["standard"] for scores in result.values()) > 70.0
