"""The daily digest's SLA section: each brand's met % for the deadlines of the day (issue 12)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from alerts import workflow
from alerts.digest import DigestPeriod, make_digest
from alerts.sla_tracker import SlaTracker
from tests.alerts.builders import stored_incident
from tests.digest.conftest import digest_settings

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

DAY = DigestPeriod.for_day("1405-09-10")  # Tuesday 1 December 2026, a working day in Tehran
START = DAY.range.start + timedelta(hours=10)  # 10:00 Tehran
NOW = DAY.range.end + timedelta(hours=9)


def test_digest_says_each_brands_met_percent(engine: Engine) -> None:
    settings = digest_settings()
    with Session(engine) as session, session.begin():
        ids = [stored_incident(session, raised=START, brand="sabzino").id for _ in range(3)]
    tracker = SlaTracker.from_settings(settings, engine)
    tracker.run(START)
    with Session(engine) as session, session.begin():
        workflow.acknowledge(session, "incident", ids[0], by="sara", at=START + timedelta(minutes=3))
        workflow.acknowledge(session, "incident", ids[1], by="sara", at=START + timedelta(minutes=4))
    tracker.run(NOW)  # the third one breached
    rendered = make_digest(settings, engine, DAY, now=NOW)
    sabzino = next(b for b in rendered.digest.brands if b.brand == "sabzino")
    nobank = next(b for b in rendered.digest.brands if b.brand == "nobank")
    assert sabzino.sla is not None and (sabzino.sla.met, sabzino.sla.breached) == (2, 1)
    assert nobank.sla is None
    line = "۶۷٪ در مهلت (۲ از ۳)؛ ۱ مورد دیرتر از مهلت"
    assert line in rendered.html and "پاسخ در مهلت" in rendered.html
    assert "هنوز موردی با مهلت سررسیده نیست." in rendered.html  # nobank's section
    assert f"پاسخ در مهلت: {line}" in rendered.text
    # the next day's digest does not count them again
    later = make_digest(settings, engine, DigestPeriod.for_day("1405-09-11"), now=NOW + timedelta(days=1))
    assert all(b.sla is None for b in later.digest.brands)
