"""Pseudo-labelled social text for self-training: the model's confident labels on unlabelled mentions.

    .venv/bin/python -m nlp.sentiment.training.pseudo_label --out .gpu/pseudo.jsonl

The review sets the model learns from are mostly binary and formal-ish; the unlabelled social files in
``../shared/data/unlabelled`` (tweets, Instagram and product comments: the domains of ArmanEmo,
DeepSentiPers and of real mentions) carry no labels. The bundled model scores them, and the texts it
is most sure of (calibrated probability >= ``--min-prob``) become training rows for ``cpu_finetune
--pseudo``, at most ``--per-class`` per label, so that no class floods the mix. Texts equal (after
preprocessing) to any dev, validation or everyday-evaluation text are left out, so no figure is measured
on a text the model trained on. The output holds the unlabelled files' text, so it stays out of the
repository (``.gpu/`` is git-ignored): rebuild it with this command.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from nlp.sentiment.preprocess import preprocess
from nlp.sentiment.script import model_text
from nlp.sentiment.training.data import SEED, UNLABELLED_DIR, make_splits

# informal social and review text; the news, sports and health articles are neutral by genre already
SOCIAL_FILES = (
    "colloquial_shekasteh.txt",
    "digikala_comments_ca3.txt",
    "digikala_reviews_parsabsa.txt",
    "instagram_parsoffensive.txt",
    "parstwiner_tweets.txt",
    "taaghche_comments.txt",
    "tweets_parsoff.txt",
    "tweets_shortpersianemo.txt",
    "tweets_topic_elirn98.txt",
)


def held_apart_texts() -> set[str]:
    """Preprocessed texts no training row may equal: dev splits, validation, the everyday set."""
    from nlp.eval.everyday import everyday_set
    from nlp.sentiment.training.cpu_finetune import build_sets

    out = {preprocess(e.text) for rows in make_splits().dev.values() for e in rows}
    out |= {r.text for r in build_sets({})[1]}
    out |= {model_text(item.text) for item in everyday_set()}
    return out


def candidate_texts(root: Path = UNLABELLED_DIR) -> list[tuple[str, str]]:
    """(file stem, model text) of every distinct social line short enough to be a mention."""
    seen: set[str] = set()
    out = []
    for name in SOCIAL_FILES:
        for line in (root / name).read_text(encoding="utf-8").splitlines():
            text = model_text(line)
            if 8 <= len(text) <= 600 and text not in seen:
                seen.add(text)
                out.append((Path(name).stem, text))
    return out


def main() -> None:
    from nlp.sentiment.loader import load_sentiment_model

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--min-prob", type=float, default=0.9)
    ap.add_argument("--per-class", type=int, default=6000)
    args = ap.parse_args()

    banned = held_apart_texts()
    candidates = [(src, t) for src, t in candidate_texts() if t not in banned]
    model = load_sentiment_model()
    results = model.predict([t for _, t in candidates])
    by_label: dict[str, list[dict]] = {}
    for (src, text), res in zip(candidates, results, strict=True):
        p = res.probs[res.label]
        if p >= args.min_prob:
            row = {"text": text, "label": res.label, "p": round(p, 4), "src": src}
            by_label.setdefault(res.label, []).append(row)
    rng = random.Random(SEED)
    rows = []
    for label in sorted(by_label):
        pool = by_label[label]
        rng.shuffle(pool)
        rows += pool[: args.per_class]
        print(f"{label}: {len(pool)} at p >= {args.min_prob}, kept {min(len(pool), args.per_class)}")
    rng.shuffle(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(candidates)} candidates, {len(rows)} rows -> {args.out}")


if __name__ == "__main__":
    main()
