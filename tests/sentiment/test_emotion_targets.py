"""cpu_finetune.emotion_targets (``--emotion-aux``): ArmanEmo rows get their emotion, other rows -1."""

from __future__ import annotations

from nlp.sentiment.emotion import EMOTIONS
from nlp.sentiment.preprocess import preprocess
from nlp.sentiment.training.cpu_finetune import Row, emotion_targets
from nlp.sentiment.training.emotion_head import armanemo_emotions


def test_armanemo_rows_carry_their_emotion_and_other_rows_none() -> None:
    labelled = armanemo_emotions()
    picked = {}
    for text, emotion in labelled:  # one text of each emotion ArmanEmo has
        picked.setdefault(emotion, text)
    assert set(picked) == set(EMOTIONS)
    rows = [Row(preprocess(text), "negative", "armanemo") for text in picked.values()]
    rows += [
        Row(preprocess(next(iter(picked.values()))), "negative", "insta"),  # the same text from another set
        Row("متنی که در آرمان‌اموشن نیست", "neutral", "armanemo"),
    ]
    targets = emotion_targets(rows).tolist()
    assert targets[: len(picked)] == [EMOTIONS.index(e) for e in picked]
    assert targets[len(picked) :] == [-1, -1]
