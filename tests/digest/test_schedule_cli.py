"""The digest on a schedule (APScheduler cron in Asia/Tehran) and on demand (``shenava digest``)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine
from typer.testing import CliRunner

from alerts.digest.schedule import register_digest_jobs
from shenava.cli import app
from tests.digest.conftest import digest_settings

TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_jobs_fire_at_the_local_time_and_weekly_day(engine: Engine) -> None:
    scheduler = BackgroundScheduler(timezone=UTC)
    settings = digest_settings(time="08:30", weekly_day="saturday")
    assert register_digest_jobs(scheduler, settings, engine) == ["digest-daily", "digest-weekly"]
    now = datetime(2024, 11, 21, 12, 0, tzinfo=UTC)  # Thursday 15:30 in Tehran
    daily = scheduler.get_job("digest-daily").trigger.get_next_fire_time(None, now)
    weekly = scheduler.get_job("digest-weekly").trigger.get_next_fire_time(None, now)
    assert daily.astimezone(TEHRAN).replace(tzinfo=None) == datetime(2024, 11, 22, 8, 30)
    assert weekly.astimezone(TEHRAN).replace(tzinfo=None) == datetime(2024, 11, 23, 8, 30)  # Saturday
    assert register_digest_jobs(BackgroundScheduler(), digest_settings(enabled=False), engine) == []


def test_bad_digest_time_is_refused() -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        digest_settings(time="25:00")


def test_cli_writes_the_digest_for_a_jalali_day(
    db_url: str, digest_archive: dict[str, int], tmp_path: Path
) -> None:
    config = tmp_path / "shenava.yaml"
    config.write_text(
        "brands:\n  - name: sabzino\n    aliases_fa: [سبزینو]\n  - name: tazeh\n    competitor: true\n"
        f"storage:\n  url: '{db_url}'\n",
        encoding="utf-8",
    )
    out = tmp_path / "d.html"
    runner = CliRunner()
    result = runner.invoke(
        app, ["digest", "--date", "1403-09-01", "--out", str(out), "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<html dir="rtl" lang="fa">' in html and "۱ آذر ۱۴۰۳" in html and "سبزینو" in html
    weekly = runner.invoke(
        app, ["digest", "-d", "2024-11-21", "-p", "weekly", "-o", str(out), "-c", str(config)]
    )
    assert weekly.exit_code == 0 and "۲۶ آبان ۱۴۰۳ تا ۲ آذر ۱۴۰۳" in out.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["digest", "--date", "1403-13-40", "--config", str(config)])
    assert bad.exit_code == 2 and "not a valid date" in bad.output
    unsent = runner.invoke(app, ["digest", "-d", "1403-09-01", "-o", str(out), "--send", "-c", str(config)])
    assert unsent.exit_code == 1 and "no enabled e-mail channel" in unsent.output
    in_english = ["digest", "-d", "1403-09-01", "-o", str(out), "--language", "en", "-c", str(config)]
    english = runner.invoke(app, in_english)
    assert english.exit_code == 0 and "Shenava daily digest — Thursday 1 Azar 1403" in english.output
    assert '<html dir="ltr" lang="en">' in out.read_text(encoding="utf-8")
    german = runner.invoke(app, ["digest", "-d", "1403-09-01", "-l", "de", "-c", str(config)])
    assert german.exit_code == 2 and "--language must be fa or en, not 'de'" in german.output
