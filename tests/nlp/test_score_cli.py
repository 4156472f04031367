"""``shenava score`` through the real CLI: the exact output contract, streaming formats, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shenava.cli import app
from shenava.scoring import build_analyzer

ROOT = Path(__file__).resolve().parents[2]
ADDED = {"lang", "sentiment", "aspects", "urgency"}
LANGS = {"fa", "ar", "en", "finglish", "other"}


def check_contract(record: dict, source: dict) -> None:
    for key, value in source.items():
        if key not in ADDED:
            assert record[key] == value  # input fields are kept as they came
    assert record["lang"] in LANGS
    sentiment = record["sentiment"]
    assert sentiment["label"] in {"negative", "neutral", "positive"}
    assert set(sentiment["probs"]) == {"negative", "neutral", "positive"}
    assert abs(sum(sentiment["probs"].values()) - 1) < 1e-3
    assert -1 <= sentiment["score"] <= 1
    assert sentiment["label"] == max(sentiment["probs"], key=sentiment["probs"].get)
    if "emotion" in sentiment:  # a model with an emotion head (the bundled one) adds its label and probs
        assert sentiment["emotion"] == max(sentiment["emotion_probs"], key=sentiment["emotion_probs"].get)
        assert abs(sum(sentiment["emotion_probs"].values()) - 1) < 1e-3
    assert isinstance(record["aspects"], list)
    assert 0 <= record["urgency"] <= 1


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def read_jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


RECORDS = [
    {"id": 1, "text": "سفارشم هنوز نرسیده!!! چرا جواب نمیدید؟ 😡", "user": {"name": "علی"}},
    {"id": 2, "text": "پیک خیلی مودب بود، مرسی 🌹", "author_followers": 120_000},
    {"id": 3, "text": "My order arrived cold and late"},
    {"id": 4, "text": ""},
    {"id": 5, "text": "salam, sefaresham kheili dir resid"},
]


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_jsonl_file_to_file(runner: CliRunner, tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, RECORDS)
    result = runner.invoke(app, ["score", "--input", str(src), "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = read_jsonl(out.read_text(encoding="utf-8"))
    assert [r["id"] for r in rows] == [1, 2, 3, 4, 5]
    for row, source in zip(rows, RECORDS, strict=True):
        check_contract(row, source)
    assert rows[0]["lang"] == "fa" and "delivery" in rows[0]["aspects"]
    assert all("emotion" in r["sentiment"] for r in rows if r["text"])  # the bundled emotion head
    assert rows[2]["lang"] == "en" and rows[4]["lang"] == "finglish"
    assert not (tmp_path / "out.jsonl.part").exists()


def test_csv_stdin_to_stdout(runner: CliRunner) -> None:
    csv_text = 'id,text,extra\n1,"سلام، پشتیبانی جواب نمیده",a\n2,"چند خطی\nقیمتش گرونه",b\n'
    result = runner.invoke(app, ["score", "-i", "-", "-o", "-"], input=csv_text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    rows = read_jsonl(result.stdout)
    assert [r["id"] for r in rows] == ["1", "2"]
    assert rows[1]["text"] == "چند خطی\nقیمتش گرونه" and rows[1]["extra"] == "b"
    assert rows[0]["aspects"] == ["support"] and rows[1]["aspects"] == ["price"]
    for row in rows:
        check_contract(row, {})


def test_malformed_line_stops_naming_the_line(runner: CliRunner, tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(
        '{"text": "سلام"}\n\n{"text": "خوب"}\n{"text": broken\n{"text": "بعدی"}\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["score", "--input", str(src), "--output", str(out)])
    assert result.exit_code == 1
    assert "line 4" in result.stderr and "not valid JSON" in result.stderr
    assert not out.exists() and not (tmp_path / "out.jsonl.part").exists()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": 1}', 'no "text"'),
        ('{"text": 12}', "must be a string"),
        ("[1, 2]", "JSON object"),
        ("nope", "JSON"),
    ],
)
def test_each_kind_of_bad_line(runner: CliRunner, tmp_path: Path, line: str, reason: str) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "ok"}\n' + line + "\n", encoding="utf-8")
    result = runner.invoke(app, ["score", "--input", str(src), "--output", "-"])
    assert result.exit_code == 1
    assert "line 2" in result.stderr and reason in result.stderr


def test_skip_bad_skips_and_counts(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        '{"n": 1, "text": "سلام"}\n{"n": 2}\n'.encode()
        + b"\xff\xfe bad bytes\n"  # not UTF-8
        + b'{"n": 3, "text": "x"}\n'
    )
    result = runner.invoke(app, ["score", "--input", str(src), "--output", "-", "--skip-bad"])
    assert result.exit_code == 0, result.output
    assert [r["n"] for r in read_jsonl(result.stdout)] == [1, 3]
    assert "skipped 2 malformed line(s): 2, 3" in result.stderr


def test_csv_without_text_column(runner: CliRunner) -> None:
    result = runner.invoke(app, ["score", "-i", "-", "-o", "-", "--format", "csv"], input=b"id,body\n1,x\n")
    assert result.exit_code == 1 and "no 'text' column" in result.stderr


def test_csv_row_with_wrong_field_count(runner: CliRunner) -> None:
    data = b'id,text\n1,"a"\n2,"b",extra\n3,"c"\n'
    result = runner.invoke(app, ["score", "-i", "-", "-o", "-", "--skip-bad"], input=data)
    assert result.exit_code == 0
    assert [r["id"] for r in read_jsonl(result.stdout)] == ["1", "3"]
    assert "skipped 1 malformed line(s): 3" in result.stderr


def test_missing_input_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", "--input", str(tmp_path / "nope.jsonl"), "--output", "-"])
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_hostile_text_round_trips(runner: CliRunner, tmp_path: Path) -> None:
    hostile = [
        {"text": "<script>alert(1)</script><b>سبزینو</b>&amp;"},
        {"text": "\u202e\u2066بدون\u200b\u200bجهت\u2069"},
        {"text": "x" * 300_000},
        {"text": "\ud800 lone surrogate"},
        {"text": "سلام\u0000nul"},
        {"text": "خط\u2028جدا\u2029کننده\x85ها"},  # line breaks for str.splitlines, not for JSONL
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in hostile), encoding="ascii")
    result = runner.invoke(app, ["score", "--input", str(src), "--output", "-"])
    assert result.exit_code == 0, result.output
    rows = read_jsonl(result.stdout)
    assert [r["text"] for r in rows] == [r["text"] for r in hostile]
    for row, source in zip(rows, hostile, strict=True):
        check_contract(row, source)


def test_help_documents_the_contract(runner: CliRunner) -> None:
    result = runner.invoke(app, ["score", "--help"])
    assert result.exit_code == 0
    assert "--input" in result.stdout and "--output" in result.stdout and "--skip-bad" in result.stdout


def test_real_process_streams_stdin_to_stdout(tmp_path: Path) -> None:
    lines = "".join(
        json.dumps({"i": i, "text": f"سفارش {i} دیر رسید"}, ensure_ascii=False) + "\n" for i in range(300)
    )
    proc = subprocess.run(
        [sys.executable, "-m", "shenava.cli", "score", "--input", "-", "--output", "-", "--batch-size", "64"],
        input=lines.encode("utf-8"),
        capture_output=True,
        cwd=ROOT,
        timeout=240,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    rows = read_jsonl(proc.stdout.decode("utf-8"))
    assert [r["i"] for r in rows] == list(range(300))
    assert all(r["aspects"] == ["delivery"] for r in rows)
    assert b"scored 300 record(s)" in proc.stderr


def test_no_configuration_anywhere_uses_embedded_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import config.loader

    monkeypatch.delenv("SHENAVA_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(config.loader, "BUNDLED_CONFIG", tmp_path / "absent.yaml")
    analyzer = build_analyzer(None)
    [analysis] = analyzer.analyze_texts(["کلاهبرداری کردن، سفارشم نرسید"])
    assert analysis.brands == [] and analysis.aspects == ["delivery"]


def test_bad_config_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("brands: 5\n", encoding="utf-8")
    result = runner.invoke(
        app, ["score", "-i", "-", "-o", "-", "--config", str(bad)], input=b'{"text": "x"}\n'
    )
    assert result.exit_code == 2 and "bad.yaml" in result.stderr
