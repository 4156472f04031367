"""A query the grammar cannot read, with the column of the mistake (for a caret or a message)."""

from __future__ import annotations

from storage.query import SearchError
from storage.search_fts import SearchSyntaxError


class QueryError(SearchError, SearchSyntaxError):
    """``query error at column 14: ')' expected``; ``column`` is 1-based, None for the whole query.

    ``reason`` is the English reason alone, ``code`` and ``args`` name it for other languages.
    """

    def __init__(self, reason: str, column: int | None = None, code: str = "", **args: str) -> None:
        self.reason, self.column, self.code, self.args_ = reason, column, code, args
        where = f"query error at column {column}: " if column is not None else ""
        super().__init__(where + reason)

    def caret(self, text: str) -> str:
        """The query and a caret under the mistake (two lines), '' when no column applies."""
        if self.column is None:
            return ""
        line = text.replace("\n", " ").replace("\t", " ")
        return f"{line}\n{' ' * (self.column - 1)}^"
