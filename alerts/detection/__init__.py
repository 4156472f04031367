"""Streaming spike detection over per-bucket mention counts, with an incident lifecycle.

``SpikeDetector(config).update(ts, value) -> Verdict``, one bucket at a time, causal; ``to_state()`` /
``from_state()`` survive restarts. Modules, in the order a bucket flows through them:

* ``transform``    variance-stabilising transform for over-dispersed counts, exact NB tails;
* ``baseline``     level + time-of-day + day-of-week expectation, robust noise scale;
* ``evidence``     trailing windows of 5 min - 3 h, each judged by an exact tail with learned inflation;
* ``ramp``         a CUSUM for "the rate has doubled" against an expectation frozen before the rise;
* ``peaks``        the series' ordinary days' spikes: a bar a busy, spiky series sets itself;
* ``burst``        open once, keep the peak, resolve after calm, severity;
* ``series``/``report``  the ``timestamp,value`` CSV in and the ``shenava detect`` CSV out.
"""

from alerts.detection.burst import BurstGrade
from alerts.detection.config import DetectorConfig, DetectorSettings
from alerts.detection.detector import DetectorInputError, SpikeDetector, Verdict

__all__ = [
    "BurstGrade",
    "DetectorConfig",
    "DetectorInputError",
    "DetectorSettings",
    "SpikeDetector",
    "Verdict",
]
