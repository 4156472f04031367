"""The query tree → FTS5 MATCH text, a PostgreSQL tsquery, or SQL conditions on ``mentions``.

Terms reach FTS5 only as double-quoted letter/digit tokens and PostgreSQL only as bound
parameters (``storage.search_fts``), so nothing a user types is engine syntax.

NEAR/n means "at most n words between the two, either order" — FTS5's own ``NEAR(a b, n)``.
PostgreSQL's ``a <N> b`` is an exact distance, so it gets the OR of ``a <d> b`` and ``b <d> a``
for d = 1..n+1 (``tsquery_phrase(a, b, d)``; a phrase's distance counts from its last word, as
FTS5's does), which is why n is capped (parser.MAX_NEAR).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, literal_column, not_, or_, select

from storage.boolean_query.fields import field_condition
from storage.boolean_query.nodes import And, Field, Near, Node, Not, Or, Term, is_text
from storage.fts import SQLITE_FTS_TABLE
from storage.search_fts import fts5_match, pg_tsquery


def fts5(node: Node) -> str:
    """FTS5 MATCH text for a node ``is_text`` accepts."""
    if isinstance(node, Term):
        return _any([fts5_match([clause]) for clause in node.clauses])
    if isinstance(node, Near):
        # FTS5's NEAR takes phrases only, not an OR of spellings: one NEAR per pair of spellings
        return _any(
            [
                f"NEAR({fts5_match([a])} {fts5_match([b])}, {node.distance})"
                for a in node.left.clauses
                for b in node.right.clauses
            ]
        )
    if isinstance(node, Or):
        return _any([fts5(c) for c in node.children])
    if isinstance(node, And):
        out = "(" + " AND ".join(fts5(c) for c in node.children if not isinstance(c, Not)) + ")"
        for c in node.children:
            if isinstance(c, Not):
                out = f"({out} NOT {fts5(c.child)})"
        return out
    raise TypeError(f"not a full-text node: {node!r}")


def _any(parts: list[str]) -> str:
    """FTS5 text matching any of ``parts`` (one part as it is)."""
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def tsquery(node: Node) -> ColumnElement:
    """A PostgreSQL tsquery for a node ``is_text`` accepts (or any text node under a NOT)."""
    if isinstance(node, Term):
        return _fold(func.tsquery_or, [pg_tsquery([clause]) for clause in node.clauses])
    if isinstance(node, Near):
        left, right = tsquery(node.left), tsquery(node.right)
        options = [
            func.tsquery_phrase(a, b, literal(d))
            for d in range(1, node.distance + 2)
            for a, b in ((left, right), (right, left))
        ]
        return _fold(func.tsquery_or, options)
    if isinstance(node, Or):
        return _fold(func.tsquery_or, [tsquery(c) for c in node.children])
    if isinstance(node, And):
        return _fold(func.tsquery_and, [tsquery(c) for c in node.children])
    if isinstance(node, Not):
        return func.tsquery_not(tsquery(node.child))
    raise TypeError(f"not a full-text node: {node!r}")


def _fold(op: Any, parts: list[ColumnElement]) -> ColumnElement:
    query = parts[0]
    for part in parts[1:]:
        query = op(query, part)
    return query


def text_condition(node: Node, postgres: bool) -> Any:
    """``mentions`` rows the full-text index matches for ``node``."""
    from storage.filters import FTS5_ROWS, PG_VECTOR  # filters imports this package

    if postgres:
        return PG_VECTOR.op("@@")(tsquery(node))
    match = literal_column(SQLITE_FTS_TABLE).op("MATCH")(literal(fts5(node)))
    from storage.models import Mention

    return Mention.id.in_(select(FTS5_ROWS.c.rowid).where(match))


def condition(node: Node, postgres: bool) -> Any:
    """A SQL condition for any node: text parts through the index, the rest as SQL."""
    if is_text(node):
        return text_condition(node, postgres)
    if isinstance(node, Field):
        return field_condition(node)
    if isinstance(node, Not):
        return not_(condition(node.child, postgres))
    if isinstance(node, And):
        return and_(*(condition(c, postgres) for c in node.children))
    if isinstance(node, Or):
        return or_(*(condition(c, postgres) for c in node.children))
    raise TypeError(f"unknown node: {node!r}")
