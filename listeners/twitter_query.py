"""Building X API v2 search queries from a brand's settings."""

from __future__ import annotations

from domain.brands import BrandSettings
from listeners.settings import XSettings


def _quote(term: str) -> str:
    term = term.replace('"', "").strip()
    return f'"{term}"' if any(ch.isspace() for ch in term) else term


def brand_terms(brand: BrandSettings) -> tuple[list[str], list[str]]:
    """(terms any of which makes a match, exclusions) for one brand."""
    terms: list[str] = []
    for alias in [*brand.aliases_fa, *brand.aliases_latin, *brand.aliases_finglish]:
        if alias.strip():
            terms.append(_quote(alias))
    terms += [f"@{h.lstrip('@')}" for h in brand.handles if h.strip()]
    terms += [f"#{t.lstrip('#')}" for t in brand.hashtags if t.strip()]
    # The brand's own posts are not customer mentions.
    exclusions = [f"-from:{h.lstrip('@')}" for h in brand.handles if h.strip()]
    exclusions += [f"-{_quote(t)}" for t in brand.exclude if t.strip()]
    seen: set[str] = set()
    unique = [t for t in terms if not (t.lower() in seen or seen.add(t.lower()))]
    return unique, exclusions


def build_queries(brand: BrandSettings, settings: XSettings) -> list[str]:
    """One or more queries covering every term of ``brand``, each within ``settings.max_query_length``.

    Exclusions and operators are repeated on every part so each part means the same thing.
    """
    terms, exclusions = brand_terms(brand)
    if not terms:
        return []
    suffix_parts = list(exclusions)
    if settings.lang:
        suffix_parts.append(f"lang:{settings.lang}")
    if settings.exclude_retweets:
        suffix_parts.append("-is:retweet")
    suffix = (" " + " ".join(suffix_parts)) if suffix_parts else ""
    budget = settings.max_query_length - len(suffix) - 2  # the parentheses
    if budget < max(len(t) for t in terms):
        raise ValueError(
            f"brand {brand.name!r}: exclusions and operators leave no room for its terms within "
            f"{settings.max_query_length} characters"
        )
    groups: list[list[str]] = [[]]
    for term in terms:
        candidate = " OR ".join([*groups[-1], term])
        if groups[-1] and len(candidate) > budget:
            groups.append([term])
        else:
            groups[-1].append(term)
    return [f"({' OR '.join(g)}){suffix}" if len(g) > 1 else f"{g[0]}{suffix}" for g in groups]
