"""Exceptions a page raises to get an error page (the handlers are in ``shenava.web.app``)."""

from __future__ import annotations


class NotFound(Exception):
    """A page or item that does not exist."""


class Conflict(Exception):
    """An action the item's state does not allow (already resolved, say)."""
