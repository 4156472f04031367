"""Names of the full-text structures (created by migration 0001) and a portable match condition.

SQLite: the FTS5 table ``mentions_fts`` (external content = ``mentions``, rowid = ``mentions.id``,
tokenizer ``unicode61 remove_diacritics 2``), kept in sync by triggers.
PostgreSQL: the generated column ``mentions.search_vector`` =
``to_tsvector('simple', normalized_text)`` with the GIN index ``ix_mentions_search_vector``.

Both index ``mentions.normalized_text``; normalise query text the same way before matching
(``nlp.normalize.normalize_for_search``). Semantics on both backends: every word must occur
(AND), no stemming; punctuation and FTS operators in the query are treated as plain text.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, bindparam, false, literal_column, select, text

from storage.models import Mention

SQLITE_FTS_TABLE = "mentions_fts"
POSTGRES_VECTOR_COLUMN = "search_vector"
POSTGRES_CONFIG = "simple"

# Word characters as both tokenizers see them: letters, digits and combining marks.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def query_terms(query_text: str) -> list[str]:
    """The words of a query, split the way the indexes split stored text."""
    return _WORD.findall(query_text)


def fulltext_condition(dialect_name: str, query_text: str) -> ColumnElement[bool]:
    """A WHERE condition on ``Mention`` true when every word of ``query_text`` occurs in it.

    A query with no words matches nothing (rather than everything).
    """
    terms = query_terms(query_text)
    if not terms:
        return false()
    if dialect_name == "sqlite":
        # Each term double-quoted: FTS5 reads it as a plain string, never as syntax (OR, NEAR, *).
        match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        ids = (
            select(literal_column("rowid"))
            .select_from(text(SQLITE_FTS_TABLE))
            .where(text(f"{SQLITE_FTS_TABLE} MATCH :fts_query").bindparams(bindparam("fts_query", match)))
        )
        return Mention.id.in_(ids)
    if dialect_name == "postgresql":
        return text(
            f"mentions.{POSTGRES_VECTOR_COLUMN} @@ plainto_tsquery('{POSTGRES_CONFIG}', :fts_query)"
        ).bindparams(bindparam("fts_query", " ".join(terms)))
    # Other backends: a slow but correct fallback.
    condition: ColumnElement[bool] = Mention.normalized_text.contains(terms[0])
    for term in terms[1:]:
        condition = condition & Mention.normalized_text.contains(term)
    return condition
