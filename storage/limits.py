"""How much work one question to the archive may cost: the documented caps and the time limit.

Caps (the same for the API and the CLI):

- ``MAX_BUCKETS`` buckets per series: a volume aggregate over ``[since, until)`` by hour or day
  may not span more (2,000 hours ≈ 83 days; 2,000 days ≈ 5.5 years). Without a range, the
  buckets that hold data are counted instead.
- ``MAX_LIMIT`` rows per search page, ``MAX_OFFSET`` rows skipped,
  ``MAX_EXPORT_ROWS`` rows per export (streamed, so memory stays bounded whatever the count).
- ``MAX_FOLLOWERS``: a reach filter past the followers column's range (2,147,483,647) is refused,
  not sent to the database.
- A time limit per statement: PostgreSQL ``SET LOCAL statement_timeout`` in the request's
  transaction; SQLite a progress handler (installed on every connection by ``storage.db``)
  that interrupts a statement once the deadline set by ``limit_time`` has passed.

Past a cap the caller gets ``QueryTooLarge`` (a ``SearchError``: 400 from the API, exit code 2
from the CLI) naming the cap; past the time limit ``is_timeout`` recognises the database error.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from storage.query import MAX_FOLLOWERS, MAX_LIMIT, MAX_OFFSET, SearchError

__all__ = ["MAX_BUCKETS", "MAX_EXPORT_ROWS", "MAX_FOLLOWERS", "MAX_LIMIT", "MAX_OFFSET"]

MAX_BUCKETS = 2_000
MAX_EXPORT_ROWS = 1_000_000
#: seconds one API request's statements may run (each, on PostgreSQL; together, on SQLite)
REQUEST_TIME_LIMIT_S = 15.0
#: the CLI's table and aggregates (a person waiting at a terminal; exports are not limited)
CLI_TIME_LIMIT_S = 120.0
#: an export streams for as long as the client reads (on SQLite the limit counts that time too)
EXPORT_TIME_LIMIT_S = 600.0
#: SQLite calls the progress handler every this many virtual-machine instructions (~1 ms of work)
_PROGRESS_STEPS = 20_000
_DEADLINE = "shenava_deadline"


class QueryTooLarge(SearchError):
    """A question beyond a documented cap; the message names the cap and how to narrow it."""


def check_bucket_span(since: datetime | None, until: datetime | None, bucket: str) -> None:
    """Refuse a ``[since, until)`` range that needs more than ``MAX_BUCKETS`` buckets."""
    if since is None or until is None:
        return
    width = timedelta(hours=1) if bucket == "hour" else timedelta(days=1)
    buckets = (until - since) / width
    if buckets > MAX_BUCKETS:
        raise QueryTooLarge(
            f"the range needs {int(buckets):,} {bucket} buckets; at most {MAX_BUCKETS:,} per series "
            f"(narrow since/until{' or use bucket=day' if bucket == 'hour' else ''})"
        )


def check_bucket_count(count: int, bucket: str) -> None:
    if count > MAX_BUCKETS:
        raise QueryTooLarge(
            f"the matching mentions span {count:,} {bucket} buckets; at most {MAX_BUCKETS:,} per series "
            "(set since/until to a narrower range)"
        )


def install_progress_handler(dbapi_connection: Any, record: Any) -> None:
    """SQLite: interrupt the running statement once ``record.info``'s deadline has passed."""
    info = record.info

    def over_time() -> int:
        deadline = info.get(_DEADLINE)
        return 1 if deadline is not None and time.monotonic() > deadline else 0

    dbapi_connection.set_progress_handler(over_time, _PROGRESS_STEPS)


def clear_deadline(_dbapi_connection: Any, record: Any, *_: Any) -> None:
    """Pool check-in/check-out: a pooled connection never carries a past request's deadline."""
    record.info.pop(_DEADLINE, None)


def limit_time(session: Session, seconds: float = REQUEST_TIME_LIMIT_S) -> None:
    """Bound the statements of ``session``'s current transaction to ``seconds``."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL statement_timeout = {max(1, int(seconds * 1000))}")
    else:
        connection.info[_DEADLINE] = time.monotonic() + seconds


def is_timeout(exc: BaseException) -> bool:
    """Whether a (SQLAlchemy-wrapped) database error is the time limit, not an outage."""
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) == "57014":  # PostgreSQL query_canceled
        return True
    return type(orig).__name__ == "OperationalError" and str(orig) == "interrupted"


def time_limit_message(seconds: float = REQUEST_TIME_LIMIT_S) -> str:
    return f"the query ran past the {seconds:g} s limit; narrow the date range or add filters"
