"""knn_probe.py: the neighbours' label mix and the nested choice on two halves of validation."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.sentiment.training.cpu_finetune import LABELS, Row
from nlp.sentiment.training.knn_probe import grid_predictions, neighbour_probs, nested, unit_rows


def test_neighbour_probs_weigh_the_closest_most() -> None:
    sims = np.array([[0.9, 0.8, 0.1]])
    labels = np.array([[0, 2, 2]])
    sharp = neighbour_probs(sims, labels, k=3, tau=0.02)
    flat = neighbour_probs(sims, labels, k=3, tau=100.0)
    assert sharp[0].argmax() == 0 and sharp[0, 0] > 0.99
    assert flat[0] == pytest.approx([1 / 3, 0.0, 2 / 3], abs=1e-2)
    assert neighbour_probs(sims, labels, k=1, tau=1.0)[0] == pytest.approx([1.0, 0.0, 0.0])


def test_unit_rows_are_unit_length_in_every_space() -> None:
    x = np.random.default_rng(0).normal(3.0, 2.0, size=(5, 4))
    for space in ("raw", "centre", "std"):
        rows = unit_rows(x, x.mean(0), x.std(0), space)
        assert np.linalg.norm(rows, axis=1) == pytest.approx(np.ones(5))


def test_neighbours_fix_a_model_that_is_wrong_where_the_features_are_right() -> None:
    rng = np.random.default_rng(1)
    centres = np.eye(3) * 10
    train_y = np.repeat(np.arange(3), 40)
    train_feats = centres[train_y] + rng.normal(size=(120, 3))
    val_y = np.tile(np.arange(3), 20)
    val_feats = centres[val_y] + rng.normal(size=(60, 3))
    wrong = np.full((60, 3), 0.2)
    wrong[:, 0] = 0.6  # the model says negative for everything
    rows = [Row(f"t{i}", LABELS[y], "set") for i, y in enumerate(val_y)]
    preds = grid_predictions(train_feats, train_y, val_feats, wrong)
    assert (preds["raw", 8, 1.0, 0.0] == 0).all()  # lam 0: the model alone
    assert (preds["centre", 8, 0.1, 1.0] == val_y).mean() > 0.95  # lam 1: the neighbours alone
    for chosen, tuned, reported, alone in nested(rows, preds):
        assert chosen[3] > 0.0 and reported > alone
        assert tuned == pytest.approx(1.0, abs=0.05)
