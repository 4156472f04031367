"""Touchpoint (aspect) tagging: which parts of the customer experience a mention talks about.

The lexicon (``nlp/data/aspects.yaml``, overridable in settings) lists per touchpoint
``words`` (matched on stems: attached plurals, ezafe and clitics count), ``verbs`` (stems matched
with the verbal prefixes می/نمی/ن/ب and person endings) and ``phrases`` (multi-word, each word
may carry a clitic). A token's candidate stems come from our suffix rules plus hazm's Stemmer
and Lemmatizer, so «ارسالش»، «پیک‌ها»، «نرسیده»، «نمی‌رسه»، «پولم» all find their entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from nlp.morphology import NOUN_SUFFIXES, VERB_PREFIXES, VERB_SUFFIXES
from nlp.normalize import normalize_for_search
from nlp.settings import NlpSettings

TOUCHPOINTS = ("delivery", "price", "support", "quality", "app", "payment", "staff")

#: Longer "words" are junk (a hostile run of letters): no lexicon entry is that long.
MAX_TOKEN_CHARS = 40
_TOKEN_RE = re.compile(r"[^\W\d_][\w\u200c]*")
#: Lexicon verbs describe what the company or the order did, so first-person and second-person
#: singular endings («رسیدم» "I arrived", «فرستادی») are not counted; plural "you" («فرستادید») is.
ASPECT_VERB_SUFFIXES = tuple(
    s for s in VERB_SUFFIXES if s not in {"م", "یم", "دم", "دیم", "ی", "دی", "ه‌ام", "مون"}
)
# Suffixes are looked up by length (a handful of slices per token, not a loop over the list).
_SUFFIX_SET = frozenset(NOUN_SUFFIXES) - {""}
_SUFFIX_SIZES = tuple(sorted({len(s) for s in _SUFFIX_SET}))
_VERB_SUFFIX_SET = frozenset(ASPECT_VERB_SUFFIXES)
_VERB_SUFFIX_SIZES = tuple(sorted({len(s) for s in _VERB_SUFFIX_SET}))


@dataclass(frozen=True)
class AspectLexicon:
    """Per touchpoint: words, verb stems and phrases (all normalised)."""

    words: Mapping[str, frozenset[str]]
    verbs: Mapping[str, frozenset[str]]
    phrases: Mapping[str, tuple[str, ...]]
    #: touchpoints in the order results are listed
    order: tuple[str, ...] = TOUCHPOINTS


def load_default_lexicon() -> dict[str, dict[str, list[str]]]:
    """The bundled lexicon, as plain data (touchpoint → {words, verbs, phrases})."""
    text = resources.files("nlp").joinpath("data/aspects.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _norm_term(term: str) -> str:
    return normalize_for_search(term).casefold()


def merge_lexicon(
    base: Mapping[str, Mapping[str, list[str]]],
    extra: Mapping[str, Iterable[str]] | None = None,
    replace: Mapping[str, Iterable[str]] | None = None,
    disabled: Iterable[str] = (),
) -> dict[str, dict[str, list[str]]]:
    """The base lexicon with ``extra`` terms added and ``replace`` touchpoints' terms replaced.

    Settings give plain term lists: a term with a space goes to ``phrases``, any other to
    ``words`` (a word entry also matches verb-like inflections of a noun stem well enough).
    New touchpoint names are allowed: a team may track "packaging" or "returns".
    """
    merged = {tp: {k: list(v or []) for k, v in kinds.items()} for tp, kinds in base.items()}
    for tp, terms in (replace or {}).items():
        merged[tp] = {"words": [], "verbs": [], "phrases": []}
        _add_terms(merged[tp], terms)
    for tp, terms in (extra or {}).items():
        _add_terms(merged.setdefault(tp, {"words": [], "verbs": [], "phrases": []}), terms)
    for tp in disabled:
        merged.pop(tp, None)
    return merged


def _add_terms(kinds: dict[str, list[str]], terms: Iterable[str]) -> None:
    for term in terms:
        kinds.setdefault("phrases" if " " in term.strip() else "words", []).append(term)


def compile_lexicon(data: Mapping[str, Mapping[str, list[str]]]) -> AspectLexicon:
    words: dict[str, set[str]] = {}
    verbs: dict[str, set[str]] = {}
    phrases: dict[str, list[str]] = {}
    for tp, kinds in data.items():
        for term in kinds.get("words") or []:
            norm = _norm_term(term)
            if " " in norm:
                phrases.setdefault(tp, []).append(norm)
            elif norm:
                words.setdefault(norm, set()).add(tp)
                words.setdefault(norm.replace("\u200c", ""), set()).add(tp)
        for term in kinds.get("verbs") or []:
            norm = _norm_term(term).replace("\u200c", "")
            if norm:
                verbs.setdefault(norm, set()).add(tp)
        for term in kinds.get("phrases") or []:
            norm = _norm_term(term)
            if norm:
                phrases.setdefault(tp, []).append(norm)
    return AspectLexicon(
        order=tuple(data),
        words={k: frozenset(v) for k, v in words.items()},
        verbs={k: frozenset(v) for k, v in verbs.items()},
        phrases={k: tuple(v) for k, v in phrases.items()},
    )


@lru_cache(maxsize=1)
def _hazm_tools() -> tuple[Any, Any]:
    from hazm import Lemmatizer, Stemmer

    return Stemmer(), Lemmatizer()


#: Words that may sit inside a phrase without breaking it («پولم *هم* برنگشته»).
_GAP = "هم رو را من ما شما هنوز که و هیچ اصلا اصلاً دیگه خیلی بازم واقعا my the is still"
GAP_WORDS = frozenset(_GAP.split(" "))


def _bare(text: str) -> str:
    return text.replace("\u200c", "")


class AspectTagger:
    """Tags touchpoints on text; build once (``from_settings``), then call ``tag`` per mention."""

    def __init__(self, lexicon: AspectLexicon, *, use_hazm: bool = True) -> None:
        self.lexicon = lexicon
        self.touchpoints = lexicon.order
        self._use_hazm = use_hazm
        # Phrases are matched on token sequences, indexed by their first word.
        self._phrases: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for tp, phrases in lexicon.phrases.items():
            for phrase in phrases:
                parts = tuple(_bare(p) for p in phrase.split() if p)
                if parts:
                    self._phrases.setdefault(parts[0], []).append((tp, parts[1:]))
        self._token_aspects = lru_cache(maxsize=50_000)(self._aspects_of_token)
        self._bases = lru_cache(maxsize=50_000)(self._bases_of_token)
        self._starts = lru_cache(maxsize=50_000)(self._phrases_starting_with)

    def _phrases_starting_with(self, token: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple(p for base in self._bases(token) for p in self._phrases.get(base, ()))

    @classmethod
    def from_settings(cls, nlp_settings: NlpSettings | None = None) -> AspectTagger:
        """From ``NlpSettings`` (its ``aspects`` section), or the bundled defaults when None."""
        aspects = nlp_settings.aspects if nlp_settings is not None else None
        data = load_default_lexicon()
        if aspects is not None:
            data = merge_lexicon(data, aspects.extra_terms, aspects.replace_terms, aspects.disabled)
        return cls(compile_lexicon(data))

    def _bases_of_token(self, token: str) -> frozenset[str]:
        """The bare token and what is left after stripping one or two attached tails
        («قیمتاتون» → «قیمتا» → «قیمت»; «گرون‌تره» → «گرونتر» → «گرون»)."""
        bare = _bare(token)
        out = {bare}
        for _ in range(2):
            for form in list(out):
                for size in _SUFFIX_SIZES:
                    if len(form) - size >= 2 and form[-size:] in _SUFFIX_SET:
                        out.add(form[:-size])
        return frozenset(out)

    def _stems(self, token: str) -> set[str]:
        candidates = {token, *self._bases(token)}
        if self._use_hazm and not token.isascii():
            stemmer, lemmatizer = _hazm_tools()
            candidates.add(stemmer.stem(token))
            candidates.update(lemmatizer.lemmatize(token).split("#"))
        return candidates

    def _verb_stems(self, token: str) -> set[str]:
        bare = token.replace("\u200c", "")
        out = set()
        for prefix in VERB_PREFIXES:
            if not bare.startswith(prefix):
                continue
            rest = bare[len(prefix) :]
            for size in _VERB_SUFFIX_SIZES:
                stem_len = len(rest) - size
                # A short present stem («رس») only counts with a verbal prefix: «رسم» is a noun.
                if stem_len >= 2 and (prefix or stem_len >= 3) and rest[stem_len:] in _VERB_SUFFIX_SET:
                    out.add(rest[:stem_len])
        return out

    def _aspects_of_token(self, token: str) -> frozenset[str]:
        found: set[str] = set()
        for stem in self._stems(token):
            found.update(self.lexicon.words.get(stem, ()))
        if self.lexicon.verbs and not token.isascii():
            for stem in self._verb_stems(token):
                found.update(self.lexicon.verbs.get(stem, ()))
        return frozenset(found)

    def tag_normalized(self, text: str) -> list[str]:
        """Touchpoints in already normalised text, in lexicon order."""
        lowered = text.casefold()
        found: set[str] = set()
        tokens = _TOKEN_RE.findall(lowered)
        for token in tokens:
            if len(token) <= MAX_TOKEN_CHARS:
                found.update(self._token_aspects(token))
        if self._phrases:
            found.update(self._phrase_hits(tokens))
        return [tp for tp in self.touchpoints if tp in found]

    def _phrase_hits(self, tokens: list[str]) -> set[str]:
        hits: set[str] = set()
        for i, token in enumerate(tokens):
            for tp, rest in self._starts(token):
                if tp not in hits and self._follows(tokens, i + 1, rest):
                    hits.add(tp)
        return hits

    def _follows(self, tokens: list[str], start: int, parts: tuple[str, ...]) -> bool:
        """Do ``parts`` match the tokens from ``start`` on, each allowed one filler word before it?"""
        pos = start
        for part in parts:
            if pos < len(tokens) and part in self._bases(tokens[pos]):
                pos += 1
            elif pos + 1 < len(tokens) and tokens[pos] in GAP_WORDS and part in self._bases(tokens[pos + 1]):
                pos += 2
            else:
                return False
        return True

    def tag(self, text: str) -> list[str]:
        """Touchpoints the raw ``text`` talks about."""
        return self.tag_normalized(normalize_for_search(text))
