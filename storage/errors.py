"""One line for a storage error, without the SQL statement or its parameters.

SQLAlchemy's message quotes the whole statement and every bound value (a batch of 256 mentions:
megabytes on the console, and authors' data in the log); people get the driver's own reason.
"""

from __future__ import annotations

from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    StatementError,
)

#: errors that say the database itself is unusable (full, read-only, gone, schema not migrated),
#: not a row's data: retrying the same rows later may work, splitting the batch cannot help
RESOURCE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    DisconnectionError,
    ProgrammingError,
)


def summarise(exc: BaseException, limit: int = 300) -> str:
    """``Kind: reason`` for ``exc``; a SQLAlchemy error gives its driver error's, never the SQL."""
    inner: BaseException = exc
    if isinstance(exc, StatementError) and exc.orig is not None:
        inner = exc.orig
    text = str(inner).strip().splitlines()[0] if str(inner).strip() else ""
    if isinstance(inner, DBAPIError | StatementError):  # still a wrapper: drop its statement
        text = text.split("[SQL:")[0].strip()
    name = type(inner).__name__
    return f"{name}: {text}"[:limit] if text else name


def is_resource_error(exc: BaseException) -> bool:
    """True when ``exc`` says the database is unusable rather than that a row is bad."""
    if isinstance(exc, RESOURCE_ERRORS):
        return True
    return isinstance(exc, OSError)  # disk full, read-only file system before the driver saw it


def plain_message(exc: BaseException) -> str:
    """``str(exc)``, except that a SQLAlchemy error is summarised (no statement, no parameters)."""
    from sqlalchemy.exc import SQLAlchemyError

    return summarise(exc) if isinstance(exc, SQLAlchemyError) else str(exc)
