"""User search text → a safe full-text condition for SQLite FTS5 or PostgreSQL.

The little query language analysts get: words are AND-ed, ``"quoted words"`` are phrases, a
trailing ``*`` makes a prefix (``سبز*``), a leading ``-`` excludes (``-تخفیف``). Every word is
normalised exactly as stored text is, then cut into the same letter/digit tokens both indexes
hold. Nothing the user types reaches either engine as syntax: FTS5 gets only double-quoted
tokens, PostgreSQL gets tokens as bound parameters.

Known edges where the two engines still cut stored text differently (tests/archive covers the
cases that agree): PostgreSQL's parser keeps a version-like ``v2.3.1`` as one token, so the word
``1`` finds it on SQLite only; and it indexes a hyphenated compound both whole and in parts, which
shifts positions, so a phrase spanning the word before ``a-b`` matches on SQLite only. Closing
that needs the PostgreSQL vector built from pre-split text (a schema change in storage/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, literal, literal_column

from storage.query_normalizer import query_normalizer

#: a token: a run of letters/digits (what FTS5's unicode61 and PostgreSQL's parser both keep)
_TOKEN_RE = re.compile(r"[^\W_]+")
_PART_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
MAX_CLAUSES = 32


class SearchSyntaxError(ValueError):
    """The search text cannot become a query (e.g. only punctuation, or only exclusions)."""


@dataclass(frozen=True)
class Clause:
    tokens: tuple[str, ...]
    #: the normalised word or phrase, parsed by PostgreSQL itself (see ``pg_tsquery``)
    text: str = ""
    prefix: bool = False
    negated: bool = False


def tokens(text: str) -> list[str]:
    """The index tokens of already-normalised text."""
    return _TOKEN_RE.findall(text.lower())


def parse_search(text: str) -> list[Clause]:
    """Clauses of a search text; [] for blank text. Raises SearchSyntaxError if nothing is searchable."""
    if not text or not text.strip():
        return []
    normalize = query_normalizer()
    clauses: list[Clause] = []
    for match in _PART_RE.finditer(text):
        negated_phrase, phrase, word = match.groups()
        if phrase is not None:
            negated, raw, prefix = bool(negated_phrase), phrase, False
        else:
            negated = word.startswith("-") and len(word) > 1
            raw = word[1:] if negated else word
            prefix = raw.endswith("*")
        normalised = normalize(raw.rstrip("*") if prefix else raw)
        found = tokens(normalised)
        if found:
            clauses.append(Clause(tuple(found), normalised, prefix=prefix, negated=negated))
    if not clauses:
        raise SearchSyntaxError(f"search text {text[:80]!r} has no letters or digits to search for")
    if all(c.negated for c in clauses):
        raise SearchSyntaxError("a search needs at least one word to include, not only exclusions")
    if len(clauses) > MAX_CLAUSES:
        raise SearchSyntaxError(f"a search may have at most {MAX_CLAUSES} words or phrases")
    return clauses


def fts5_match(clauses: list[Clause]) -> str:
    """An FTS5 MATCH expression. Tokens are letters/digits only, quoted anyway."""

    def one(clause: Clause) -> str:
        quoted = '"' + " ".join(t.replace('"', '""') for t in clause.tokens) + '"'
        return quoted + (" *" if clause.prefix else "")

    positive = " AND ".join(one(c) for c in clauses if not c.negated)
    negative = "".join(f" NOT {one(c)}" for c in clauses if c.negated)
    return f"({positive}){negative}" if negative else positive


def pg_tsquery(clauses: list[Clause]) -> ColumnElement:
    """A PostgreSQL tsquery built from bound parameters (config 'simple': no stemming, as FTS5)."""

    def token_query(token: str, prefix: bool) -> ColumnElement:
        if prefix:
            # quote_literal turns the token into a tsquery lexeme; ':*' marks the prefix
            return func.to_tsquery(
                literal_column("'simple'"),
                func.concat(func.quote_literal(literal(token)), literal_column("':*'")),
            )
        return func.plainto_tsquery(literal_column("'simple'"), literal(token))

    def one(clause: Clause) -> ColumnElement:
        if not clause.prefix:
            # PostgreSQL's parser reads the query word as it read the stored text, so words it
            # keeps whole ("1.5", hyphenated compounds) match the same way they were indexed
            return func.phraseto_tsquery(literal_column("'simple'"), literal(clause.text))
        parts = [
            token_query(tok, clause.prefix and i == len(clause.tokens) - 1)
            for i, tok in enumerate(clause.tokens)
        ]
        query = parts[0]
        for part in parts[1:]:
            query = func.tsquery_phrase(query, part)
        return query

    # tsquery_and / tsquery_not are the functions behind the && and !! operators
    query = None
    for clause in clauses:
        part = func.tsquery_not(one(clause)) if clause.negated else one(clause)
        query = part if query is None else func.tsquery_and(query, part)
    return query
