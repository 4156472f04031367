"""The sentiment model's own text preprocessing, shared by training and inference.

Training (``nlp/sentiment/training``) and every inference backend call :func:`preprocess`, so the text the
model sees at run time is normalised exactly as the text it was trained on. It deliberately does not depend
on ``nlp.normalize`` (owned by the text side): changing that module must not silently shift the model's input.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, ClassVar

#: Longer texts are cut before normalising: the model reads ~128 tokens anyway, and this bounds the cost
#: of hostile multi-megabyte inputs.
MAX_CHARS = 1000

# Bidi embeddings/overrides/isolates and marks, zero-width space/joiner, BOM, soft hyphen, word joiner.
# ZWNJ (U+200C) is kept: it is part of Persian spelling (می‌خواهم).
_INVISIBLE = re.compile("[\u200b\u200d\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
# C0/C1 controls and lone surrogates (which the tokenizer cannot encode), as nlp.normalize drops them
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@[A-Za-z0-9_.]{1,40}")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_HASHTAG = re.compile(r"#(\w+)")
_SPACES = re.compile(r"\s+")
# Four or more of one character (after hazm, which only shortens some letter runs).
_LONG_RUN = re.compile(r"(.)\1{3,}")

URL_TOKEN = "لینک"
MENTION_TOKEN = "@کاربر"


#: hazm's options for the model's text: keep specials (emoji carry sentiment); hazm's defaults remove
#: diacritics, fix spacing, use Persian digits and shorten letter runs.
HAZM_OPTIONS = {"remove_specials_chars": False, "seperate_mi": True}


@lru_cache(maxsize=1)
def _normalizer():  # hazm is imported lazily: it is slow to import and only needed once per process
    return hazm_normalizer(**HAZM_OPTIONS)


def hazm_normalizer(**options: bool) -> Any:
    """A hazm ``Normalizer`` with these options, giving hazm's output faster: hazm 0.10 rebuilds its two
    character tables and looks every pattern up in ``re``'s cache on each call (~30% of ``preprocess``);
    this builds and compiles them once. Output is hazm's, character for character
    (tests/sentiment/test_fast_paths.py compares them). Another hazm version: hazm's own Normalizer.
    Also used by ``nlp.normalize``. Build it once and keep it."""
    from hazm import Normalizer

    fast = _CachedNormalizer.build(Normalizer, options)
    return fast if fast is not None else Normalizer(**options)


def _sub_all(patterns: list[tuple[re.Pattern[str], str]], text: str) -> str:
    for pattern, replacement in patterns:
        text = pattern.sub(replacement, text)
    return text


class _CachedNormalizer:
    """hazm 0.10's ``Normalizer.normalize`` step for step, with tables and regexes prepared once."""

    #: option flag -> the hazm attributes it creates that this class reads
    _NEEDS: ClassVar[dict[str, tuple[str, ...]]] = {
        "_persian_style": ("persian_style_patterns",),
        "_persian_number": ("number_translation_src", "number_translation_dst"),
        "_remove_diacritics": ("diacritics_patterns",),
        "_correct_spacing": (
            "extra_space_patterns",
            "affix_spacing_patterns",
            "punctuation_spacing_patterns",
            "tokenizer",
        ),
        "_unicodes_replacement": ("replacements",),
    }

    def __init__(self, hazm: Any) -> None:
        from hazm import maketrans

        def compiled(name: str) -> list[tuple[re.Pattern[str], str]]:
            return [(re.compile(p), r) for p, r in getattr(hazm, name, ())]

        self.hazm = hazm
        self.table = maketrans(hazm.translation_src, hazm.translation_dst)
        self.number_table = (
            maketrans(hazm.number_translation_src, hazm.number_translation_dst)
            if hazm._persian_number
            else {}
        )
        self.persian_style = compiled("persian_style_patterns")
        self.diacritics = compiled("diacritics_patterns")
        self.extra_space = compiled("extra_space_patterns")
        self.affix_spacing = compiled("affix_spacing_patterns")
        self.punctuation_spacing = compiled("punctuation_spacing_patterns")
        self.replacements = compiled("replacements")

    @classmethod
    def build(cls, base: type, options: dict[str, bool]) -> _CachedNormalizer | None:
        hazm = base(**options)
        flags = ("_persian_style", "_persian_number", "_remove_diacritics", "_correct_spacing")
        flags += (
            "_unicodes_replacement",
            "_remove_specials_chars",
            "_decrease_repeated_chars",
            "_seperate_mi",
        )
        if not all(hasattr(hazm, f) for f in flags) or not hasattr(hazm, "translation_src"):
            return None
        for flag, names in cls._NEEDS.items():
            if getattr(hazm, flag) and not all(hasattr(hazm, n) for n in names):
                return None
        if not all(callable(getattr(hazm, m, None)) for m in ("token_spacing", "seperate_mi")):
            return None
        return cls(hazm)

    def normalize(self, text: str) -> str:
        h = self.hazm
        text = text.translate(self.table)
        if h._persian_style:
            text = _sub_all(self.persian_style, text)
        if h._persian_number:
            text = text.translate(self.number_table)
        if h._remove_diacritics:
            text = _sub_all(self.diacritics, text)
        if h._correct_spacing:
            text = self.correct_spacing(text)
        if h._unicodes_replacement:
            text = _sub_all(self.replacements, text)
        if h._remove_specials_chars:
            text = h.remove_specials_chars(text)
        if h._decrease_repeated_chars:
            text = h.decrease_repeated_chars(text)
        if h._seperate_mi:
            text = h.seperate_mi(text)
        return text

    def correct_spacing(self, text: str) -> str:  # hazm 0.10's, with the compiled patterns
        h = self.hazm
        text = _sub_all(self.extra_space, text)
        lines = [" ".join(h.token_spacing(h.tokenizer.tokenize(line))) for line in text.split("\n")]
        text = _sub_all(self.affix_spacing, "\n".join(lines))
        return _sub_all(self.punctuation_spacing, text)


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
