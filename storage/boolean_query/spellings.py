"""The other ways Persian writers spell a query word, so a search finds all of them.

Half of written Persian joins a verb's «می» and a plural's «ها» to the word («میرسه»,
«کتابها») and half separates them with a ZWNJ or a space («می‌رسه», «کتاب ها»; normalising turns the
space into a ZWNJ). The index cuts at a ZWNJ, so the separated form is two tokens and the joined one
a single token: a search for either missed the other. A term therefore also matches its other form.
Only these affixes are split, and only from a stem of two letters or more: «میز» stays whole, and a
word that merely starts with «می» («میوه») gains a two-word variant («می وه») that ordinary text
does not contain.
"""

from __future__ import annotations

ZWNJ = "\u200c"
#: written joined or apart: «نمی» before «می», so «نمیرسه» splits after «نمی»
VERB_PREFIXES = ("نمی", "می")
PLURAL_SUFFIXES = ("هایی", "های", "ها")
#: letters a stem keeps on each side of a split («میز» stays whole)
_MIN_STEM = 2


def _separated(word: str) -> str:
    """A joined ``word`` with a ZWNJ after a verb prefix and before a plural suffix."""
    for prefix in VERB_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
            word = prefix + ZWNJ + word[len(prefix) :]
            break
    for suffix in PLURAL_SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem.rsplit(ZWNJ, 1)[-1]) >= _MIN_STEM:
            word = stem + ZWNJ + suffix
            break
    return word


def other_spellings(text: str) -> list[str]:
    """Normalised ``text`` (a word or a phrase) written joined and written separated, where either
    differs from ``text``; [] for text with nothing to join or split (Latin, most words)."""
    joined = text.replace(ZWNJ, "")
    separated = " ".join(_separated(word) for word in joined.split(" "))
    return [form for form in dict.fromkeys((joined, separated)) if form != text]
