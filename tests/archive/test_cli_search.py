"""``shenava search`` end to end on both backends: filters, exports (CSV, JSONL, Parquet), aggregates."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from shenava.cli import app
from tests.archive.corpus import corpus

runner = CliRunner()


@pytest.fixture
def config(db_url: str, archive: dict[str, int], tmp_path: Path) -> Path:
    path = tmp_path / "shenava.yaml"
    path.write_text(
        "brands:\n  - name: sabzino\n    aliases_fa: [سبزینو]\n  - name: nobank\n"
        "  - name: tazeh\n    competitor: true\n"
        f"storage:\n  url: '{db_url}'\n",
        encoding="utf-8",
    )
    return path


def run(config: Path, *args: str) -> str:
    result = runner.invoke(app, ["search", *args, "--config", str(config)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_jsonl_export_with_filters(config: Path) -> None:
    out = run(config, "سبزینو", "--brand", "sabzino", "--since", "1403-09-01", "--until", "1403-09-02",
              "--sentiment", "negative", "--format", "jsonl", "--sort", "oldest")  # fmt: skip
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["external_id"] for r in rows] == ["a1", "a2", "c1"]
    assert rows[0]["brands"] == ["sabzino"] and rows[0]["created_at"].endswith("+00:00")


def test_csv_file_is_excel_friendly_and_formula_safe(config: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "mentions.csv"
    run(config, "--touchpoint", "delivery", "--format", "csv", "--out", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read Persian correctly
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted(r["external_id"] for r in rows) == ["a1", "a6", "a7", "b1"]
    assert all(not r["text"].startswith(("=", "+", "-", "@")) for r in rows)


def test_parquet_export(config: Path, tmp_path: Path) -> None:
    target = tmp_path / "m.parquet"
    run(config, "--lang", "fa", "--format", "parquet", "--out", str(target))
    table = pq.read_table(target)
    assert table.num_rows == 13 and "text" in table.column_names
    assert table.schema.field("brands").type.value_type == "string"


@pytest.mark.parametrize(
    ("aggregate", "check"),
    [
        ("volume-day", lambda rows: sum(r["total"] for r in rows) == 14),
        (
            "sentiment",
            lambda rows: (
                rows == [{"total": 14, "negative": 7, "neutral": 3, "positive": 4, "net": round(-3 / 14, 4)}]
            ),
        ),
        ("sov", lambda rows: [r["brand"] for r in rows] == ["sabzino", "tazeh", "nobank"]),
    ],
)
def test_aggregates(config: Path, aggregate: str, check) -> None:
    rows = [
        json.loads(line) for line in run(config, "--aggregate", aggregate, "--format", "jsonl").splitlines()
    ]
    assert check(rows), rows


def test_table_output(config: Path) -> None:
    out = run(config, "نوبانک", "--limit", "5")
    assert "2 mention(s)" in out and "instagram" in out


def test_table_times_read_in_the_zone_since_and_until_use(config: Path) -> None:
    # --since 1403-09-01 means Tehran's day, so the rows it returns are shown in Tehran time too
    at = next(row["at"] for row in corpus() if row["ext"] == "a4")
    args = ["search", "نوبانک", "--since", "1403-09-01", "--until", "1403-09-01", "--config", str(config)]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "1 mention(s)" in out and "Asia/Tehran" in out and "UTC" not in out
    assert at.astimezone(ZoneInfo("Asia/Tehran")).strftime("%Y-%m-%d %H:%M") in out
    assert at.strftime("%Y-%m-%d %H:%M") not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["!!!"], "no letters or digits"),
        (["--since", "1403-13-01"], "not a valid date"),
        (["--format", "xml"], "--format"),
        (["--format", "parquet"], "needs --out"),
        (["--aggregate", "median"], "--aggregate"),
    ],
)
def test_bad_input_is_a_clear_error(config: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["search", *args, "--config", str(config)])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
