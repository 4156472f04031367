"""Reading ``timestamp,value`` series files and running a detector over them (CLI and benchmark)."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from alerts.detection.config import DetectorConfig
from alerts.detection.detector import SpikeDetector, Verdict

REQUIRED_COLUMNS = ("timestamp", "value")


class SeriesFormatError(ValueError):
    """A series file that is not ``timestamp,value`` rows in increasing time order."""


@dataclass(frozen=True)
class Point:
    raw_ts: str  # the timestamp exactly as written, echoed in the output
    ts: datetime
    value: float


def read_series(handle: TextIO, name: str = "<input>") -> Iterator[Point]:
    """Yield the rows of a ``timestamp,value`` CSV, checking them as they come.

    Raises :class:`SeriesFormatError` naming the file and line for a missing column, an unparsable
    timestamp, a value that is not a finite count >= 0, or a timestamp not after the previous one.
    """
    reader = csv.DictReader(handle)
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise SeriesFormatError(
            f"{name}: missing column(s) {', '.join(missing)}; the header must include timestamp,value "
            f"(found: {', '.join(columns) or 'no header'})"
        )
    reader.fieldnames = columns
    previous: datetime | None = None
    for row in reader:
        line = reader.line_num
        where = f"{name}, line {line}"
        raw_ts = (row.get("timestamp") or "").strip()
        raw_value = (row.get("value") or "").strip()
        try:
            ts = datetime.fromisoformat(raw_ts)
        except ValueError:
            raise SeriesFormatError(f"{where}: timestamp {raw_ts[:40]!r} is not ISO 8601") from None
        try:
            value = float(raw_value)
        except ValueError:
            raise SeriesFormatError(f"{where}: value {raw_value[:40]!r} is not a number") from None
        if not math.isfinite(value) or value < 0:
            raise SeriesFormatError(f"{where}: value {raw_value[:40]!r} must be a finite count >= 0")
        if previous is not None:
            if (ts.tzinfo is None) != (previous.tzinfo is None):
                raise SeriesFormatError(f"{where}: mixes timezone-aware and naive timestamps")
            if ts <= previous:
                raise SeriesFormatError(
                    f"{where}: timestamp {raw_ts} is not after the previous row's "
                    f"{previous.isoformat(sep=' ')}; rows must be in increasing time order"
                )
        previous = ts
        yield Point(raw_ts=raw_ts, ts=ts, value=value)


def detect_series(
    points: Iterable[Point], config: DetectorConfig | None = None
) -> Iterator[tuple[Point, Verdict]]:
    """Run one fresh detector over ``points`` in order (causal: each verdict sees earlier rows only)."""
    detector = SpikeDetector(config)
    for point in points:
        yield point, detector.update(point.ts, point.value)


def detect_file(path: Path, config: DetectorConfig | None = None) -> list[tuple[Point, Verdict]]:
    """Read and judge a whole series file."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(detect_series(read_series(handle, str(path)), config))
