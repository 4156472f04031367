"""Streaming spike detection over per-bucket mention counts, with an incident lifecycle.

``SpikeDetector(config).update(ts, value) -> Verdict``; see :mod:`alerts.detection.detector`.
"""

from alerts.detection.config import DetectorConfig, DetectorSettings
from alerts.detection.detector import DetectorInputError, SpikeDetector, Verdict
from alerts.detection.incident import Severity

__all__ = ["DetectorConfig", "DetectorInputError", "DetectorSettings", "Severity", "SpikeDetector", "Verdict"]
