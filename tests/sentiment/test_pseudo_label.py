"""The self-training candidates (nlp/sentiment/training/pseudo_label.py): social lines only, each once, at
mention length, in the form the model reads; and nothing that is held apart for evaluation."""

from __future__ import annotations

from pathlib import Path

from nlp.eval.everyday import everyday_set
from nlp.sentiment.script import model_text
from nlp.sentiment.training import pseudo_label


def _write(root: Path, name: str, lines: list[str]) -> None:
    (root / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_candidates_are_distinct_social_lines_of_mention_length(tmp_path: Path) -> None:
    for name in pseudo_label.SOCIAL_FILES:
        _write(tmp_path, name, ["سلام"])  # every file present, each line too short to keep
    _write(tmp_path, "tweets_parsoff.txt", ["این سفارش خیلی دیر رسید", "پشتیبانی جواب نمیده", "x" * 2000])
    finglish = "merci az poshtibani kheili sari bood"
    _write(tmp_path, "taaghche_comments.txt", [finglish, "این سفارش خیلی دیر رسید"])
    _write(tmp_path, "news_farsnews.txt", ["بانک مرکزی نرخ سود سپرده را اعلام کرد"])  # an article: not social
    got = pseudo_label.candidate_texts(tmp_path)
    texts = [t for _, t in got]
    assert texts.count(model_text("این سفارش خیلی دیر رسید")) == 1
    assert model_text(finglish) in texts  # Finglish as the model reads it
    assert all(8 <= len(t) <= 600 for t in texts)
    assert not any("بانک مرکزی" in t for t in texts)
    assert {src for src, _ in got} == {"tweets_parsoff", "taaghche_comments"}


def test_held_apart_texts_cover_the_everyday_set_and_dev() -> None:
    banned = pseudo_label.held_apart_texts()
    assert all(model_text(item.text) in banned for item in everyday_set())
    from nlp.sentiment.preprocess import preprocess
    from nlp.sentiment.training.data import make_splits

    dev = make_splits().dev
    assert all(preprocess(e.text) in banned for rows in dev.values() for e in rows)
