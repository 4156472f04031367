"""The query tree. ``pos`` is the 0-based offset of the node's first character in the query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.search_fts import Clause


@dataclass(frozen=True)
class Term:
    """A word, "phrase" or prefix*; ``clause`` holds its normalised index tokens, ``alternatives``
    the same word's other spellings (``spellings.other_spellings``), any of which matches."""

    clause: Clause
    pos: int
    alternatives: tuple[Clause, ...] = ()

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return (self.clause, *self.alternatives)


@dataclass(frozen=True)
class Near:
    """Two terms at most ``distance`` words apart, in either order."""

    left: Term
    right: Term
    distance: int
    pos: int


@dataclass(frozen=True)
class Field:
    """A filter on a mention's column: ``values`` for names, ``number`` for reach, ``since``/``until``
    for dates (UTC instants; either may be None)."""

    name: str
    pos: int
    values: tuple[str, ...] = ()
    op: str = ""
    number: int = 0
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node
    pos: int


Node = Term | Near | Field | And | Or | Not


def is_text(node: Node) -> bool:
    """Whether the full-text index alone answers ``node`` (one FTS5 MATCH / one tsquery).

    NOT is binary in FTS5 (``a NOT b``), so a negation is text only inside an AND that also has
    something to include; elsewhere it becomes SQL ``NOT``.
    """
    if isinstance(node, Term | Near):
        return True
    if isinstance(node, Or):
        return all(is_text(c) for c in node.children)
    if isinstance(node, And):
        positive = [c for c in node.children if not isinstance(c, Not)]
        negative = [c.child for c in node.children if isinstance(c, Not)]
        return bool(positive) and all(is_text(c) for c in positive + negative)
    return False


def includes(node: Node) -> bool:
    """Whether ``node`` can match without everything being excluded (not only NOTs)."""
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(includes(c) for c in node.children)
    if isinstance(node, Or):
        return all(includes(c) for c in node.children)
    return True


def terms(node: Node) -> list[Term]:
    """Every term not under a NOT (what a result page highlights)."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Near):
        return [node.left, node.right]
    if isinstance(node, And | Or):
        return [t for c in node.children for t in terms(c)]
    return []
