"""`shenava import`: backfills go in once, bad lines are reported by number, the rest is kept."""

from __future__ import annotations

import json
from datetime import UTC
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
    assert "۰ رخداد و ۲ اشارهٔ فوری در داده‌های واردشده پیدا شد" in result.output
    assert "۱ هشدار تازه فرستاده می‌شود؛ ۱ هشدار قدیمی‌تر از ۶۰ دقیقه" in result.output
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


def _burst_file(path: Path) -> Path:
    """Two days of a brand's ordinary mentions, then 40 complaints in 20 minutes at noon (Tehran)."""
    import csv
    from datetime import datetime, timedelta, timezone

    start = datetime(2026, 10, 3, tzinfo=timezone(timedelta(hours=3, minutes=30)))
    rows = []
    for step in range(2 * 24 * 3):  # one every 20 minutes, one in three a mild complaint
        text = "پیک سبزینو یکم دیر اومد" if step % 3 == 0 else "سبزینو سفارش امروز به موقع رسید، ممنون"
        rows.append((f"{text} {step}", (start + timedelta(minutes=20 * step)).isoformat(), "x", f"b{step}"))
    burst = start + timedelta(days=2, hours=12)
    for k in range(40):
        at = (burst + timedelta(seconds=30 * k)).isoformat()
        rows.append((f"سبزینو سفارشم دو ساعته نرسیده، افتضاحه {k}", at, "x", f"c{k}"))
    for step in range(30):  # calm again
        at = (burst + timedelta(minutes=30 + 20 * step)).isoformat()
        rows.append((f"سبزینو سفارش امروز به موقع رسید، ممنون {step}", at, "x", f"d{step}"))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "created_at", "source", "id"])
        writer.writerows(sorted(rows, key=lambda r: r[1]))
    return path


def test_import_names_each_incident_it_found_and_where_to_read_it(tmp_path: Path) -> None:
    """An imported burst has usually ended, so its incident is not among the active ones: the CLI
    names it, with the mention times it opened and ended, and says where its details are."""
    from sqlalchemy import create_engine

    from alerts.messages import Words
    from shenava.cli import app
    from storage.models import Incident

    result = CliRunner().invoke(
        app, ["import", str(_burst_file(tmp_path / "burst.csv")), "--config", str(_config(tmp_path))]
    )
    assert result.exit_code == 0, result.output
    engine = create_engine(f"sqlite:///{tmp_path / 'var' / 'shenava.db'}")
    with engine.connect() as conn:
        (incident,) = conn.execute(select(Incident.id, Incident.opened_at, Incident.details)).all()
    engine.dispose()
    words = Words("fa", "Asia/Tehran")
    line = next(
        line for line in result.output.splitlines() if line.startswith(f"رخداد #{words.digits(incident.id)} ")
    )
    assert "سبزینو" in line and "دربارهٔ ارسال و تحویل" in line, line
    opened, ended = (
        words.when(incident.opened_at.replace(tzinfo=UTC)),
        words.when(incident.details["burst_end"]),
    )
    assert opened == "۱۳ مهر ۱۴۰۵، ساعت ۱۲:۰۰ (به وقت تهران)"  # the burst's start, in mention time
    assert f"از {opened} تا {ended}" in line, line
    assert f"shenava incidents show {incident.id} یا صفحهٔ /inbox/incident/{incident.id}" in result.output


def test_import_summary_lists_ten_incidents_then_counts_the_rest() -> None:
    from datetime import datetime, timedelta

    from alerts.messages import Words
    from shenava.import_detection import SHOW_INCIDENTS, FoundIncident, ImportFindings

    start = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
    found = tuple(
        FoundIncident(
            i + 1,
            "sabzino",
            "high",
            ["delivery", "support"] if i == 0 else [],
            start + timedelta(days=i),
            None,
        )
        for i in range(SHOW_INCIDENTS + 2)
    )
    findings = ImportFindings(len(found), 0, 0, 0, None, 60, found)
    lines = findings.lines(Words("en", "Asia/Tehran"), {"sabzino": "Sabzino"})
    assert lines[0] == f"{SHOW_INCIDENTS + 2} incident(s) and 0 urgent mention(s) found in the imported data"
    assert (
        lines[1]
        == "incident #1 Sabzino (high) about delivery, support: from 13 Mehr 1405, 12:30 (Tehran time)"
    )
    assert lines[2].startswith("incident #2 Sabzino (high): from 14 Mehr 1405")  # nothing named: no "about"
    assert lines[1 + SHOW_INCIDENTS] == "and 2 more incident(s)"
    assert lines[-1] == "details: shenava incidents show 1 or /inbox/incident/1 in the web app"
    assert ImportFindings(0, 0, 0, 0, None, 60).lines(Words("en")) == [
        "0 incident(s) and 0 urgent mention(s) found in the imported data"
    ]
