"""Step 1 (CPU, here): preprocess the data, train the WordPiece vocabulary, write the GPU work folder.

    .venv/bin/python -m nlp.sentiment.training.prepare --out .gpu/data

Writes ``train.jsonl`` / ``val.jsonl`` / ``dev.jsonl`` (preprocessed text, label, dataset), ``mlm_ids.npy``
(uint16 token ids of the unlabelled text + the training texts, documents separated by [SEP]) and
``tokenizer/`` (a transformers fast tokenizer). Everything the GPU step needs, with no hazm there.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np

from nlp.sentiment.preprocess import MAX_CHARS, preprocess
from nlp.sentiment.training.data import SEED, UNLABELLED_DIR, Example, make_splits

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
VAL_FRACTION = 0.05  # of train, for early stopping/model selection; dev stays untouched for reporting


def chunks(line: str, size: int = MAX_CHARS - 50) -> list[str]:
    """Split long article paragraphs at spaces so preprocessing's length cap keeps all the text."""
    out, cur = [], ""
    for word in line.split():
        if cur and len(cur) + len(word) + 1 > size:
            out.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    if cur:
        out.append(cur)
    return out


def unlabelled_texts(folder: Path = UNLABELLED_DIR, limit: int | None = None) -> list[str]:
    texts: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if limit is not None and i >= limit:
                break
            texts.extend(t for t in (preprocess(c) for c in chunks(line)) if t)
    return texts


def build_tokenizer(corpus: list[str], vocab_size: int):
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=50))
    # Text is already normalised by preprocess(); only whitespace/control clean-up here.
    tok.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False
    )
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=3, special_tokens=SPECIAL)
    tok.train_from_iterator(corpus, trainer=trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)],
    )
    tok.decoder = decoders.WordPiece()
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=128,
    )


def _write_jsonl(path: Path, examples: list[Example]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for e in examples:
            fh.write(
                json.dumps(
                    {"text": preprocess(e.text), "label": e.label, "dataset": e.dataset}, ensure_ascii=False
                )
                + "\n"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path(".gpu/data"))
    ap.add_argument("--vocab-size", type=int, default=16000)
    ap.add_argument("--unlabelled-limit", type=int, default=None, help="lines per file (tiny smoke runs)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    splits = make_splits()
    rng = random.Random(SEED)
    train = list(splits.train)
    rng.shuffle(train)
    n_val = round(len(train) * VAL_FRACTION)
    _write_jsonl(args.out / "val.jsonl", train[:n_val])
    _write_jsonl(args.out / "train.jsonl", train[n_val:])
    _write_jsonl(args.out / "dev.jsonl", [e for exs in splits.dev.values() for e in exs])
    print(f"train {len(train) - n_val}, val {n_val}, dev {sum(map(len, splits.dev.values()))}")

    # Vocabulary and MLM corpus: unlabelled text + labelled TRAIN texts (never dev).
    corpus = unlabelled_texts(limit=args.unlabelled_limit) + [preprocess(e.text) for e in train]
    print(f"corpus: {len(corpus)} documents, {sum(map(len, corpus))} characters")
    tokenizer = build_tokenizer(corpus, args.vocab_size)
    tokenizer.save_pretrained(str(args.out / "tokenizer"))
    sep = tokenizer.sep_token_id
    ids: list[int] = []
    for enc in tokenizer.backend_tokenizer.encode_batch(corpus, add_special_tokens=False):
        ids.extend(enc.ids)
        ids.append(sep)
    arr = np.asarray(ids, dtype=np.uint16)
    np.save(args.out / "mlm_ids.npy", arr)
    print(f"vocab {tokenizer.vocab_size}, MLM tokens {len(arr)}")


if __name__ == "__main__":
    main()
