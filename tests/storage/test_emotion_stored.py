"""The emotion the model's head gives and the model version that scored a mention are stored on the
mention (indexed by emotion for later filters, aggregates and alert routing); absent, nothing breaks."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, select

from domain.analysis import SentimentResult
from storage.models import Mention
from storage.repository import MentionStore
from tests.storage.factories import analysis, raw_mention

ANGRY = SentimentResult(
    label="negative", score=-0.9, probs={"negative": 0.95, "neutral": 0.03, "positive": 0.02},
    emotion="anger", emotion_probs={"anger": 0.8, "sadness": 0.1, "fear": 0.05, "joy": 0.0, "surprise": 0.05},
)  # fmt: skip


def test_emotion_and_model_version_are_stored(store: MentionStore, engine: Engine) -> None:
    angry, plain = raw_mention(1), raw_mention(2)
    store.save_batch(
        [
            (angry, analysis(angry.text, sentiment=ANGRY, sentiment_model="ft-20261201-120000")),
            (plain, analysis(plain.text)),  # a model without an emotion head, version unknown
        ],
        None,
    )
    with engine.connect() as conn:
        rows = conn.execute(select(Mention.external_id, Mention.emotion, Mention.sentiment_model)).all()
        by_emotion = (
            conn.execute(select(Mention.external_id).where(Mention.emotion == "anger")).scalars().all()
        )
    assert sorted(rows) == [("tweet-1", "anger", "ft-20261201-120000"), ("tweet-2", None, None)]
    assert by_emotion == ["tweet-1"]
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("mentions")}
    assert indexes["ix_mentions_emotion_created_at"] == ["emotion", "created_at"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_bundled_model_s_emotion_reaches_the_archive(store: MentionStore, engine: Engine) -> None:
    from nlp.analyzer import Analyzer
    from nlp.sentiment import load_sentiment_model

    model = load_sentiment_model()
    raw = raw_mention(3, text="سبزینو واقعا افتضاحه، دو ساعته غذام نرسیده و کسی هم جواب نمیده! خیلی عصبانی‌ام")
    [result] = Analyzer(model, model_version="builtin").analyze([raw])
    store.save_batch([(raw, result)], None)
    with engine.connect() as conn:
        stored = conn.execute(select(Mention.emotion, Mention.sentiment_model)).one()
    assert stored == (result.sentiment.emotion, "builtin")
    if getattr(model, "emotion_head", None) is not None:  # the bundled model ships one (issue 11 item 7)
        assert stored.emotion in ("anger", "sadness", "fear", "joy", "surprise", "none")
