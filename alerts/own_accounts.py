"""The configured brands' own accounts: their posts are the brand talking, not its customers.

A post by a brand's handle (a support reply, an apology, an advert) is tagged with the brand so it
joins the brand's conversation, and the archive keeps it. But when support apologises to each
customer during an outage («پوزش بابت تاخیر»), every apology is a negative delivery mention: counted,
they would feed the very burst they answer and keep its incident open after the customers stop. So
the spike series, an incident's explanation and its chart count customers only, as urgent alerts
(``alerts.urgent``) and the digest's quotes (``alerts.digest.data``) already do.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, func, or_, true

from domain.brands import BrandSettings
from storage.models import Mention


def own_handles(brands: Iterable[BrandSettings]) -> frozenset[str]:
    """Every configured brand's handles (competitors' too: their adverts are not customers either),
    as ``handle_key`` writes them."""
    return frozenset(key for b in brands for h in b.handles if (key := handle_key(h)))


def handle_key(handle: str | None) -> str:
    """A handle without ``@``, lower case: how handles are compared here, in the urgent rules and in
    SQL (``by_customers``'s ``lower``)."""
    return (handle or "").lstrip("@").lower()


def by_customers(handles: frozenset[str]) -> ColumnElement[bool]:
    """SQL condition on ``Mention``: not posted by one of ``handles``."""
    if not handles:
        return true()
    # handles are ASCII (X, Instagram, Telegram), so lower() folds them alike on SQLite and PostgreSQL
    author = func.lower(func.ltrim(Mention.author_handle, "@"))
    return or_(Mention.author_handle.is_(None), author.not_in(sorted(handles)))
