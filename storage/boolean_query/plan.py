"""A query split for speed: the AND-ed parts the full-text index answers in one MATCH / tsquery,
top-level date ranges (which narrow the index scans like ``since``/``until``), and the rest as
SQL conditions. ``a b brand:x date:…`` — the usual shape — keeps the single-index fast path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from storage.boolean_query.nodes import And, Field, Node, Not, Term, is_text, terms
from storage.boolean_query.parser import parse_query
from storage.search_dates import DEFAULT_TZ


@dataclass
class Plan:
    #: one node ``is_text`` accepts (has something to include), or None
    text: Node | None = None
    #: the other top-level AND parts, each a SQL condition (``compile.condition``)
    rest: list[Node] = field(default_factory=list)
    since: datetime | None = None
    until: datetime | None = None
    #: the words to highlight in results (those not under a NOT)
    highlight: list[Term] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.text is None and not self.rest and self.since is None and self.until is None

    def range_within(
        self, since: datetime | None, until: datetime | None
    ) -> tuple[datetime | None, datetime | None]:
        """``[since, until)`` ANDed with the text's own date ranges (the later start, the earlier end)."""
        if self.since and (since is None or self.since > since):
            since = self.since
        if self.until and (until is None or self.until < until):
            until = self.until
        return since, until


def plan_query(text: str | None, tz: str = DEFAULT_TZ) -> Plan:
    """The plan of ``text`` (blank → an empty plan). Raises QueryError."""
    root = parse_query(text or "", tz)
    plan = Plan()
    if root is None:
        return plan
    plan.highlight = terms(root)
    parts = list(root.children) if isinstance(root, And) else [root]
    textual: list[Node] = []
    for part in parts:
        if isinstance(part, Field) and part.name == "date":
            if part.since and (plan.since is None or part.since > plan.since):
                plan.since = part.since
            if part.until and (plan.until is None or part.until < plan.until):
                plan.until = part.until
        elif is_text(part) or (isinstance(part, Not) and is_text(part.child)):
            textual.append(part)
        else:
            plan.rest.append(part)
    if any(not isinstance(p, Not) for p in textual):
        plan.text = textual[0] if len(textual) == 1 else And(tuple(textual))
    else:  # only exclusions in text: they are SQL NOTs beside the field filters
        plan.rest.extend(textual)
    return plan
