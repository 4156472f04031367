"""Build the Persian word-frequency vocabulary the Finglish transliterator scores candidates with.

    .venv/bin/python scripts/build_persian_vocab.py            # writes nlp/data/persian_vocab.tsv.gz

Reads every file of ``../shared/data/unlabelled`` (never copied into the project). Finglish is informal
writing, so a word seen in the social/review files counts ``INFORMAL_WEIGHT`` times, one seen in the
formal news and health articles once (otherwise formal «دارد» outweighs «درد», «ساخته» «سخته»).
Tokens are runs of Persian letters (ZWNJ inside a word kept), after mapping Arabic letters to Persian
ones, removing diacritics and tatweel, and shortening letter stretches of three or more to one letter. Keeps
the ``--size`` most frequent words (default 60,000) with their counts, most frequent first; ties broken
by the word, and the gzip header has no timestamp, so the output is byte-for-byte reproducible. Only
these derived counts are committed, never the text.
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "unlabelled"
TARGET = ROOT / "nlp" / "data" / "persian_vocab.tsv.gz"

ZWNJ = "\u200c"
FORMAL = frozenset({"news_farsnews.txt", "sports_news_varzesh3.txt", "health_namnak.txt"})
INFORMAL_WEIGHT = 3
_ARABIC = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "ۀ": "ه", "ؤ": "و", "إ": "ا", "أ": "ا"})
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # diacritics, superscript alef, tatweel
_WORD = re.compile(f"[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u0622{ZWNJ}]+")
_STRETCH = re.compile(r"([^\u200c])\1{2,}")


def words(line: str) -> list[str]:
    line = _MARKS.sub("", line.translate(_ARABIC))
    out = []
    for token in _WORD.findall(line):
        token = _STRETCH.sub(r"\1", token.strip(ZWNJ))
        while ZWNJ * 2 in token:
            token = token.replace(ZWNJ * 2, ZWNJ)
        if token:
            out.append(token)
    return out


def build(source: Path = SOURCE, size: int = 60_000) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for path in sorted(source.glob("*.txt")):
        weight = 1 if path.name in FORMAL else INFORMAL_WEIGHT
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                for word in words(line):
                    counts[word] += weight
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=60_000)
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args()
    vocab = build(size=args.size)
    data = "".join(f"{w}\t{c}\n" for w, c in vocab).encode("utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)
    print(f"{len(vocab)} words (last count {vocab[-1][1]}) -> {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
