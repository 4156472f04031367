"""``DetectorConfig``: the spike detector's knobs, with defaults that hold for sparse and busy series.

The same defaults serve 0–20 negative mentions per bucket (one brand, one touchpoint) and total volumes
of tens to thousands per bucket (the NAB realTweets series). Statistical rules are scale-free (a robust
z-score on a variance-stabilised transform, exact over-dispersed tails for small single buckets and for
trailing windows at every scale); the absolute floor stops tiny counts from alerting, the relative one
(a surge must at least double) ordinary swings of busy series. Durations are in minutes and converted
to buckets with ``bucket_minutes``. The defaults were chosen on five NAB series and checked
leave-one-series-out and under perturbations (``benchmarks/bench_nab.py``); prefer changing
``spike_z``/``sustained_z`` only.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class DetectorConfig(BaseModel):
    """Settings of one streaming spike detector (also the ``alerts.detection`` settings section)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bucket_minutes: int = Field(default=5, ge=1, le=1440, description="Width of one time bucket in minutes.")
    timezone: str = Field(
        default="Asia/Tehran",
        description="IANA time zone of the daily/weekly rhythm. Timezone-aware timestamps are converted to "
        "it; naive timestamps are taken as wall-clock time already in the series' own zone.",
    )
    dispersion: float = Field(
        default=10.0,
        gt=0,
        description="Negative-binomial dispersion k of the variance-stabilising transform: counts well "
        "below k are treated like Poisson (square-root scale), counts well above k like log-normal.",
    )
    level_halflife_minutes: float = Field(
        default=360.0, gt=0, description="Half-life of the local level (how fast the baseline follows drift)."
    )
    daily_halflife_days: float = Field(
        default=3.0, gt=0, description="Half-life, in days, of the learned time-of-day profile."
    )
    weekly_halflife_weeks: float = Field(
        default=2.0, gt=0, description="Half-life, in weeks, of the learned day-of-week offsets."
    )
    scale_halflife_minutes: float = Field(
        default=1440.0, gt=0, description="Half-life of the robust noise-scale estimate."
    )
    min_scale: float = Field(
        default=1.0,
        gt=0,
        description="Lower bound of the noise scale on the transformed axis (1.0 = the noise of a negative "
        "binomial with dispersion k): a series that was smooth so far cannot make a wiggle look extreme.",
    )
    huber_k: float = Field(
        default=5.0,
        gt=0,
        description="Residuals beyond this many scales are clipped before they update the baseline, so a "
        "burst does not teach the baseline that bursts are normal.",
    )
    warmup_minutes: float = Field(
        default=1440.0, ge=0, description="No incident opens during the first this-many minutes of a series."
    )
    spike_z: float = Field(
        default=7.0,
        gt=0,
        description="A single bucket this many scales above its expectation is a spike (below a mean of "
        "``dispersion`` the exact negative-binomial tail decides how many scales that is).",
    )
    quiet_floor: float = Field(
        default=0.1,
        ge=0,
        description="In the exact tail, no bucket is expected to be quieter than this fraction of the "
        "series' average rate over the last day (a night-time slot learned as ~0 events must not make "
        "one event look impossible).",
    )
    sustained_z: float = Field(
        default=1.5,
        gt=0,
        description="Buckets averaging this many scales above expectation over ``sustained_minutes`` are a "
        "surge (catches rises that no single bucket shows).",
    )
    sustained_minutes: float = Field(
        default=180.0,
        gt=0,
        description="Length of the trailing window the surge rule averages over (and whose total the exact "
        "tail judges at every scale).",
    )
    min_excess: float = Field(
        default=5.0,
        ge=0,
        description="An incident opens only if the trailing window's count exceeds its expected count by at "
        "least this much (absolute floor: a 0→2 jump at night is no incident).",
    )
    min_ratio: float = Field(
        default=2.0,
        ge=1.0,
        description="An incident opens only if the trailing window's count is at least this multiple of its "
        "expected count (relative floor for busy series: their three-hour swings of +50-60% are routine, "
        "and the window's exact tail, which assumes independent buckets, would call them significant).",
    )
    calm_below: float = Field(
        default=0.5,
        ge=0,
        le=1.0,
        description="A bucket is calm while the evidence for an incident stays below this fraction of what "
        "opens one (both the single-bucket and the trailing-window rule).",
    )
    calm_minutes: float = Field(
        default=360.0,
        ge=0,
        description="An open incident resolves after this many minutes of uninterrupted calm; until then "
        "aftershocks of the same burst belong to it and do not alert again.",
    )
    rearm_halflife_minutes: float = Field(
        default=1440.0,
        gt=0,
        description="After an incident resolves, a new one must beat its peak evidence (at most twice the "
        "opening level); that bar decays "
        "back to the normal opening level with this half-life (a repeat of yesterday's burst is news "
        "again, an aftershock an hour later is not).",
    )
    major_at: float = Field(
        default=1.5,
        ge=1.0,
        description="Peak evidence (1.0 = just enough to open) from which an incident is 'major'.",
    )
    critical_at: float = Field(
        default=2.5, ge=1.0, description="Peak evidence from which an incident is 'critical'."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _ordered_thresholds(self) -> DetectorConfig:
        if self.major_at > self.critical_at:
            raise ValueError("major_at must not exceed critical_at")
        return self

    def buckets(self, minutes: float) -> int:
        """How many whole buckets span ``minutes`` (at least 0)."""
        return max(0, round(minutes / self.bucket_minutes))

    def rate(self, halflife_minutes: float) -> float:
        """Per-bucket smoothing rate of an exponential average with the given half-life."""
        return 1.0 - 0.5 ** (self.bucket_minutes / halflife_minutes)


# The name the settings section uses (alerts.settings.AlertsSettings.detection).
DetectorSettings = DetectorConfig
