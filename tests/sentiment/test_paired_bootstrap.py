"""The paired bootstrap that says how sure a dev-mean difference between two models is."""

import pytest

from nlp.sentiment.paired_bootstrap import paired_bootstrap

GOLD = {
    "binary": ["negative"] * 30 + ["positive"] * 30,
    "three": ["negative"] * 20 + ["neutral"] * 5 + ["positive"] * 20,
}


def test_the_same_predictions_differ_by_nothing_in_every_resample():
    pred = {"binary": GOLD["binary"][::-1], "three": ["neutral"] * 45}
    result = paired_bootstrap(GOLD, pred, pred, resamples=200)
    assert result.difference == 0.0
    assert result.low == result.high == 0.0
    assert result.share_below_zero == 0.0


def test_a_model_right_where_the_other_is_wrong_is_better_in_every_resample():
    perfect = {name: list(labels) for name, labels in GOLD.items()}
    worse = {name: ["positive"] * len(labels) for name, labels in GOLD.items()}
    result = paired_bootstrap(GOLD, worse, perfect, resamples=200)
    assert result.difference > 0.5
    assert 0 < result.low <= result.difference <= result.high
    assert result.share_below_zero == 0.0
    flipped = paired_bootstrap(GOLD, perfect, worse, resamples=200)
    assert flipped.difference == pytest.approx(-result.difference)
    assert flipped.share_below_zero == 1.0


def test_one_text_of_a_rare_class_gives_an_interval_that_spans_zero():
    gold = {"three": ["negative"] * 40 + ["neutral"] * 3 + ["positive"] * 40}
    a = {"three": list(gold["three"])}
    b = {"three": list(gold["three"])}
    b["three"][40] = "negative"  # B misses one of the three neutral texts, A misses one negative
    a["three"][0] = "positive"
    result = paired_bootstrap(gold, a, b, resamples=500)
    assert result.difference < 0  # one rare-class text weighs more than one common one
    assert result.low < 0 < result.high


def test_mismatched_lengths_are_a_clear_error():
    with pytest.raises(ValueError, match="binary: 60 gold labels but 59"):
        paired_bootstrap(GOLD, {**GOLD, "binary": GOLD["binary"][:-1]}, GOLD)
    with pytest.raises(ValueError, match="no dev sets"):
        paired_bootstrap({}, {}, {})
