"""The series' own ordinary days: how strong their alarming spikes get on a typical day, learned.

Each local day's strongest alarming evidence (a window's tail z over the opening z, or the slow-rise
CUSUM's, as :class:`~alerts.detection.evidence.Evidence` ``strength``) is remembered for ``peak_days``
days. A series whose ordinary days spike (busy Twitter volumes with daily unlabelled bursts) needs
evidence ``peak_margin`` times stronger than the ``peak_quantile`` of those days' peaks to open an
incident; a series whose days hold no alarming window (most brands' negative mentions) keeps the normal
opening rule. Between the two, a series that alarms on a share s of its days, too few for the quantile,
needs ``1 + peak_share_margin x s`` (round 14: on thinned or clumpier copies of NAB's series the
weakest false alerts came from such series, whose median bar was 0). A bar the series calibrates on
itself, instead of thresholds tuned on a handful of series, is what held up on unseen ones. The peaks
are weighed at normal sensitivity (round 30): which days alarmed is the series' own, and a window at
high or low sensitivity meets the bar they set scaled like its opening z.

Strength, not the window's count over its expected count: the tails divide a clumped series' counts by
the window's learned variance inflation, so a retweet wave weighs as one event, while a ratio explodes
at small expected counts (one wave of 20 at 0.3 expected is a "67x" peak) and lifted the bar over the
bursts that mattered. Round 12 of issue 10 (alerts/detection/README.md): on NAB's five series with
every tweet made a retweet wave (one more copy on average; ``benchmarks/nab_perturbations.py``, in-sample)
the ratio bar scored 54.2 against 73.2 on the originals, the strength bar 76.8 against 77.4.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alerts.detection.config import DetectorConfig

# Fewer remembered days than this and the series has not shown what its ordinary days look like yet.
_MIN_DAYS = 3


@dataclass
class DailyPeaks:
    peaks: list[float] = field(default_factory=list)  # completed days' strongest evidence, oldest first
    day: int | None = None  # proleptic ordinal of the local day in progress
    today: float = 0.0  # its strongest so far

    def bar(self, config: DetectorConfig) -> float:
        """The evidence strength an incident needs by this series' ordinary days (0: too few known)."""
        # The newest ``peak_days`` only: a state saved under a longer memory obeys today's setting at once.
        recent = self.peaks[-config.peak_days :]
        if len(recent) < _MIN_DAYS:
            return 0.0
        ordered = sorted(recent)
        position = config.peak_quantile * (len(ordered) - 1)
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        quantile = ordered[low] + (position - low) * (ordered[high] - ordered[low])
        # Below the quantile's reach (3 alarming days of 7 leave the median at 0) the bar still rises
        # with each alarming day, so it does not jump from 1 to peak_margin x the median at the 4th.
        alarming = sum(p >= 1.0 for p in recent) / len(recent)
        share = 1.0 + config.peak_share_margin * alarming if alarming else 0.0
        return max(share, config.peak_margin * quantile)

    def observe(self, day: int, strength: float, config: DetectorConfig) -> None:
        if self.day is not None and day != self.day:
            self.peaks.append(self.today)
            del self.peaks[: max(0, len(self.peaks) - config.peak_days)]
            self.today = 0.0
        self.day = day
        self.today = max(self.today, strength)

    def to_state(self) -> dict[str, Any]:
        return {"peaks": list(self.peaks), "day": self.day, "today": self.today}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> DailyPeaks:
        day = state["day"]
        return cls(
            peaks=[float(p) for p in state["peaks"]],
            day=None if day is None else int(day),
            today=float(state["today"]),
        )
