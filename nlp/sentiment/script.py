"""Finglish (Persian in Latin letters) is scored in Persian script: the model was trained on Persian script.

Applied by every backend before preprocessing. Only a text with no Persian/Arabic letter can be Finglish, so
Persian-script text (almost all of it) costs one regex scan.
"""

from __future__ import annotations

import re

from nlp.sentiment.preprocess import MAX_CHARS, preprocess

_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")


def to_persian_script(text: str) -> str:
    """``text`` transliterated when language identification calls it Finglish; otherwise unchanged."""
    if not isinstance(text, str) or not text or _ARABIC_SCRIPT.search(text):
        return text
    from nlp.finglish import transliterate
    from nlp.language import detect_language

    return transliterate(text) if detect_language(text) == "finglish" else text


def model_text(text: object, finglish_to_script: bool = True) -> str:
    """What a sentiment model reads, at training and at run time alike: the text cut to the model's character
    budget (before transliterating, so a huge string costs no more than a long one), Finglish in Persian
    script, then ``preprocess``."""
    if isinstance(text, str):
        text = text[:MAX_CHARS]
    return preprocess(to_persian_script(text) if finglish_to_script else text)
