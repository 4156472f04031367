"""One streamed export of a result set, for the API and the explore page alike: CSV, JSON Lines or
Parquet, written while the rows are read, bounded by ``MAX_EXPORT_ROWS`` and the export time limit.

The query is checked before the 200 goes out (a bad query or an unreachable database is an error
response, not a cut stream); the export's own session is closed when the stream ends or the
client goes away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Literal

from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from storage.export import MEDIA_TYPES, iter_csv, iter_jsonl, iter_parquet
from storage.limits import EXPORT_TIME_LIMIT_S, MAX_EXPORT_ROWS, limit_time
from storage.query import MentionHit, MentionQuery
from storage.search import iter_mentions

ExportFormat = Literal["csv", "jsonl", "parquet"]


def export_response(
    sessions: Callable[[], Session], query: MentionQuery, fmt: ExportFormat, max_rows: int | None = None
) -> StreamingResponse:
    """The matching mentions (at most ``max_rows``, never more than the cap) as a download."""
    session = sessions()
    try:  # validate before the 200 goes out: later errors could only cut the stream
        limit_time(session, EXPORT_TIME_LIMIT_S)
        hits = iter_mentions(session, query, limit=min(max_rows or MAX_EXPORT_ROWS, MAX_EXPORT_ROWS))
        first = next(hits, None)
    except Exception:  # SearchError → 400, database down → 503 (app handlers); never a leaked session
        session.close()
        raise

    def rows() -> Iterator[MentionHit]:
        try:
            if first is not None:
                yield first
                yield from hits
        finally:
            session.close()

    body: Iterator[str] | Iterator[bytes]
    if fmt == "csv":
        body = iter_csv(rows())
    elif fmt == "jsonl":
        body = iter_jsonl(rows())
    else:
        body = iter_parquet(rows())
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    headers = {"Content-Disposition": f'attachment; filename="shenava-mentions-{stamp}.{fmt}"'}
    # the task closes the session too when the client left before the first row was read
    return StreamingResponse(
        body, media_type=MEDIA_TYPES[fmt], headers=headers, background=BackgroundTask(session.close)
    )
