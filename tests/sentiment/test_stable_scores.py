"""Stable scores end to end: a mention gets the same sentiment whatever else the analyzer scores with it.

Every path that scores mentions (the service's pipeline, import, replay, ``shenava score``, the API) goes
through ``Analyzer.analyze_inputs`` with the configured model; they differ only in how many mentions and
which ones share a call. So this checks the analyzer over different batch compositions and batch sizes.
"""

from __future__ import annotations

import random

from domain.analysis import LABELS
from nlp.analyzer import Analyzer
from nlp.sentiment import load_sentiment_model
from nlp.settings import NlpSettings, SentimentSettings

MENTIONS = [
    "بانک مرکزی نرخ سود سپرده را اعلام کرد",
    "امروز سفارش دادم، فردا تحویل میدن",
    "دستتون درد نکنه واقعا، غذا بعد دو ساعت یخ زده رسید 👏",
    "merci az poshtibani, kheili sari moshkelam hal shod",
    "غذا خیلی دیر رسید و سرد شده بود",
    "😍😍😍",
    "\u202eافتضاح\u202c" * 50,
    "خوب " * 300,
    "",
    "سلام، سفارش ۱۲۳۴ من هنوز نرسیده @support #دیجی_کالا https://x.co/a",
] + [f"سفارش {i} دیر رسید ولی غذا گرم بود" for i in range(20)]


def _sentiments(analyzer: Analyzer, texts: list[str]) -> list[tuple[str, list[float]]]:
    return [
        (a.sentiment.label, [a.sentiment.probs[k] for k in LABELS]) for a in analyzer.analyze_texts(texts)
    ]


def test_analyzer_scores_do_not_depend_on_the_batch() -> None:
    model = load_sentiment_model(SentimentSettings())
    whole = _sentiments(Analyzer(model), MENTIONS)
    one_by_one = [s for t in MENTIONS for s in _sentiments(Analyzer(model), [t])]
    small_batches = _sentiments(
        Analyzer(model, nlp_settings=NlpSettings(sentiment=SentimentSettings(batch_size=3))), MENTIONS
    )
    order = list(range(len(MENTIONS)))
    random.Random(3).shuffle(order)
    shuffled = _sentiments(Analyzer(model), [MENTIONS[i] for i in order])
    unshuffled = [shuffled[order.index(i)] for i in range(len(MENTIONS))]
    for name, other in (
        ("one by one", one_by_one),
        ("batches of 3", small_batches),
        ("shuffled", unshuffled),
    ):
        for i, ((label_a, probs_a), (label_b, probs_b)) in enumerate(zip(whole, other, strict=True)):
            assert label_a == label_b, (name, i)
            assert max(abs(x - y) for x, y in zip(probs_a, probs_b, strict=True)) <= 1e-4, (name, i)
