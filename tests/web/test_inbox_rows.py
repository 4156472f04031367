"""What a queue row says (both backends): when the mention happened (its own time, Jalali in Tehran
time, not "just now"), the brand by its configured Persian name; and the touchpoint and reason names
are the alert messages' words (one catalogue for pages and alerts)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from alerts.messages import MESSAGES as ALERT_MESSAGES
from alerts.messages import MONTHS as ALERT_MONTHS
from shenava.web import messages as web_messages
from shenava.web.formatting import Formatter
from storage.models import Incident, UrgentAlert
from storage.repository import MentionStore
from tests.web.conftest import log_in
from tests.web.inbox_data import NOW, fill_inbox


def _row(html: str, key: str) -> str:
    return html.split(f'data-key="{key}"')[1].split("</tr>")[0]


def test_rows_show_the_mention_time_and_the_brand_name(
    web: TestClient, engine: Engine, store: MentionStore
) -> None:
    ids = fill_inbox(engine, store)
    with Session(engine) as session:  # raised just now (an import found them today), written earlier
        for model, key in ((UrgentAlert, "question"), (Incident, "incident")):
            row = session.get(model, ids[key])
            row.details = {**row.details, "created_wall": NOW.isoformat()}
        session.commit()
    log_in(web, "sara")
    page = web.get("/inbox").text
    fmt = Formatter("fa", "Asia/Tehran")
    question = _row(page, f"urgent:{ids['question']}")
    written = fmt.when(NOW - timedelta(minutes=50))  # the mention's created_at (inbox_data)
    assert re.search(r"[۰-۹]+ آذر|[۰-۹]+ \w+ ۱۴۰[۰-۹]", written)  # Jalali, Persian digits
    assert f">{written}</time>" in question and "همین حالا" not in question
    assert "<bdi>nobank</bdi>" in question  # a brand without a Persian alias keeps its code
    incident = _row(page, f"incident:{ids['incident']}")
    assert f">{fmt.when(NOW - timedelta(hours=2))}</time>" in incident  # the bucket the burst opened in
    assert "<bdi>سبزینو</bdi>" in incident and "<bdi>sabzino</bdi>" not in incident
    assert "سبزینو" in web.get(f"/inbox/incident/{ids['incident']}").text.split("</h1>")[0]
    options = re.search(r'<select name="brand">(.*?)</select>', page, re.S)
    assert options and ">سبزینو</option>" in options.group(1)


def test_touchpoint_and_reason_names_are_the_alert_catalogue() -> None:
    for key in (
        "touchpoint.delivery",
        "touchpoint.staff",
        "reason.crisis_words",
        "reason.unanswered_question",
    ):
        assert web_messages.MESSAGES[key] is ALERT_MESSAGES[key]
    assert web_messages.label("fa", "reason", "unanswered_question") == "پرسش بی‌پاسخ"
    assert web_messages.MONTHS is ALERT_MONTHS
    source = Path(web_messages.__file__).read_text(encoding="utf-8")
    assert '"touchpoint.delivery"' not in source and '"reason.urgency"' not in source


def test_the_english_app_names_brands_as_the_english_alerts_do(engine: Engine, store: MentionStore) -> None:
    """An English page showed «سبزینو» in every row, title and menu while the English alerts say
    «Sabzino»: pages name a brand in their own language; a Persian reply still names it in Persian."""
    from shenava.api import create_app
    from shenava.api.auth import ApiKeyRing
    from tests.web.conftest import add_people, web_settings

    add_people(engine)
    ids = fill_inbox(engine, store)
    settings = web_settings(language="en")
    settings.brands[0].aliases_latin = ["Sabzino"]
    with TestClient(create_app(settings, engine, ApiKeyRing.parse(""))) as web:
        log_in(web, "sara")
        page = web.get("/inbox").text
        assert "<bdi>Sabzino</bdi>" in _row(page, f"incident:{ids['incident']}") and "سبزینو</" not in page
        options = re.search(r'<select name="brand">(.*?)</select>', page, re.S)
        assert options and ">Sabzino</option>" in options.group(1)
        item = web.get(f"/inbox/urgent/{ids['hostile']}").text
        assert "Sabzino" in item.split("</h1>")[0]
        replies = item[item.index('id="replies"') :]
        assert "پشتیبانی سبزینو" in replies and "Sabzino support" not in replies  # a Persian complaint
        assert ">Sabzino</option>" in web.get("/dashboards").text
