"""`shenava import`: backfills go in once, bad lines are reported by number, the rest is kept."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from sqlalchemy import func, select
from typer.testing import CliRunner

from listeners.importer import import_file
from shenava.service.pipeline import Pipeline
from storage.models import Mention

ROOT = Path(__file__).resolve().parents[2]

ROWS = [
    {"text": "سبزینو امروز زود آورد 👌", "created_at": "2026-10-03T10:00:00+03:30", "author": "ali"},
    {"text": "اپ نوبانک باز نمیشه 😡", "created_at": "2026-10-03T11:00:00+03:30", "source": "x", "id": "42"},
    {"text": "missing time"},
    {
        "text": "Tazeh Market prices are fine",
        "created_at": "2026-10-03T12:00:00Z",
        "lang": "en",
        "metrics": {"likes": 2},
        "author_followers": 10,
    },
]


def write(path: Path) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in ROWS]
    lines.insert(2, "{oops")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def count(pipeline: Pipeline) -> int:
    with pipeline.store.sessions() as s:
        return s.scalar(select(func.count()).select_from(Mention)) or 0


def test_import_twice_adds_nothing_the_second_time(pipeline: Pipeline, tmp_path: Path) -> None:
    path = write(tmp_path / "export.jsonl")
    progress: list[int] = []
    first = import_file(
        path, pipeline.process_counts, batch_size=2, on_progress=lambda r: progress.append(r.lines)
    )
    assert (first.read, first.inserted, first.duplicates) == (3, 3, 0)
    assert [(e.line, "created_at" in e.reason) for e in first.errors] == [(3, False), (4, True)]
    assert progress and progress == sorted(progress) and first.lines == first.total_lines == 5
    second = import_file(path, pipeline.process_counts)
    assert (second.inserted, second.duplicates) == (0, 3)
    assert count(pipeline) == 3
    with pipeline.store.sessions() as s:
        sources = set(s.scalars(select(Mention.source)))
        scored = set(s.scalars(select(Mention.sentiment_label)))
    assert sources == {"import", "x"} and scored <= {"negative", "neutral", "positive"}


def test_import_command_reports_bad_lines_and_counts(tmp_path: Path) -> None:
    from shenava.cli import app

    config = yaml.safe_load((ROOT / "config" / "shenava.yaml").read_text(encoding="utf-8"))
    config["storage"] = {"url": f"sqlite:///{tmp_path / 'var' / 'shenava.db'}"}
    config_path = tmp_path / "shenava.yaml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    csv_path = tmp_path / "export.csv"
    csv_path.write_text(
        "text,created_at,source,id\n"
        "نوبانک عالیه,2026-10-03T10:00:00+03:30,x,1\n"
        "no offset,2026-10-03T10:00:00,x,2\n"
        "سبزینو دیر کرد,2026-10-03T11:00:00+03:30,,\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(csv_path), "--config", str(config_path)])
    assert result.exit_code == 3, result.output  # lines were rejected (issue 15)
    assert "2 new" in result.output and "export.csv:3" in result.output and "1 bad line" in result.output
    again = runner.invoke(app, ["import", str(csv_path), "--config", str(config_path)])
    assert again.exit_code == 3 and "0 new, 2 already stored" in again.output
    missing = runner.invoke(app, ["import", str(tmp_path / "nope.csv"), "--config", str(config_path)])
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_bad_config_stops_with_the_file_and_key_named(tmp_path: Path) -> None:
    from shenava.cli import app

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "brands:\n  - name: sabzino\n    aliases_fa: سبزینو\nstorage:\n  url: 5\n", encoding="utf-8"
    )
    for command in (["init"], ["run", "--until-idle"], ["status"], ["import", str(bad)]):
        result = CliRunner().invoke(app, [*command, "--config", str(bad)])
        assert result.exit_code == 2, (command, result.output)
        assert "bad.yaml" in result.output and "aliases_fa" in result.output


def _config(tmp_path: Path, **notifications: object) -> Path:
    config = yaml.safe_load((ROOT / "config" / "shenava.yaml").read_text(encoding="utf-8"))
    config["storage"] = {"url": f"sqlite:///{tmp_path / 'var' / 'shenava.db'}"}
    config["notifications"] = {
        "channels": [{"type": "file", "name": "file", "path": str(tmp_path / "alerts.jsonl")}],
        **notifications,
    }
    path = tmp_path / "shenava.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def test_import_records_what_it_finds_and_pages_only_what_is_fresh(tmp_path: Path) -> None:
    """Urgent mentions in an import are recorded; only the one written minutes ago is sent, and the
    CLI says what was found (Persian by default, English by setting)."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import create_engine

    from shenava.cli import app
    from storage.models import Delivery, UrgentAlert

    fresh = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    csv_path = tmp_path / "export.csv"
    csv_path.write_text(
        "text,created_at,source,id\n"
        "نوبانک کلاهبرداری کرد پولم رو برنگردوند,2026-10-03T10:00:00+03:30,x,1\n"
        "نوبانک امروز عالی بود,2026-10-03T11:00:00+03:30,x,2\n"
        f"سبزینو کلاهبرداری کرده حسابم خالی شد,{fresh},x,3\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["import", str(csv_path), "--config", str(_config(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "۰ رخداد و ۲ پیام فوری در داده‌های واردشده پیدا شد" in result.output
    assert "۱ هشدار تازه فرستاده می‌شود؛ ۱ مورد قدیمی‌تر از ۶۰ دقیقه فقط ثبت شد" in result.output
    engine = create_engine(f"sqlite:///{tmp_path / 'var' / 'shenava.db'}")
    with engine.connect() as conn:
        rows = conn.execute(select(UrgentAlert.brand, UrgentAlert.details)).all()
        deliveries = conn.execute(select(Delivery.event_ref, Delivery.status)).all()
    engine.dispose()
    assert sorted((brand, bool(details.get("backfilled"))) for brand, details in rows) == [
        ("nobank", True),
        ("sabzino", False),
    ]
    assert len(deliveries) == 1 and deliveries[0][1] == "sent"
    sent = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [m["event"]["brand"] for m in sent] == ["sabzino"] and "سبزینو" in sent[0]["text"]

    english = tmp_path / "en"
    english.mkdir()
    csv_en = english / "export.csv"
    csv_en.write_text(csv_path.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["import", str(csv_en), "--config", str(_config(english, language="en"))]
    )
    assert result.exit_code == 0, result.output
    assert "0 incident(s) and 2 urgent mention(s) found in the imported data" in result.output
