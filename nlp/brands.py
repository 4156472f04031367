"""Brand matching on aliases (Persian script, Latin, Finglish), handles and hashtags.

Each alias becomes one regular expression over the *normalised* text:

- an alias's parts (split at spaces, ZWNJ, ``_`` and ``-``) may be written joined, with a space
  or with a ZWNJ between them: «دیجی‌کالا», «دیجیکالا», «دیجی کالا» all match the alias
  «دیجی‌کالا». Inside a part, a space or ZWNJ is allowed only after a non-joining letter
  (ا د ذ ر ز ژ و), where it changes nothing visible: «نو بانک» matches «نوبانک», but the alias
  «سبزینو» does not match «سبزی نو» (fresh herbs);
- Persian aliases take attached inflections and clitics (ها، های، ی، یی، رو، و، ش، مون…,
  «دیجی‌کالاییه») and a few attached prepositions («بدیجیکالا» is rare but seen); the match must
  start and end at a word boundary, so no alias matches inside an unrelated word;
- Latin and Finglish aliases are case-insensitive and take only "s" / "'s";
- handles match the text's @mentions (and the same handle written without @), hashtags the
  text's hashtags; both compare case-insensitively with ``_`` and ZWNJ treated alike;
- an exclusion term anywhere in the text vetoes the brand (a namesake, an unrelated sense).

Aliases shorter than three letters get no prefixes or suffixes: too many words start with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.brands import BrandSettings
from nlp.morphology import LETTER, word_pattern
from nlp.normalize import NormalizedText, normalize, normalize_for_search, unify_letters

_SEP_SPLIT_RE = re.compile(r"[\s\u200c_\-]+")
_PERSIAN_RE = re.compile(r"[\u0600-\u06ff]")
PERSIAN_PREFIXES = ("ب", "از", "و", "با", "به", "تو", "ک")
_LETTER = LETTER


#: Letters that never join the next one: after them a space or ZWNJ changes nothing visible, so
#: writers add or drop one freely («نوبانک» / «نو بانک»).
NON_JOINING = frozenset("اآأإدذرزژوؤة")
_OPTIONAL_GAP = r"[\s\u200c]?"


def _part_pattern(part: str) -> str:
    """A joined alias part, with an optional space/ZWNJ after each inner non-joining letter that
    leaves at least two letters on both sides."""
    pieces = [
        re.escape(ch) + (_OPTIONAL_GAP if ch in NON_JOINING and 2 <= i + 1 <= len(part) - 2 else "")
        for i, ch in enumerate(part)
    ]
    return "".join(pieces)


def _persian_alias_pattern(alias: str) -> str | None:
    parts = [p for p in _SEP_SPLIT_RE.split(normalize_for_search(alias)) if p]
    if not parts:
        return None
    body = _OPTIONAL_GAP.join(_part_pattern(p) for p in parts)
    if sum(map(len, parts)) < 3:
        return rf"(?<!{_LETTER}){body}(?!{_LETTER})"
    prefixes = "|".join(re.escape(p) for p in PERSIAN_PREFIXES)
    return word_pattern(rf"(?:{prefixes})?{body}")


def _latin_alias_pattern(alias: str) -> str | None:
    parts = [p for p in _SEP_SPLIT_RE.split(alias.strip().lower()) if p]
    if not parts:
        return None
    body = r"[\s\-_.]?".join(re.escape(p) for p in parts)
    tail = r"(?:'?s)?" if sum(map(len, parts)) >= 3 else ""
    return rf"(?<![a-z0-9]){body}{tail}(?![a-z0-9])"


def _key(value: str) -> str:
    """Handles and hashtags compare on this: case-folded, letters unified, ZWNJ/_/- and spaces dropped."""
    return _SEP_SPLIT_RE.sub("", unify_letters(value.lstrip("@#"))).casefold()


@dataclass(frozen=True)
class _CompiledBrand:
    name: str
    alias_re: re.Pattern[str] | None
    handles: frozenset[str]
    hashtags: frozenset[str]
    exclude_re: re.Pattern[str] | None
    #: the first two letters of every alias (always written together, lower-cased): a text
    #: holding none of them cannot match, and skipping the regex is most of matching's speed
    anchors: tuple[str, ...] = ()


def _alternation(patterns: Iterable[str | None], flags: int = 0) -> re.Pattern[str] | None:
    found = [p for p in patterns if p]
    return re.compile("|".join(f"(?:{p})" for p in found), flags) if found else None


def _compile(brand: BrandSettings) -> _CompiledBrand:
    patterns: list[str | None] = []
    anchors: set[str] = set()
    latin_handles = [h for h in brand.handles if len(h) >= 4]
    for alias in [*brand.aliases_fa, *brand.aliases_latin, *brand.aliases_finglish, *latin_handles]:
        persian = bool(_PERSIAN_RE.search(alias))
        # A handle written without "@" in running text ("sabzino_support گفت") is an alias too.
        patterns.append(_persian_alias_pattern(alias) if persian else _latin_alias_pattern(alias))
        first = _SEP_SPLIT_RE.split(normalize_for_search(alias) if persian else alias.strip())
        anchors.update(part[:2].casefold() for part in first[:1] if part)
    excludes = []
    for term in brand.exclude:
        norm = normalize_for_search(term)
        if norm:
            excludes.append(rf"(?<!{_LETTER}){re.escape(norm)}(?!{_LETTER})")
    return _CompiledBrand(
        name=brand.name,
        alias_re=_alternation(patterns, re.IGNORECASE),
        handles=frozenset(_key(h) for h in brand.handles),
        hashtags=frozenset(_key(h) for h in brand.hashtags),
        exclude_re=_alternation(excludes, re.IGNORECASE),
        anchors=tuple(sorted(anchors)),
    )


class BrandMatcher:
    """Finds which configured brands a mention talks about."""

    def __init__(self, brands: Sequence[BrandSettings]) -> None:
        self._brands = [_compile(b) for b in brands]

    @property
    def names(self) -> list[str]:
        return [b.name for b in self._brands]

    def match(self, text: str) -> list[str]:
        """Brand names mentioned in the raw ``text``, in configuration order."""
        return self.match_normalized(normalize(text))

    def match_normalized(self, norm: NormalizedText, author_handle: str | None = None) -> list[str]:
        """Like ``match`` on an already normalised text (the analyzer normalises once).

        ``author_handle``: a post by one of the brand's own accounts (a support reply) belongs
        to the brand's conversation even when it does not name the brand.
        """
        mentions = {_key(m) for m in norm.mentions}
        author = _key(author_handle) if author_handle else None
        hashtags = {_key(h) for h in norm.hashtags}
        hosts = " ".join(_url_host(u) for u in norm.urls)
        folded = f"{norm.text.casefold()} {hosts}"
        found = []
        for brand in self._brands:
            if brand.exclude_re is not None and brand.exclude_re.search(norm.text):
                continue
            hit = (
                (author is not None and author in brand.handles)
                or bool(brand.handles & mentions)
                or bool(brand.hashtags & hashtags)
                or (
                    brand.alias_re is not None
                    and any(anchor in folded for anchor in brand.anchors)
                    and (
                        bool(brand.alias_re.search(norm.text))
                        or (bool(hosts) and bool(brand.alias_re.search(hosts)))
                    )
                )
            )
            if hit:
                found.append(brand.name)
        return found


def _url_host(url: str) -> str:
    """The host's labels as words ("www.sabzino.ir" → "www sabzino ir"): a link to the brand's site."""
    try:
        host = urlsplit(url if "://" in url else "http://" + url).hostname or ""
    except ValueError:
        return ""
    return host.replace(".", " ")
