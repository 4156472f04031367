"""Brand names are not news: the words that only name a brand are kept out of "rising terms".

A burst about a brand mentions the brand, so its names, aliases, handles and hashtags (and its
competitors') always look over-represented. Every form is normalised as the stored text is
(``nlp.normalize.normalize_for_search``, case folded); a multi-word alias contributes each word,
and a term that spells a form out with or without its spaces, ZWNJ or underscores is caught too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from domain.brands import BrandSettings

_WORD = re.compile(r"[^\W\d_][\w\u200c]*")
_JOINERS = re.compile(r"[\s\u200c_]+")


def _forms(brand: BrandSettings) -> list[str]:
    return [
        brand.name,
        *brand.aliases_fa,
        *brand.aliases_latin,
        *brand.aliases_finglish,
        *brand.handles,
        *brand.hashtags,
    ]


def brand_words(brands: Iterable[BrandSettings]) -> frozenset[str]:
    """Every word (and joined phrase) that names one of ``brands``, normalised."""
    from nlp.normalize import normalize_for_search  # imported late: it loads the normaliser

    words: set[str] = set()
    for brand in brands:
        for form in _forms(brand):
            norm = normalize_for_search(form.lstrip("@#")).casefold()
            tokens = _WORD.findall(norm)
            words.update(tokens)
            if tokens:
                words.add(_JOINERS.sub("", " ".join(tokens)))
    return frozenset(w for w in words if w)


def names_a_brand(term: str, words: frozenset[str]) -> bool:
    """True when ``term`` (a unigram or bigram) contains a brand word or spells one out."""
    if not words:
        return False
    parts = term.split()
    return any(p in words or p.replace("\u200c", "") in words for p in parts) or (
        _JOINERS.sub("", term) in words
    )
