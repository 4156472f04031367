"""The archive's boolean query language: one grammar for the CLI, the API and the explore page.

``lexer`` cuts the text into tokens with their columns, ``parser`` builds the tree (``nodes``),
``fields`` reads field filters (``brand:x``, ``date:1405/09/01..1405/09/10``, ``reach>=1000``),
``compile`` turns the tree into FTS5 MATCH text, a PostgreSQL tsquery and SQL conditions, and
``plan`` splits a query into the part the full-text index answers and the rest. The grammar and
how NEAR/n is answered on each engine are documented in ``grammar.md`` beside this file.
"""

from storage.boolean_query.errors import QueryError
from storage.boolean_query.parser import parse_query
from storage.boolean_query.plan import Plan, plan_query

__all__ = ["Plan", "QueryError", "parse_query", "plan_query"]
