"""The sentiment model's own text preprocessing, shared by training and inference.

Training (``nlp/sentiment/training``) and every inference backend call :func:`preprocess`, so the text the
model sees at run time is normalised exactly as the text it was trained on. It deliberately does not depend
on ``nlp.normalize`` (owned by the text side): changing that module must not silently shift the model's input.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Longer texts are cut before normalising: the model reads ~128 tokens anyway, and this bounds the cost
#: of hostile multi-megabyte inputs.
MAX_CHARS = 1000

# Bidi embeddings/overrides/isolates and marks, zero-width space/joiner, BOM, soft hyphen, word joiner.
# ZWNJ (U+200C) is kept: it is part of Persian spelling (می‌خواهم).
_INVISIBLE = re.compile("[\u200b\u200d\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@[A-Za-z0-9_.]{1,40}")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_HASHTAG = re.compile(r"#(\w+)")
_SPACES = re.compile(r"\s+")
# Four or more of one character (after hazm, which only shortens some letter runs).
_LONG_RUN = re.compile(r"(.)\1{3,}")

URL_TOKEN = "لینک"
MENTION_TOKEN = "@کاربر"


@lru_cache(maxsize=1)
def _normalizer():  # hazm is imported lazily: it is slow to import and only needed once per process
    from hazm import Normalizer

    # Keep specials (emoji carry sentiment); hazm's default removes diacritics and fixes spacing.
    return Normalizer(remove_specials_chars=False, seperate_mi=True)


def preprocess(text: object) -> str:
    """Normalise one text for the sentiment model (pure; never raises on str input).

    Non-string input (None, numbers) becomes "" or its str(); output is a single line.
    """
    if text is None:
        return ""
    s = text if isinstance(text, str) else str(text)
    s = s[:MAX_CHARS]
    s = _CONTROL.sub(" ", _INVISIBLE.sub("", s))
    s = _HTML_TAG.sub(" ", s)
    s = _URL.sub(f" {URL_TOKEN} ", s)
    s = _MENTION.sub(f" {MENTION_TOKEN} ", s)
    # "#دیجی_کالا" reads as the words "دیجی کالا".
    s = _HASHTAG.sub(lambda m: " " + m.group(1).replace("_", " ") + " ", s)
    s = _SPACES.sub(" ", s).strip()
    if not s:
        return ""
    s = _normalizer().normalize(s)
    s = _LONG_RUN.sub(r"\1\1\1", s)
    return _SPACES.sub(" ", s).strip().lower()


def preprocess_many(texts: list[object] | tuple[object, ...]) -> list[str]:
    return [preprocess(t) for t in texts]
