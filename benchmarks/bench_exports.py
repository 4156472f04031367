"""Exports and chart files (issue 13 item 5): rows per second and the memory an export holds while
it streams CSV, JSON Lines and Parquet (synthetic mentions made in memory, so the figure is the
writers' own cost, not the database's), and the time to draw a chart to PNG with the bundled font.

Memory is ``tracemalloc``'s peak of Python allocations during the stream, which must stay flat as
the row count grows (the proof that nothing buffers the whole result); Parquet holds one row group
(10,000 rows) before writing it. The load average is printed
with the figures: the machine is shared.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from storage.export import iter_csv, iter_jsonl, iter_parquet
from storage.query import MentionHit

ROWS = int(os.environ.get("SHENAVA_BENCH_EXPORT_ROWS", "100000"))
T0 = datetime(2024, 11, 21, tzinfo=UTC)


def hits(n: int) -> Iterator[MentionHit]:
    for i in range(n):
        yield MentionHit(
            id=i, source="x", external_id=f"e{i}", url=f"https://x.com/s/{i}", lang="fa",
            author_handle=f"user{i % 5000}", author_name=f"کاربر {i}", author_followers=i % 100_000,
            text=f"سفارشم از سبزینو {i} ساعته نرسیده! =SUM(A1) پشتیبانی جواب نمیده " * 2,
            created_at=T0 + timedelta(seconds=i), brands=["sabzino"], sentiment_label="negative",
            sentiment_score=-0.8, aspects=["delivery", "support"], urgency=0.5,
        )  # fmt: skip


def _stream(fmt: str, n: int) -> Iterator[str] | Iterator[bytes]:
    source = hits(n)
    if fmt == "csv":
        return iter_csv(source)
    return iter_jsonl(source) if fmt == "jsonl" else iter_parquet(source)


def _rate(fmt: str, n: int) -> tuple[float, int]:
    """(rows per second, bytes written) for ``n`` rows in ``fmt``."""
    start = time.perf_counter()
    size = sum(len(piece) for piece in _stream(fmt, n))
    return n / (time.perf_counter() - start), size


def _peak_mib(fmt: str, n: int) -> float:
    """The most Python memory held at once while ``n`` rows stream (pyarrow's buffers not counted)."""
    tracemalloc.start()
    for _piece in _stream(fmt, n):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def _png_ms() -> float:
    from shenava.web.chart_files import png, standalone_svg
    from shenava.web.explore_charts import Bar, columns

    parts = (("negative", 20), ("neutral", 10), ("positive", 10))
    bars = [Bar(f"۱۴۰۳/۰۹/{d:02d}", 40, "/explore", parts) for d in range(1, 31)]
    svg = standalone_svg(columns(bars, "حجم روزانه به تفکیک احساس", str))
    png(svg)  # the font is read once
    runs = []
    for _ in range(10):
        start = time.perf_counter()
        png(svg)
        runs.append(time.perf_counter() - start)
    return sorted(runs)[len(runs) // 2] * 1000


def main() -> None:
    print(f"exports: synthetic mentions in memory; load average {os.getloadavg()[0]:.2f}")
    small, large = ROWS // 50, ROWS // 5
    for fmt in ("csv", "jsonl", "parquet"):
        rate, size = _rate(fmt, ROWS)
        held = f"{_peak_mib(fmt, small):5.1f} MiB at {small:,} rows, "
        held += f"{_peak_mib(fmt, large):5.1f} MiB at {large:,}"
        print(f"  {fmt:8s} {ROWS:>9,} rows: {rate:>9,.0f} rows/s (making the rows included), "
              f"{size / 2**20:6.1f} MiB out; Python memory held {held}")  # fmt: skip
    print(f"  chart PNG (30 stacked columns, 1120x380): median {_png_ms():.1f} ms")


if __name__ == "__main__":
    main()
