"""Writing a judged series as ``timestamp,value,anomaly_score,alert`` (the ``shenava detect`` format)."""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alerts.detection.config import DetectorConfig
from alerts.detection.series import detect_series, read_series

OUTPUT_COLUMNS = ("timestamp", "value", "anomaly_score", "alert")


@dataclass(frozen=True)
class DetectionSummary:
    rows: int
    incidents: int


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def write_detection(
    input_path: Path, output_path: Path, config: DetectorConfig | None = None
) -> DetectionSummary:
    """Judge ``input_path`` and write the verdicts to ``output_path``.

    The output appears only once the whole input has been read without error (written to a temporary
    file next to it, then renamed), so a bad row never leaves a half-written result behind.
    """
    output_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output_path.name}.", dir=output_path.parent)
    rows = incidents = 0
    try:
        with (
            os.fdopen(fd, "w", newline="", encoding="utf-8") as out,
            input_path.open(newline="", encoding="utf-8") as handle,
        ):
            writer = csv.writer(out)
            writer.writerow(OUTPUT_COLUMNS)
            for point, verdict in detect_series(read_series(handle, str(input_path)), config):
                rows += 1
                incidents += verdict.alert
                writer.writerow(
                    (point.raw_ts, _number(point.value), f"{verdict.anomaly_score:.6f}", int(verdict.alert))
                )
        os.replace(tmp_name, output_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return DetectionSummary(rows=rows, incidents=incidents)
