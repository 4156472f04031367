"""Spike detection on NAB realTweets (../shared/nab), scored with NAB's own scorer in fixed alert mode.

Runs ``SpikeDetector`` with DEFAULT settings on each series, writes ``timestamp,alert`` files and scores
them with ``nab_score.py`` (standard / reward_low_FP / reward_low_FN). Also scores perturbed copies
(counts x0.3 and x3, counts thinned to 30% by binomial sampling — a lower-volume series with its own
Poisson noise —, start one day later) and a leave-one-series-out run: a small grid of the main knobs
is tuned on four series and the fifth is scored with the winner.

NAB's code stays outside the project. Set it up once (see ../shared/nab/README.md)::

    nab=$(mktemp -d)
    git --git-dir=<git copy of numenta/NAB> archive HEAD nab config | tar x -C "$nab"
    python3 -m venv "$nab/venv" && "$nab/venv/bin/pip" install "pandas==2.2.3" numpy scipy
    NAB_ROOT="$nab" .venv/bin/python -m benchmarks nab     # NAB_PYTHON defaults to $NAB_ROOT/venv/bin/python

Without NAB_ROOT the benchmark still prints alert counts and window hits per series. The
leave-one-series-out grid takes a few minutes; ``NAB_LOO=0`` skips it.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import product
from pathlib import Path

from alerts.detection import DetectorConfig, SpikeDetector

REPO = Path(__file__).resolve().parents[1]
NAB_DIR = (REPO / ".." / "shared" / "nab").resolve()
DATA_DIR = NAB_DIR / "data"
SERIES_DIR = DATA_DIR / "realTweets"
WINDOWS = NAB_DIR / "windows.json"
PROFILES = ("standard", "reward_low_FP_rate", "reward_low_FN_rate")
PUBLISHED = {
    "ARTime": (83.8, 73.1, 89.2),
    "contextOSE": (76.0, 75.7, 77.5),
    "numenta HTM": (66.1, 61.2, 69.1),
    "Twitter ADVec": (66.0, 42.7, 75.3),
    "rolling z>=4": (-0.7, -99.0, 32.9),
}
# Leave-one-series-out grid: the evidence thresholds, the surge window and the relative floor.
GRID = {
    "spike_z": (6.0, 7.0, 8.0),
    "sustained_z": (1.25, 1.5, 2.0),
    "sustained_minutes": (60.0, 180.0),
    "min_ratio": (1.5, 2.0),
}

Rows = list[tuple[str, datetime, float]]
# A perturbation returns the rows the detector sees and how many leading rows it skips.
Perturbation = Callable[[Rows], tuple[Rows, int]]


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


def run_detector(rows: Rows, config: DetectorConfig, skip: int = 0) -> list[int]:
    """0/1 alerts per row; the first ``skip`` rows are never shown to the detector (alert 0)."""
    detector = SpikeDetector(config)
    return [0] * skip + [int(detector.update(ts, value).alert) for _, ts, value in rows[skip:]]


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


def scale_counts(factor: float) -> Perturbation:
    return lambda rows: ([(raw, ts, float(round(v * factor))) for raw, ts, v in rows], 0)


def thin_counts(share: float, seed: int = 20150301) -> Perturbation:
    """Keep each event with probability ``share`` (a lower-volume series, Poisson noise included)."""

    def perturb(rows: Rows) -> tuple[Rows, int]:
        rng = random.Random(seed)
        return [(raw, ts, float(sum(rng.random() < share for _ in range(int(v))))) for raw, ts, v in rows], 0

    return perturb


def later_start(rows: Rows) -> tuple[Rows, int]:
    return rows, 288  # the detector first sees the series one day (288 buckets) in


def print_scores(label: str, scores: dict[str, float]) -> None:
    print(f"  {label:<34} " + " / ".join(f"{scores[p]:6.1f}" for p in PROFILES), flush=True)


def leave_one_out(series: dict[str, Rows], work: Path) -> dict[str, float]:
    """Tune the grid on four series (raw standard score), score the fifth with the winner."""
    keys, raws = list(GRID), {}
    for i, values in enumerate(product(*GRID.values())):
        overrides = dict(zip(keys, values, strict=True))
        out = work / f"grid{i}"
        detect_all(series, DetectorConfig(**overrides), out)
        raws[i] = (overrides, out, nab_score(out, per_file=True)[1])
    combined = work / "loo"
    combined.mkdir(parents=True)
    for name in series:
        overrides, out, _ = max(
            raws.values(), key=lambda item: sum(s for n, s in item[2].items() if n != name)
        )
        print(f"    held out {name[15:-4]:<5} tuned on the other four: {overrides}")
        (combined / name).write_bytes((out / name).read_bytes())
    return nab_score(combined)[0]


def main() -> None:
    if not SERIES_DIR.is_dir():
        print(f"NAB data not found at {SERIES_DIR}; nothing to benchmark")
        return
    series, windows = load_series(), load_windows()
    config = DetectorConfig()
    with tempfile.TemporaryDirectory(prefix="shenava-nab-") as tmp:
        work = Path(tmp)
        start = time.perf_counter()
        results = detect_all(series, config, work / "default")
        elapsed = time.perf_counter() - start
        buckets = sum(len(r) for r in series.values())
        print(
            f"SpikeDetector, default settings, {len(series)} series, {buckets} buckets "
            f"({buckets / elapsed:,.0f} buckets/s)"
        )
        for name, alerts in results.items():
            res = SeriesResult(
                name,
                len(alerts),
                [ts for (_, ts, _), a in zip(series[name], alerts, strict=True) if a],
                windows[name],
            )
            print(
                f"  {name[15:-4]:<5} alerts {len(res.alerts):3d}  windows hit {res.hits}/{len(res.windows)}"
                f"  alerts outside windows {res.outside:3d}"
            )
        if nab_command() is None:
            print(
                "NAB scorer not set up: set NAB_ROOT (and NAB_PYTHON) as this module's docstring shows "
                "to print NAB scores."
            )
            return
        print("NAB normalised scores, fixed alert mode    standard / low_FP / low_FN")
        for label, published in PUBLISHED.items():
            print(f"  {'published ' + label:<34} " + " / ".join(f"{s:6.1f}" for s in published))
        print_scores("SpikeDetector defaults (in-sample)", nab_score(work / "default")[0])
        for label, perturb in (
            ("counts x0.3", scale_counts(0.3)),
            ("counts x3", scale_counts(3.0)),
            ("counts thinned to 30%", thin_counts(0.3)),
            ("start one day later", later_start),
        ):
            out = work / label.replace(" ", "_")
            detect_all(series, config, out, perturb)
            print_scores(f"defaults, {label}", nab_score(out)[0])
        if os.environ.get("NAB_LOO", "1") == "0":
            print("leave-one-series-out skipped (NAB_LOO=0)")
            return
        print("leave-one-series-out over " + ", ".join(f"{k} {v}" for k, v in GRID.items()))
        print_scores("leave-one-series-out", leave_one_out(series, work))


if __name__ == "__main__":
    main()
