"""Two "processes" on one database: threads with their own engine, started at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from storage.db import create_engine_from_url


def run_side_by_side(
    db_url: str, work: Callable[[Engine], Any], count: int = 2, timeout: float = 120
) -> list[Any]:
    """Run ``work(own_engine)`` in ``count`` threads released together; returns their results."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        own = create_engine_from_url(db_url)
        try:
            barrier.wait()
            results.append(work(own))
        except BaseException as exc:  # reported to the test below, not lost in the thread
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    return results
