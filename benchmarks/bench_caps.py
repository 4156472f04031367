"""The largest aggregate the caps allow (storage.limits), timed at archive scale.

Loads N mentions (default 100,000; env ``SHENAVA_BENCH_CAPS_N``) with bench_archive's loader into
SQLite (under var/bench/, cached) and, if reachable, PostgreSQL, then times the biggest volume
aggregates the caps allow (2,000 hourly buckets; the whole year by day, and every sentiment) and
the refused one (1900-2100 by hour), and prints peak RSS.

    .venv/bin/python -m benchmarks.bench_caps
"""

from __future__ import annotations

import os
import resource
import time
from datetime import timedelta

from sqlalchemy.orm import Session

from benchmarks.bench_archive import DAYS, ROOT, START, load_postgres, load_sqlite
from storage.aggregates import volume_by
from storage.limits import MAX_BUCKETS, QueryTooLarge, limit_time
from storage.query import MentionQuery

N = int(os.environ.get("SHENAVA_BENCH_CAPS_N", "100000"))


def _time(engine, label: str) -> None:  # type: ignore[no-untyped-def]
    hours = START + timedelta(hours=MAX_BUCKETS)
    cases = {
        f"hour x {MAX_BUCKETS} buckets": (MentionQuery(since=START, until=hours), "hour"),
        f"day x {DAYS} buckets (whole archive)": (
            MentionQuery(since=START, until=START + timedelta(days=DAYS)), "day"),
        f"hour, brand sabzino, {MAX_BUCKETS} buckets": (
            MentionQuery(brands=["sabzino"], since=START, until=hours), "hour"),
    }  # fmt: skip
    for name, (query, bucket) in cases.items():
        times = []
        for _ in range(3):
            with Session(engine) as session:
                limit_time(session)
                started = time.perf_counter()
                points = volume_by(session, query, bucket)  # type: ignore[arg-type]
                times.append(time.perf_counter() - started)
        print(f"{label:10} {name:40} {len(points):5} points  best {min(times) * 1000:7.0f} ms")
    with Session(engine) as session:
        started = time.perf_counter()
        try:
            volume_by(session, MentionQuery(since="1900-01-01", until="2100-01-01"), "hour")
        except QueryTooLarge as exc:
            took = (time.perf_counter() - started) * 1000
            print(f"{label:10} 1900-2100 by hour refused in {took:.1f} ms: {exc}")


def main() -> None:
    engine, _ = load_sqlite(ROOT / "var" / "bench" / f"caps-{N}.db", N)
    _time(engine, f"sqlite {N}")
    pg, _, why = load_postgres(N)
    if pg is not None:
        _time(pg, f"pg {N}")
    else:
        print("postgresql skipped:", why)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
