"""The speed-ups of issue 11 item 8 change nothing: hazm's output, the batches' constraints, the scores.

- ``hazm_normalizer`` prepares hazm's tables and regexes once; it must give hazm's own output.
- ``_batches`` chooses where to cut the length-sorted texts; every batch keeps the limits.
- ``parallel_batches`` runs batches in threads; the results are those of one thread.
"""

from __future__ import annotations

import random

import pytest

from nlp.eval.everyday import everyday_set
from nlp.sentiment.preprocess import HAZM_OPTIONS, hazm_normalizer
from nlp.sentiment.script import to_persian_script

TRICKY = [
    "اِعلاممممم کَرد : « زمین لرزه ای به بُزرگیِ 6 دهم ریشتر ...»",
    'ﷲ ﷽ ﻻ 12.5% "سلام" دنیـــا',
    "جمعهها که کار نمی کنم\nمطالعه می کنم\n\n\n\nکتاب ها",
    "\u200cسلام\u200c\u200c به \u200cهمه\u200c   ",
    "به طول ۹متر و عرض۶ (خیلی) خوبه!!! نمیدونم میخوام",
    "",
    " ",
    "😍😍 عالیییی بود",
]


@pytest.mark.parametrize(
    "options",
    [
        HAZM_OPTIONS,  # the model's text (nlp.sentiment.preprocess)
        {
            "persian_numbers": False,
            "decrease_repeated_chars": False,
            "remove_specials_chars": False,
        },  # nlp.normalize
        {},  # hazm's defaults
    ],
)
def test_cached_hazm_normalizer_gives_hazms_output(options: dict[str, bool]) -> None:
    from hazm import Normalizer

    stock, fast = Normalizer(**options), hazm_normalizer(**options)
    assert not isinstance(fast, Normalizer)  # the fast one is in use with this hazm
    texts = TRICKY + [i.text for i in everyday_set()]
    texts += [to_persian_script(t) for t in texts]
    for text in texts:
        assert fast.normalize(text) == stock.normalize(text), text


def _greedy_cost(model, order: list[int], ids: list[list[int]]) -> int:
    batches, current = [], []
    for k in order:
        if current and (
            len(current) >= model.batch_size or (len(current) + 1) * len(ids[k]) > model.max_batch_tokens
        ):
            batches.append(current)
            current = []
        current.append(k)
    batches.append(current)
    return sum(model.call_overhead_tokens + len(b) * max(len(ids[k]) for k in b) for b in batches)


@pytest.mark.parametrize("seed", range(5))
def test_batches_keep_the_limits_and_cost_no_more_than_greedy_cuts(onnx_model, seed: int) -> None:
    rng = random.Random(seed)
    ids = [[1] * rng.choice([rng.randint(3, 40), rng.randint(40, 128)]) for _ in range(rng.randint(1, 300))]
    order = sorted(range(len(ids)), key=lambda k: len(ids[k]))
    batches = onnx_model._batches(order, ids)
    assert [k for b in batches for k in b] == order  # consecutive runs, every text once, in order
    for b in batches:
        assert 1 <= len(b) <= onnx_model.batch_size
        assert len(b) == 1 or len(b) * max(len(ids[k]) for k in b) <= onnx_model.max_batch_tokens
    cost = sum(onnx_model.call_overhead_tokens + len(b) * max(len(ids[k]) for k in b) for b in batches)
    assert cost <= _greedy_cost(onnx_model, order, ids)


def test_parallel_batches_give_the_results_of_one_thread(onnx_model) -> None:
    texts = [i.text for i in everyday_set()][:200]
    assert onnx_model.parallel_batches >= 1
    before = onnx_model.parallel_batches
    try:
        onnx_model.parallel_batches = 1
        one = onnx_model.predict(texts)
        onnx_model.parallel_batches = 3
        many = onnx_model.predict(texts)
    finally:
        onnx_model.parallel_batches = before
    for a, b in zip(one, many, strict=True):
        assert a.label == b.label and a.emotion == b.emotion
        assert max(abs(a.probs[k] - b.probs[k]) for k in a.probs) <= 1e-6
