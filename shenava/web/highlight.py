"""Mention text with the query's words marked: escaped piece by piece, ``<mark>`` added only around
already-escaped words, so highlighting can never open a tag the text brought with it."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from markupsafe import Markup, escape

from alerts.digest.render import bidi_text
from storage.boolean_query.nodes import Term
from storage.boolean_query.spellings import PLURAL_SUFFIXES, VERB_PREFIXES
from storage.query_normalizer import query_normalizer
from storage.search_fts import Clause, tokens

#: a word, with the parts a ZWNJ joins («می‌رسه», «تازه‌مارکت») kept together as the reader sees it
_WORD = re.compile(r"[^\W_]+(?:\u200c[^\W_]+)*")


def highlighted(text: str | None, terms: list[Term], limit: int = 600) -> Markup:
    """``text`` (bidi controls removed, cut to ``limit``) escaped, the words of ``terms`` in <mark>.

    A word matches when its normalised index tokens include a term token (or start with a prefix
    term's last token): the same normalising the index uses, so "سبزينو" marks for "سبزینو".
    """
    words = {tok for t in terms for tok in t.clause.tokens}
    prefixes = tuple(t.clause.tokens[-1] for t in terms if t.clause.prefix)
    # another spelling of a term (storage.boolean_query.spellings) marks only a whole word it
    # spells: «می‌رسه» for «میرسه», not every «می»
    spelt = [c for t in terms for c in t.alternatives]
    normalize = query_normalizer()

    def marked(piece: str) -> Markup:
        out: list[str] = []
        last = 0
        for start, end in _word_spans(normalize, piece):
            found = _word_tokens(normalize, piece[start:end])
            if any(tok in words or (prefixes and tok.startswith(prefixes)) for tok in found) or any(
                _spells(found, c) for c in spelt
            ):
                out.append(escape(piece[last:start]))
                out.append(Markup("<mark>") + escape(piece[start:end]) + Markup("</mark>"))
                last = end
        out.append(escape(piece[last:]))
        return Markup("").join(out)

    # cleaned, cut and with its Latin runs (a @handle, a link, English words) isolated left to right
    # as everywhere else mention text is shown: the enclosing <bdi> then takes its direction from the
    # first Persian letter, not from the @handle a Persian complaint opens with
    return Markup("<bdi>") + bidi_text((text or "")[: limit * 2], limit, marked) + Markup("</bdi>")


def _word_spans(normalize: Callable[[str], str], text: str) -> list[tuple[int, int]]:
    """Where ``text``'s words are, a verb's «می» and a plural's «ها» written apart («می رسه»,
    «کتاب ها») joined to their word: normalising joins them in stored text, so the search finds
    «می رسه» for «میرسه» and the reader should see which words it found."""
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        if spans and not text[spans[-1][1] : start].strip():
            before = _word_tokens(normalize, text[spans[-1][0] : spans[-1][1]])
            here = _word_tokens(normalize, match.group(0))
            if (before and before[-1] in VERB_PREFIXES) or (here and here[0] in PLURAL_SUFFIXES):
                spans[-1] = (spans[-1][0], end)
                continue
        spans.append((start, end))
    return spans


@lru_cache(maxsize=65_536)
def _word_tokens(normalize: Callable[[str], str], word: str) -> tuple[str, ...]:
    """A word's index tokens: words repeat from hit to hit, and normalising is the page's Python
    cost (about a millisecond a hit at 30 hits a page), so each word is normalised once."""
    return tuple(tokens(normalize(word)))


def _spells(found: tuple[str, ...], clause: Clause) -> bool:
    """Whether a word's tokens are ``clause``'s (its last token a prefix of the word's, for ``x*``)."""
    want = clause.tokens
    if len(found) != len(want) or found[:-1] != want[:-1]:
        return False
    return found[-1].startswith(want[-1]) if clause.prefix else found[-1] == want[-1]
