"""The analyzer's pipeline (the model scores in a worker thread while the rest runs) changes nothing."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest

from alerts.settings import UrgencySettings
from domain.analysis import SentimentResult
from nlp.analyzer import Analyzer, TextInput
from nlp.eval.datasets import eval_brands
from nlp.eval.everyday import everyday_set
from nlp.sentiment import LexiconFallbackSentimentModel, load_sentiment_model
from nlp.sentiment.batching import ThreadPool
from nlp.settings import NlpSettings, SentimentSettings


def _analyzer(model, *, pipeline: bool, batch_size: int = 64) -> Analyzer:
    return Analyzer(
        model,
        brands=eval_brands(),
        nlp_settings=NlpSettings(sentiment=SentimentSettings(batch_size=batch_size)),
        crisis_words=UrgencySettings().crisis_words,
        pipeline=pipeline,
    )


def _inputs() -> list[TextInput]:
    texts = [i.text for i in everyday_set()][:150]
    texts += ["", "   ", "😍😍", "https://x.co/a", "کلاهبرداری کردید، شکایت می‌کنم!!! سفارش 1234567"]
    return [TextInput(text=t, followers=i * 37, metrics={"likes": i}) for i, t in enumerate(texts)]


def test_pipelined_analysis_equals_the_sequential_one_with_the_bundled_model() -> None:
    model = load_sentiment_model(SentimentSettings())
    inputs = _inputs()
    before = model.parallel_batches
    try:
        model.parallel_batches = 1
        sequential = _analyzer(model, pipeline=False).analyze_inputs(inputs)
        model.parallel_batches = max(2, before)
        pipelined = _analyzer(model, pipeline=True).analyze_inputs(inputs)
    finally:
        model.parallel_batches = before
    assert len(pipelined) == len(sequential) == len(inputs)
    for a, b in zip(sequential, pipelined, strict=True):
        assert (
            a == b
        )  # every field: text, language, brands, sentiment, emotion, touchpoints, urgency, signals


class Recording:
    def __init__(self, fail_on: int | None = None) -> None:
        self.inner = LexiconFallbackSentimentModel()
        self.name = "recording"
        self.batches: list[list[str]] = []
        self.fail_on = fail_on

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        self.batches.append(list(texts))
        if self.fail_on is not None and len(self.batches) == self.fail_on:
            raise ValueError("model failed")
        return self.inner.predict(texts)


@pytest.mark.parametrize("batch_size", [1, 3, 64])
def test_the_model_gets_the_same_batches_in_the_same_order(batch_size: int) -> None:
    inputs = _inputs()
    seq, pipe = Recording(), Recording()
    a = _analyzer(seq, pipeline=False, batch_size=batch_size).analyze_inputs(inputs)
    b = _analyzer(pipe, pipeline=True, batch_size=batch_size).analyze_inputs(inputs)
    assert seq.batches == pipe.batches
    assert all(len(batch) <= batch_size for batch in pipe.batches)
    assert a == b


def test_a_model_error_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="model failed"):
        _analyzer(Recording(fail_on=2), pipeline=True, batch_size=8).analyze_inputs(_inputs())


def test_thread_pool_is_made_again_after_a_fork() -> None:
    pool = ThreadPool(1, "test")
    assert pool.get().submit(lambda: 1).result() == 1
    pid = os.fork()
    if pid == 0:  # the child: the parent's threads are gone, the pool must still work
        ok = pool.get().submit(lambda: 2).result(timeout=10) == 2
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
