"""Spike detection on NAB realTweets (../shared/nab): nested leave-one-series-out and perturbations.

Runs ``SpikeDetector`` with DEFAULT settings on each series and scores the 0/1 alerts with NAB's
scoring rule in fixed alert mode (``benchmarks/nab_scoring.py``, a re-implementation that reproduces
NAB's own figures; with NAB_ROOT set, NAB's scorer ``nab_score.py`` is run on the defaults as well).
The five series are the ones the defaults were developed on, so the figures on them are IN-SAMPLE. The
honest figure is the nested leave-one-series-out: for each series, the settings of a small grid are
chosen on the other four (per cost profile) and the held-out series is scored with them; the mean of
the five held-out folds (and their pooled score) is the result. Perturbed copies (counts x0.3 and x3,
thinned to 30% by binomial sampling, every tweet a retweet wave, start one day later; then the 18 copies
of ``benchmarks/nab_copies.py``, thinned and clumpier) show how the defaults bend, in-sample.

``NAB_LOO=0`` (or ``BENCH_FAST=1`` without ``NAB_LOO=1``) skips the leave-one-series-out grid, which
takes a minute or two on two cores; ``NAB_COPIES`` does the same for the 18 copies (half a minute). To
cross-check with NAB's own scorer, set it up once (see ../shared/nab/README.md)::

    nab=$(mktemp -d)
    git --git-dir=<git copy of numenta/NAB> archive HEAD nab config | tar x -C "$nab"
    python3 -m venv "$nab/venv" && "$nab/venv/bin/pip" install "pandas==2.2.3" numpy scipy
    NAB_ROOT="$nab" .venv/bin/python -m benchmarks nab     # NAB_PYTHON defaults to $NAB_ROOT/venv/bin/python
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from itertools import product
from pathlib import Path

from alerts.detection import DetectorConfig
from alerts.detection.report import write_detection
from benchmarks.nab_copies import copies, score_copies
from benchmarks.nab_false_alerts import false_alerts, without
from benchmarks.nab_perturbations import (
    Perturbation,
    Rows,
    later_start,
    retweet_waves,
    run_detector,
    scale_counts,
    thin_counts,
)
from benchmarks.nab_scoring import SeriesScore, normalised, score_series

REPO = Path(__file__).resolve().parents[1]
NAB_DIR = (REPO / ".." / "shared" / "nab").resolve()
DATA_DIR = NAB_DIR / "data"
SERIES_DIR = DATA_DIR / "realTweets"
WINDOWS = NAB_DIR / "windows.json"
PROFILES = ("standard", "reward_low_FP_rate", "reward_low_FN_rate")
# The fold lines' names for them (NAB's own names share their first 12 characters).
_SHORT = {"standard": "standard", "reward_low_FP_rate": "low-FP", "reward_low_FN_rate": "low-FN"}
PUBLISHED = {
    "ARTime": (83.8, 73.1, 89.2),
    "contextOSE": (76.0, 75.7, 77.5),
    "numenta HTM": (66.1, 61.2, 69.1),
    "Twitter ADVec": (66.0, 42.7, 75.3),
    "rolling z>=4": (-0.7, -99.0, 32.9),
}
# The same detectors on the five held-out realTweets series (issue 10): the bar to clear there.
PUBLISHED_HELD_OUT = {
    "ARTime": (80.0, 67.2),
    "contextOSE": (73.0, 70.7),
    "numenta HTM": (69.8, 61.0),
    "Twitter ADVec": (53.6, 29.3),
}
# Leave-one-series-out grid: how much stronger than an ordinary day's spikes a new one must be, which of
# the remembered days' spikes stands for an ordinary day, how many days are remembered, and whether the
# slow-rise CUSUM listens (0: off). Only settings that keep the synthetic tuning half's goals are offered
# (issue 10, rounds 12-14; 72 brands, obvious bursts within 15 minutes 43 of 46 at every point here): a
# margin of 3 kept 41, the 0.8 quantile 37-39 (a bar from a busy day's spikes also holds back the
# obvious-burst rule), 28 remembered days 42, and 5 days 42 since round 14's share margin (0.5, chosen on
# that half; the five series alert almost the same with it or without it, so it is not in this grid).
# The CUSUM's form (``ramp_h`` 13 with a 120-minute half-life, round 16) was chosen on the tuning half
# alone; ``NAB_LOO_RAMP_OLD=1`` also offers round 15's (16 nats, no half-life) to the folds. The CUSUM's
# volume floor (round 17): 0.7-0.9 kept the tuning half's goals with fewer false incidents than 0.5.
GRID = {
    "peak_margin": (1.5, 2.0, 2.5),
    "peak_quantile": (0.5,),
    "peak_days": (7, 10, 14),
    "ramp_h": (0.0, 13.0),
    "ramp_min_share": (0.5, 0.7, 0.8, 0.9),
}


@dataclass(frozen=True)
class SeriesResult:
    name: str
    rows: int
    alerts: list[datetime]
    windows: list[tuple[datetime, datetime]]

    @property
    def hits(self) -> int:
        return sum(any(a <= t <= b for t in self.alerts) for a, b in self.windows)

    @property
    def outside(self) -> int:
        return sum(not any(a <= t <= b for a, b in self.windows) for t in self.alerts)


def load_series() -> dict[str, Rows]:
    series = {}
    for path in sorted(SERIES_DIR.glob("Twitter_volume_*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            series[path.name] = [
                (r["timestamp"], datetime.fromisoformat(r["timestamp"]), float(r["value"])) for r in reader
            ]
    return series


def load_windows() -> dict[str, list[tuple[datetime, datetime]]]:
    raw = json.loads(WINDOWS.read_text(encoding="utf-8"))
    return {
        Path(key).name: [(datetime.fromisoformat(a[:19]), datetime.fromisoformat(b[:19])) for a, b in spans]
        for key, spans in raw.items()
    }


def write_alerts(out_dir: Path, name: str, rows: Rows, alerts: list[int]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("timestamp", "alert"))
        writer.writerows((raw, alert) for (raw, _, _), alert in zip(rows, alerts, strict=True))


def detect_all(
    series: dict[str, Rows], config: DetectorConfig, out_dir: Path, perturb: Perturbation | None = None
) -> dict[str, list[int]]:
    results = {}
    for name, rows in series.items():
        rows_in, skip = perturb(rows) if perturb is not None else (rows, 0)
        alerts = run_detector(rows_in, config, skip)
        write_alerts(out_dir, name, rows, alerts)
        results[name] = alerts
    return results


def nab_command() -> list[str] | None:
    root = os.environ.get("NAB_ROOT")
    if not root or not (Path(root) / "nab" / "scorer.py").is_file():
        return None
    python = os.environ.get("NAB_PYTHON", str(Path(root) / "venv" / "bin" / "python"))
    return [python, str(NAB_DIR / "nab_score.py")]


def nab_score(out_dir: Path, per_file: bool = False) -> tuple[dict[str, float], dict[str, float]]:
    """Normalised scores per profile and, with ``per_file``, raw standard scores per series."""
    command = nab_command()
    assert command is not None
    summary, rows_path = out_dir / "summary.json", out_dir / "per_file.out"
    args = [*command, str(out_dir), "--column", "alert", "--threshold-mode", "fixed", "--json", str(summary)]
    if per_file:
        args += ["--per-file", str(rows_path)]
    env = {**os.environ, "NAB_DATA": str(DATA_DIR), "NAB_WINDOWS": str(WINDOWS)}
    subprocess.run(args, check=True, env=env, capture_output=True, text=True)
    result = next(iter(json.loads(summary.read_text()).values()))
    normalised = {p: result[p]["normalized"] for p in PROFILES}
    raw: dict[str, float] = {}
    if per_file:
        with rows_path.open(newline="") as handle:
            for r in csv.DictReader(handle):
                if r["profile"] == "standard":
                    raw[Path(r["file"]).name] = float(r["score"])
    return normalised, raw


def cli_scores(
    series: dict[str, Rows], windows: dict[str, list[tuple[datetime, datetime]]]
) -> tuple[dict[str, float], dict[str, float]]:
    """``shenava detect``'s CSV for each series (its writer, defaults), scored by the ``alert`` column and
    by ``anomaly_score >= 0.5``, the column and threshold NAB's fixed mode takes when none is named."""
    by_alert, by_score = [], []
    with tempfile.TemporaryDirectory(prefix="shenava-detect-") as tmp:
        for name, rows in series.items():
            out = Path(tmp) / name
            write_detection(SERIES_DIR / name, out)
            with out.open(newline="", encoding="utf-8") as handle:
                table = list(csv.DictReader(handle))
            timestamps = [ts for _, ts, _ in rows]
            by_alert.append(score_series(timestamps, [int(r["alert"]) for r in table], windows[name]))
            flagged = [int(float(r["anomaly_score"]) >= 0.5) for r in table]
            by_score.append(score_series(timestamps, flagged, windows[name]))
    return normalised(by_alert), normalised(by_score)


def print_false_alerts(
    series: dict[str, Rows],
    windows: dict[str, list[tuple[datetime, datetime]]],
    results: dict[str, list[int]],
) -> None:
    """How many of the defaults' false alerts are obvious bursts by the issue's own definition, and the
    in-sample score with either group not charged (``benchmarks/nab_false_alerts.py``)."""
    split = {}
    for name, rows in series.items():
        stamps, counts = [ts for _, ts, _ in rows], [v for _, _, v in rows]
        split[name] = (stamps, false_alerts(stamps, counts, results[name], windows[name]))
    obvious = sum(len(f.obvious) for _, f in split.values())
    total = obvious + sum(len(f.other) for _, f in split.values())
    print(f"  its {total} scored false alerts: {obvious} are obvious bursts by issue 10's definition")
    print("    (>= 10 mentions in 15 minutes or in one bucket, >= 5x the same time's median over 7 days)")
    for label, group in (("the obvious ones", "obvious"), ("the others", "other")):
        rescored = [
            score_series(stamps, without(results[name], getattr(f, group)), windows[name])
            for name, (stamps, f) in split.items()
        ]
        print_scores(f"  not charging {label} (in-sample)", normalised(rescored))


def print_scores(label: str, scores: dict[str, float]) -> None:
    print(f"  {label:<44} " + " / ".join(f"{scores[p]:6.1f}" for p in PROFILES), flush=True)


def _score_one(job: tuple[str, Rows, list[tuple[datetime, datetime]], dict[str, float]]) -> SeriesScore:
    _, rows, windows, overrides = job
    alerts = run_detector(rows, DetectorConfig(**overrides))
    return score_series([ts for _, ts, _ in rows], alerts, windows)


def leave_one_out(
    series: dict[str, Rows], windows: dict[str, list[tuple[datetime, datetime]]], workers: int = 2
) -> tuple[dict[str, float], dict[str, float], dict[str, float], dict[str, float]]:
    """Nested leave-one-series-out: per profile, the grid point best on four series scores the fifth.

    Returns the mean of the five held-out folds' normalised scores and the held-out series' raw
    scores pooled and normalised together (per profile), and the fold mean when each fold makes one
    choice, under the standard profile, and scores it under every profile: how the defaults are made
    (one setting, chosen under the standard profile) and how a held-out evaluation scores them (the
    defaults' alerts under all three profiles), with that mean's standard error over the five folds:
    how far a held-out estimate from five series can be trusted (round 23)."""
    keys = list(GRID)
    grid = [dict(zip(keys, values, strict=True)) for values in product(*GRID.values())]
    # With the CUSUM off its volume floor changes nothing: one point stands for all of them.
    grid = [g for g in grid if g["ramp_h"] > 0 or g["ramp_min_share"] == GRID["ramp_min_share"][0]]
    if os.environ.get("NAB_LOO_RAMP_OLD") == "1":
        old = {"ramp_h": 16.0, "ramp_halflife_minutes": 0.0}
        grid += [{**g, **old} for g in grid if g["ramp_h"] > 0]
    names = list(series)
    jobs = [(n, series[n], windows[n], overrides) for overrides in grid for n in names]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        scored = list(pool.map(_score_one, jobs))
    table = {(i, n): scored[i * len(names) + j] for i in range(len(grid)) for j, n in enumerate(names)}
    folds: dict[str, list[float]] = {p: [] for p in PROFILES}
    held: dict[str, list[SeriesScore]] = {p: [] for p in PROFILES}
    one_choice: dict[str, list[float]] = {p: [] for p in PROFILES}
    for name in names:
        chosen = []
        for profile in PROFILES:
            best = max(
                range(len(grid)),
                key=lambda i, p=profile, h=name: sum(table[(i, n)].raw[p] for n in names if n != h),
            )
            folds[profile].append(normalised([table[(best, name)]])[profile])
            held[profile].append(table[(best, name)])
            chosen.append(grid[best])
            if profile == "standard":
                for scored_as in PROFILES:
                    one_choice[scored_as].append(normalised([table[(best, name)]])[scored_as])
        picks = "; ".join(
            f"{_SHORT[p]} " + " ".join(f"{k}={v:g}" for k, v in c.items())
            for p, c in zip(PROFILES, chosen, strict=True)
        )
        # The fold's own score, standard choice under every profile: how far apart the five folds lie.
        fold = " / ".join(f"{one_choice[p][-1]:.1f}" for p in PROFILES)
        print(f"    held out {name[15:-4]:<5} {fold}, chosen on the other four: {picks}", flush=True)
    mean = {p: sum(v) / len(v) for p, v in folds.items()}
    pooled = {p: normalised(held[p])[p] for p in PROFILES}
    one = {p: sum(v) / len(v) for p, v in one_choice.items()}
    error = {p: statistics.stdev(v) / len(v) ** 0.5 for p, v in one_choice.items()}
    return mean, pooled, one, error


def _wanted(flag: str) -> bool:
    """A slower part runs unless its flag is 0, or BENCH_FAST=1 and the flag is not 1."""
    value = os.environ.get(flag)
    return value != "0" and (value is not None or os.environ.get("BENCH_FAST") != "1")


def main() -> None:
    if not SERIES_DIR.is_dir():
        print(f"NAB data not found at {SERIES_DIR}; nothing to benchmark")
        return
    series, windows = load_series(), load_windows()
    config = DetectorConfig()
    start = time.perf_counter()
    results = {name: run_detector(rows, config) for name, rows in series.items()}
    elapsed = time.perf_counter() - start
    buckets = sum(len(r) for r in series.values())
    print(
        f"SpikeDetector, default settings, {len(series)} series, {buckets} buckets "
        f"({buckets / elapsed:,.0f} buckets/s)"
    )
    scores = []
    for name, alerts in results.items():
        res = SeriesResult(
            name,
            len(alerts),
            [ts for (_, ts, _), a in zip(series[name], alerts, strict=True) if a],
            windows[name],
        )
        scores.append(score_series([ts for _, ts, _ in series[name]], alerts, windows[name]))
        print(
            f"  {name[15:-4]:<5} alerts {len(res.alerts):3d}  windows hit {res.hits}/{len(res.windows)}"
            f"  alerts outside windows {res.outside:3d}"
        )
    print("NAB normalised scores, fixed alert mode              standard / low_FP / low_FN")
    for label, published in PUBLISHED.items():
        print(f"  {'published ' + label + ', these five':<44} " + " / ".join(f"{s:6.1f}" for s in published))
    print_scores("SpikeDetector defaults (IN-SAMPLE)", normalised(scores))
    print_false_alerts(series, windows, results)
    by_alert, by_score = cli_scores(series, windows)
    print_scores("  shenava detect's CSV, alert column", by_alert)
    print_scores("  the same CSV, anomaly_score >= 0.5", by_score)
    if nab_command() is not None:
        with tempfile.TemporaryDirectory(prefix="shenava-nab-") as tmp:
            detect_all(series, config, Path(tmp) / "default")
            print_scores("  the same, NAB's own scorer", nab_score(Path(tmp) / "default")[0])
    for label, perturb in (
        ("counts x0.3", scale_counts(0.3)),
        ("counts x3", scale_counts(3.0)),
        ("counts thinned to 30%", thin_counts(0.3)),
        ("retweet waves", retweet_waves(1.0)),
        ("start one day later", later_start),
    ):
        perturbed = []
        for name, rows in series.items():
            rows_in, skip = perturb(rows)
            alerts = run_detector(rows_in, config, skip)
            perturbed.append(score_series([ts for _, ts, _ in rows], alerts, windows[name]))
        print_scores(f"defaults, {label} (in-sample)", normalised(perturbed))
    if _wanted("NAB_COPIES"):
        print(
            f"defaults on {len(copies())} perturbed copies (mean; IN-SAMPLE, the labels are the originals')"
        )
        for group, scores in score_copies(series, windows).items():
            print_scores(f"  {group}", scores)
    else:
        print("perturbed copies skipped (NAB_COPIES=0 or BENCH_FAST=1; NAB_COPIES=1 runs them)")
    if not _wanted("NAB_LOO"):
        print("nested leave-one-series-out skipped (NAB_LOO=0 or BENCH_FAST=1; NAB_LOO=1 runs it)")
        return
    print("nested leave-one-series-out over " + ", ".join(f"{k} {v}" for k, v in GRID.items()))
    mean, pooled, one, error = leave_one_out(series, windows)
    print_scores("held-out folds, mean (the result)", mean)
    print_scores("held-out series, pooled", pooled)
    print_scores("held-out folds, standard choice for all", one)
    # The folds differ by series far more than the grid moves them: a published figure within about
    # this of ours is neither beaten nor missed by the gap.
    print_scores("  its standard error over the five folds", error)
    for label, (standard, low_fp) in PUBLISHED_HELD_OUT.items():
        print(f"  {'published ' + label + ', 5 unseen series':<44} {standard:6.1f} / {low_fp:6.1f}")


if __name__ == "__main__":
    main()
