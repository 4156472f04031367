"""``shenava detect`` through the real CLI: output contract, causality and clear errors."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shenava.cli import app
from tests.detection.synthetic import PER_DAY, burst, series

runner = CliRunner()
BURST_AT = 4 * PER_DAY + 150


def write_series(path: Path, rows: list[tuple[str, str]], header: str = "timestamp,value") -> Path:
    path.write_text(header + "\n" + "".join(f"{ts},{value}\n" for ts, value in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rows() -> list[tuple[str, str]]:
    points = series(days=6, level=12.0, seed=3, bursts=burst(BURST_AT, 4, 150.0))
    return [(ts.isoformat(sep=" "), str(int(v))) for ts, v in points]


def detect(tmp_path: Path, source: Path, name: str = "out.csv") -> tuple[int, str, list[dict[str, str]]]:
    out = tmp_path / name
    result = runner.invoke(app, ["detect", "--input", str(source), "--output", str(out)])
    table = list(csv.DictReader(out.open(encoding="utf-8"))) if out.exists() else []
    return result.exit_code, result.output, table


def test_output_contract(tmp_path: Path, rows: list[tuple[str, str]]) -> None:
    code, output, table = detect(tmp_path, write_series(tmp_path / "in.csv", rows))
    assert code == 0, output
    assert list(table[0]) == ["timestamp", "value", "anomaly_score", "alert"]
    assert [(r["timestamp"], r["value"]) for r in table] == rows
    assert all(0.0 <= float(r["anomaly_score"]) <= 1.0 for r in table)
    assert {r["alert"] for r in table} <= {"0", "1"}
    alerts = [i for i, r in enumerate(table) if r["alert"] == "1"]
    assert len(alerts) == 1 and BURST_AT <= alerts[0] < BURST_AT + 4
    assert float(table[alerts[0]]["anomaly_score"]) >= 0.5
    # 0.5 is reached exactly where an incident opens, not on the burst's later buckets (which keep it
    # open): NAB's scorer thresholds anomaly_score at 0.5 when no column is named.
    flagged = [i for i, r in enumerate(table) if float(r["anomaly_score"]) >= 0.5]
    assert flagged == alerts
    assert float(table[alerts[0] + 1]["anomaly_score"]) > float(table[alerts[0] - 1]["anomaly_score"])
    assert "1 incident(s)" in output


@pytest.mark.parametrize("umask", [0o022, 0o077], ids=["umask022", "umask077"])
def test_output_file_mode_follows_the_umask(tmp_path: Path, rows: list[tuple[str, str]], umask: int) -> None:
    # written through a temporary file, but readable like any file the user writes (an evaluator's
    # account reads it), not mkstemp's 0600
    previous = os.umask(umask)
    try:
        code, output, _ = detect(tmp_path, write_series(tmp_path / "in.csv", rows[:50]))
    finally:
        os.umask(previous)
    assert code == 0, output
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("cut", [PER_DAY, BURST_AT, BURST_AT + 2, BURST_AT + 30])
def test_causal_output_for_a_prefix_is_unchanged(
    tmp_path: Path, rows: list[tuple[str, str]], cut: int
) -> None:
    _, _, whole = detect(tmp_path, write_series(tmp_path / "whole.csv", rows), "whole_out.csv")
    code, output, prefix = detect(
        tmp_path, write_series(tmp_path / "prefix.csv", rows[:cut]), "prefix_out.csv"
    )
    assert code == 0, output
    assert prefix == whole[:cut]


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        ("time,count\n2024-01-01 00:00:00,1\n", ["missing column", "timestamp", "value"]),
        ("timestamp\n2024-01-01 00:00:00\n", ["missing column", "value"]),
        ("", ["missing column"]),
        (
            "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,abc\n",
            ["line 3", "'abc'", "not a number"],
        ),
        ("timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,nan\n", ["line 3", "finite"]),
        ("timestamp,value\n2024-01-01 00:00:00,-4\n", ["line 2", ">= 0"]),
        ("timestamp,value\nyesterday,1\n", ["line 2", "ISO 8601"]),
        (
            "timestamp,value\n2024-01-01 00:05:00,1\n2024-01-01 00:00:00,2\n",
            ["line 3", "increasing time order"],
        ),
        ("timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:00:00,1\n", ["line 3", "not after"]),
    ],
)
def test_bad_csv_gives_a_clear_error_and_no_output(
    tmp_path: Path, content: str, fragments: list[str]
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(content, encoding="utf-8")
    code, output, table = detect(tmp_path, source)
    assert code == 2
    for fragment in fragments:
        assert fragment in output
    assert table == [] and not (tmp_path / "out.csv").exists()
    assert list(tmp_path.glob(".out.csv.*")) == [], "no temporary file is left behind"


def test_failed_run_keeps_a_previous_output(tmp_path: Path, rows: list[tuple[str, str]]) -> None:
    source = write_series(tmp_path / "in.csv", rows[:50])
    assert detect(tmp_path, source)[0] == 0
    before = (tmp_path / "out.csv").read_text(encoding="utf-8")
    source.write_text("timestamp,value\n2024-01-01 00:00:00,x\n", encoding="utf-8")
    assert detect(tmp_path, source)[0] == 2
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == before


def test_missing_input_file(tmp_path: Path) -> None:
    code, output, _ = detect(tmp_path, tmp_path / "nope.csv")
    assert code == 2 and "does not exist" in output


def test_hostile_cells_are_reported_truncated(tmp_path: Path) -> None:
    source = tmp_path / "big.csv"
    source.write_text("timestamp,value\n2024-01-01 00:00:00," + "\u202e9" * 50_000 + "\n", encoding="utf-8")
    code, output, _ = detect(tmp_path, source)
    assert code == 2 and "line 2" in output and len(output) < 500


def test_help_describes_the_contract() -> None:
    result = runner.invoke(app, ["detect", "--help"])
    assert result.exit_code == 0
    assert "--input" in result.output and "--output" in result.output
