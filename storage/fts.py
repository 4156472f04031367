"""Names of the full-text structures created by migration 0001 (the query layer is
``storage.search_fts``, ``storage.filters``, ``storage.search``).

SQLite: the FTS5 table ``mentions_fts`` (external content = ``mentions``, rowid = ``mentions.id``,
tokenizer ``unicode61 remove_diacritics 2``), kept in sync by insert/update/delete triggers.
PostgreSQL: the generated column ``mentions.search_vector`` =
``to_tsvector('simple', coalesce(normalized_text, ''))`` with the GIN index
``ix_mentions_search_vector``, which since migration 0011 holds each mention's UTC day and its
``brands`` beside the words (``storage.filters.index_narrowing``; without the btree_gin extension
brands and words only). The column is not mapped by the ORM (SQLite has no such column);
refer to it as ``literal_column("mentions.search_vector")``.

Both index ``mentions.normalized_text`` and split it into the same tokens (runs of letters and
digits, case-folded; ZWNJ and punctuation separate words), with no stemming and no stop words,
which suits Persian, Arabic-script variants already normalised away, English and Finglish alike.
"""

from __future__ import annotations

SQLITE_FTS_TABLE = "mentions_fts"
SQLITE_FTS_TRIGGERS = ("mentions_fts_ai", "mentions_fts_ad", "mentions_fts_au")
POSTGRES_VECTOR_COLUMN = "search_vector"
POSTGRES_VECTOR_INDEX = "ix_mentions_search_vector"
POSTGRES_CONFIG = "simple"
#: the UTC day of a mention, the index's first column since migration 0011 (btree_gin)
POSTGRES_DAY_EXPRESSION = "((created_at AT TIME ZONE 'UTC')::date)"
