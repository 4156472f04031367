"""The inbox through the real app and database (both backends): queue order and filters, the
detail page, actions through alerts.workflow with their audit rows, CSRF and roles, hostile text."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from shenava.web.formatting import Formatter
from storage.accounts import AuditEntry
from storage.models import Incident, UrgentAlert
from storage.repository import MentionStore
from tests.archive.corpus import _m, save_corpus
from tests.web.conftest import log_in
from tests.web.inbox_data import NOW, fill_inbox


@pytest.fixture
def ids(engine: Engine, store: MentionStore) -> dict[str, int]:
    return fill_inbox(engine, store)


def _rows(html: str) -> list[str]:
    return re.findall(r'data-key="([a-z]+:\d+)"', html)


def test_queue_orders_by_severity_then_age_and_filters(web: TestClient, ids: dict[str, int]) -> None:
    log_in(web, "sara")
    page = web.get("/inbox")
    assert page.status_code == 200
    # critical first (the incident is older than the critical urgent question), then high
    assert _rows(page.text) == [
        f"incident:{ids['incident']}",
        f"urgent:{ids['question']}",
        f"urgent:{ids['hostile']}",
    ]
    assert "۳ مورد" in page.text and "ارسال و تحویل" in page.text and "بحرانی" in page.text
    assert _rows(web.get("/inbox/queue?brand=nobank").text) == [f"urgent:{ids['question']}"]
    assert _rows(web.get("/inbox/queue?source=instagram").text) == [f"urgent:{ids['hostile']}"]
    assert _rows(web.get("/inbox/queue?touchpoint=support").text) == [f"urgent:{ids['question']}"]
    assert _rows(web.get("/inbox/queue?status=resolved").text) == []
    assert _rows(web.get("/inbox/queue?mine=1").text) == []
    partial = web.get("/inbox/queue?brand=nobank")
    assert partial.headers["hx-push-url"] == "/inbox?brand=nobank" and "<html" not in partial.text


def test_queue_waits_from_mention_time_and_puts_past_data_after_live_items(
    web: TestClient, ids: dict[str, int], engine: Engine, store: MentionStore
) -> None:
    # A fast replay raised in one minute what customers wrote over hours, and the queue ordered by
    # when detection raised it; an imported complaint from weeks ago sat among the live critical ones.
    saved = save_corpus(store, [
        _m("r_new", "سبزینو سفارشم کجاست", NOW - timedelta(minutes=40), ["sabzino"], "negative", author="a1"),
        _m("r_old", "سبزینو سفارشم نرسید", NOW - timedelta(minutes=90), ["sabzino"], "negative", author="a2"),
        _m("past", "نوبانک کارتم مسدود شده", NOW - timedelta(days=20), ["nobank"], "negative", author="a3"),
    ])  # fmt: skip

    def urgent(ext: str, raised: timedelta, **details: object) -> UrgentAlert:
        reasons = ["urgency", "crisis_words"] if details.get("backfilled") else ["urgency"]
        wall, brand = NOW - raised, "nobank" if ext == "past" else "sabzino"
        return UrgentAlert(
            mention_id=saved[ext], brand=brand, conversation_key=f"x:{ext}",
            status="open", urgency=0.9 if details.get("backfilled") else 0.95,
            details={"reasons": reasons, "created_wall": wall.isoformat(), **details},
            created_at=wall, updated_at=wall,
        )  # fmt: skip

    with Session(engine) as session, session.begin():
        rows = {
            "r_new": urgent("r_new", timedelta(minutes=5)),
            "r_old": urgent("r_old", timedelta(minutes=4)),
        }
        rows["past"] = urgent("past", timedelta(minutes=1), backfilled=True)
        session.add_all(rows.values())
        session.flush()
        new = {name: f"urgent:{row.id}" for name, row in rows.items()}
    log_in(web, "sara")
    assert _rows(web.get("/inbox").text) == [
        f"incident:{ids['incident']}",
        f"urgent:{ids['question']}",  # critical, live
        new["r_old"],  # high, written 90 minutes ago though raised last
        new["r_new"],
        f"urgent:{ids['hostile']}",
        new["past"],  # critical, but from past data
    ]


def test_sources_are_named_in_the_queue_filter_and_on_the_item(web: TestClient, ids: dict[str, int]) -> None:
    # the source filter and a mention's line showed the stored code: «instagram» amid Persian
    log_in(web, "sara")
    assert '<option value="instagram">اینستاگرام</option>' in web.get("/inbox").text
    page = web.get(f"/inbox/urgent/{ids['hostile']}").text
    assert "<bdi>اینستاگرام</bdi>" in page and "<bdi>instagram</bdi>" not in page


def test_acknowledge_is_done_through_the_workflow_and_audited(
    web: TestClient, ids: dict[str, int], engine: Engine
) -> None:
    csrf = log_in(web, "sara")
    url = f"/inbox/incident/{ids['incident']}/acknowledge"
    response = web.post(url, data={"csrf_token": csrf, "back": "/inbox"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/inbox"
    with Session(engine) as session:
        incident = session.get(Incident, ids["incident"])
        assert incident.status == "acknowledged" and incident.acknowledged_by == "sara"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "acknowledge")).one()
    assert entry.actor == "sara" and entry.target == f"incident:{ids['incident']}"
    assert entry.old_value["status"] == "open" and entry.new_value["status"] == "acknowledged"
    page = web.get(f"/inbox/incident/{ids['incident']}")
    assert "<bdi>sara</bdi>" in page.text and "دید" in page.text  # the history names who


def test_every_action_with_its_values(web: TestClient, ids: dict[str, int], engine: Engine) -> None:
    csrf = log_in(web, "sara")
    base = f"/inbox/urgent/{ids['question']}"
    for action, data in (
        ("assign", {"to": "ali"}),
        ("snooze", {"minutes": "30"}),
        ("note", {"text": "با مشتری تماس گرفتم"}),
        ("resolve", {"text": "کارت باز شد"}),
    ):
        response = web.post(f"{base}/{action}", data={"csrf_token": csrf, **data}, follow_redirects=False)
        assert response.status_code == 303, (action, response.text[:300])
    with Session(engine) as session:
        alert = session.get(UrgentAlert, ids["question"])
        assert alert.status == "resolved" and alert.assigned_to == "ali" and alert.resolved_by == "sara"
        actions = [
            e.action
            for e in session.scalars(
                select(AuditEntry).where(AuditEntry.target == f"urgent:{ids['question']}")
            )
        ]
    assert actions == ["assign", "snooze", "note", "resolve"]
    page = web.get(base).text
    assert "با مشتری تماس گرفتم" in page and "کارت باز شد" in page and "واگذار کرد به" in page
    again = web.post(f"{base}/acknowledge", data={"csrf_token": csrf})
    assert again.status_code == 409  # already resolved: said, not hidden
    response = web.post(f"/inbox/urgent/{ids['hostile']}/not_relevant", data={"csrf_token": csrf})
    assert response.status_code == 200  # followed the redirect to the detail page
    with Session(engine) as session:
        hostile = session.get(UrgentAlert, ids["hostile"])
        assert hostile.status == "resolved" and hostile.details["not_relevant"]["by"] == "sara"


def test_posts_without_the_csrf_token_or_the_role_are_refused(
    web: TestClient, ids: dict[str, int], engine: Engine
) -> None:
    log_in(web, "sara")
    url = f"/inbox/incident/{ids['incident']}/acknowledge"
    assert web.post(url, data={}).status_code == 403
    assert web.post(url, data={"csrf_token": "x" * 43}).status_code == 403
    web.cookies.clear()
    csrf = log_in(web, "ali")  # analyst: reads, does not act
    assert web.get("/inbox").status_code == 200
    assert web.post(url, data={"csrf_token": csrf}).status_code == 403
    with Session(engine) as session:
        assert session.get(Incident, ids["incident"]).status == "open"
    assert web.post("/inbox/incident/999999/acknowledge", data={"csrf_token": csrf}).status_code == 403


def test_detail_page_explains_the_incident(web: TestClient, ids: dict[str, int]) -> None:
    log_in(web, "sara")
    page = web.get(f"/inbox/incident/{ids['incident']}")
    assert page.status_code == 200
    text = page.text
    # the incident's own series is delivery's: its counts say so
    assert "۳۰ اشارهٔ منفی دربارهٔ ارسال و تحویل در پنجره؛ معمولاً ۴٫۵" in text
    assert "۸۰٪" in text and "۳۰٪" in text
    assert '<dt>نقاط تماس</dt><dd><span class="tag">ارسال و تحویل</span></dd>' in text
    assert "<svg" in text and "<rect" in text  # the burst, drawn on the server
    assert 'href="https://example.com/n1"' in text and "javascript:alert" not in text
    assert "<b>bold" not in text and "bold" in text  # a term is text, never markup
    assert web.get("/inbox/incident/999999").status_code == 404
    assert web.get("/inbox/other/1").status_code in (404, 422)


def test_detail_page_figures_add_up(web: TestClient, ids: dict[str, int], engine: Engine) -> None:
    # seen on the bundled sample: support's own series opened the incident, and the page read
    # "13 negative mentions in the window; usually 0.6 (13×)" beside "delivery: 17". The counts are
    # support's (now said so), the ratio is taken against at least one mention (so not shown beside
    # 0.6), and each touchpoint shows its count against its own usual, as the alert does
    log_in(web, "sara")
    url = f"/inbox/incident/{ids['incident']}"
    assert "سهم اکنون / معمول" in web.get(url).text  # an older explanation: shares, named as such
    with Session(engine) as session, session.begin():
        incident = session.get(Incident, ids["incident"])
        incident.touchpoint = "support"
        explanation = dict(
            incident.details["explanation"], touchpoint="support", count=13, expected=0.6, ratio=13.0
        )
        explanation["touchpoints"] = [
            {"touchpoint": "delivery", "observed": 17, "expected": 0.5, "excess": 16.5, "now_share": 0.6},
            {"touchpoint": "support", "observed": 13, "expected": 0.3, "excess": 12.7, "now_share": 0.45},
            {"touchpoint": "payment", "observed": 2, "expected": 1.3, "excess": 0.7, "now_share": 0.1},
        ]
        incident.details = {**incident.details, "explanation": explanation}
    text = web.get(url).text
    assert "۱۳ اشارهٔ منفی دربارهٔ پشتیبانی در پنجره؛ معمولاً کمتر از یکی (۰٫۶)" in text and "برابر" not in text
    figures = re.search(r'<ul class="tags" id="touchpoint-figures">(.*?)</ul>', text, re.S)
    assert figures and "نقاط تماس (اکنون / معمول)" in text
    assert "ارسال و تحویل: ۱۷ / ۰٫۵" in figures[1] and "پشتیبانی: ۱۳ / ۰٫۳" in figures[1], figures[1]
    assert "پرداخت: ۲ / ۱٫۳" in figures[1]
    # the queue's row says whose counts they are too
    row = re.search(rf'data-key="incident:{ids["incident"]}".*?</tr>', web.get("/inbox").text, re.S)
    assert row and "۱۳ اشارهٔ منفی دربارهٔ پشتیبانی در برابر معمول ۰٫۶" in row[0], row


def _axis_top(page: str) -> int:
    """The burst chart's axis maximum: its busiest hour's count."""
    chart = re.search(r'<section class="card" id="chart">(.*?)</svg>', page, re.S)
    assert chart, "no burst chart"
    top = re.search(r'fill="#666">([۰-۹0-9]+)</text>', chart[1])
    assert top, chart[1][:500]
    return int(top[1].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))


def test_incident_page_follows_its_own_series(
    web: TestClient, ids: dict[str, int], engine: Engine, store: MentionStore
) -> None:
    # A brand-wide incident takes its first named touchpoint as Incident.touchpoint: its burst chart
    # counted only that touchpoint and was titled as the brand's. The chart is of the series that
    # opened it, and says which; the page gives the burst's peak and end in mention time too.
    busy = NOW - timedelta(minutes=100)
    save_corpus(store, [_m(f"p{i}", f"سبزینو پولم برنگشت {i}", busy, ["sabzino"], "negative",
                           aspects=("payment",), author=f"payer{i}") for i in range(20)])  # fmt: skip
    log_in(web, "sara")
    url = f"/inbox/incident/{ids['incident']}"
    peak, end = NOW - timedelta(minutes=95), NOW - timedelta(minutes=10)
    with Session(engine) as session, session.begin():
        incident = session.get(Incident, ids["incident"])
        incident.detector_key = "alerts:neg:sabzino"  # the brand's own series; touchpoint stays delivery
        incident.details = {**incident.details, "peak_at": peak.isoformat(), "burst_end": end.isoformat()}
    page = web.get(url).text
    assert "اشاره‌های منفی در هر ساعت" in page and "دربارهٔ ارسال و تحویل در هر ساعت" not in page
    assert _axis_top(page) >= 20  # the payment complaints count: it is the brand's series
    when = Formatter("fa", "Asia/Tehran").when
    assert (
        f'<dd id="item-peaked">{when(peak)}</dd>' in page and f'<dd id="item-ended">{when(end)}</dd>' in page
    )
    with Session(engine) as session, session.begin():
        session.get(Incident, ids["incident"]).detector_key = "alerts:neg:sabzino:delivery"  # type: ignore[union-attr]
    page = web.get(url).text
    assert "اشاره‌های منفی دربارهٔ ارسال و تحویل در هر ساعت" in page
    assert _axis_top(page) <= 12  # a delivery complaint every 5 minutes, no more


def test_incident_chart_counts_customers_not_the_brands_replies(
    web: TestClient, ids: dict[str, int], engine: Engine, store: MentionStore
) -> None:
    # The detector leaves the brand's own posts out of its series (alerts.own_accounts); the chart
    # beside its figures does too, or support's apologies would draw a burst the alert never counted.
    busy = NOW - timedelta(minutes=100)
    save_corpus(store, [_m(f"r{i}", f"پوزش بابت تاخیر ارسال {i}", busy, ["sabzino"], "negative",
                           aspects=("delivery",), author="sabzino_support") for i in range(20)])  # fmt: skip
    with Session(engine) as session, session.begin():
        session.get(Incident, ids["incident"]).detector_key = "alerts:neg:sabzino:delivery"  # type: ignore[union-attr]
    log_in(web, "sara")
    assert _axis_top(web.get(f"/inbox/incident/{ids['incident']}").text) <= 12


def test_incident_chart_bars_are_the_local_hours_they_are_labelled(
    web: TestClient, ids: dict[str, int], engine: Engine, store: MentionStore
) -> None:
    # The chart counted on UTC hours, which start at :30 in Tehran, while each bar carried the
    # local hour: complaints at 16:10 and 16:50 Tehran time fell in the bars labelled 15 and 16.
    fmt = Formatter("fa", "Asia/Tehran")
    hour = fmt.local(NOW - timedelta(hours=6)).replace(minute=0, second=0)
    at = [hour + timedelta(minutes=10)] * 7 + [hour + timedelta(minutes=50)] * 5
    save_corpus(store, [_m(f"h{i}", f"سبزینو پولم برنگشت {i}", t, ["sabzino"], "negative",
                           aspects=("payment",), author=f"payer{i}") for i, t in enumerate(at)])  # fmt: skip
    with Session(engine) as session, session.begin():
        session.get(Incident, ids["incident"]).detector_key = "alerts:neg:sabzino"  # type: ignore[union-attr]
    log_in(web, "sara")
    page = web.get(f"/inbox/incident/{ids['incident']}").text
    bars = dict(re.findall(r"<title>([۰-۹]+): ([۰-۹]+)</title>", page))
    assert bars.get(fmt.digits(f"{hour.hour:02d}")) == fmt.digits("12"), bars
    assert fmt.digits(f"{(hour - timedelta(hours=1)).hour:02d}") not in bars, bars  # nothing an hour before


def test_each_incident_mention_is_answered_to_its_own_author(
    web: TestClient, ids: dict[str, int], engine: Engine, store: MentionStore
) -> None:
    # The page suggested one reply, for the first mention, and put it in every mention's box:
    # answering the second customer greeted the first one by handle.
    at = NOW - timedelta(hours=2)
    customers = {
        "1900000000000000001": ("first_customer", "سبزینو سفارشم دو ساعته نرسیده"),
        "1900000000000000002": ("second_customer", "پیک سبزینو هنوز نیومده، غذا سرد شد"),
    }
    saved = save_corpus(store, [
        _m(ext, text, at, ["sabzino"], "negative", aspects=("delivery",), author=who)
        for ext, (who, text) in customers.items()
    ])  # fmt: skip
    shown = [
        {"id": saved[ext], "source": "x", "text": text, "url": f"https://x.com/{who}/status/{ext}",
         "author": who, "followers": 10, "created_at": at.isoformat(), "aspects": ["delivery"]}
        for ext, (who, text) in customers.items()
    ]  # fmt: skip
    with Session(engine) as session, session.begin():
        incident = session.get(Incident, ids["incident"])
        explanation = {**incident.details["explanation"], "mentions": shown}  # type: ignore[union-attr]
        incident.details = {**incident.details, "explanation": explanation}  # type: ignore[union-attr]
    log_in(web, "sara")
    page = web.get(f"/inbox/incident/{ids['incident']}").text
    boxes = dict(re.findall(r'<textarea id="mention-reply-(\d+)"[^>]*>([^<]*)</textarea>', page))
    assert set(boxes) == {str(saved[ext]) for ext in customers}, boxes
    for ext, (who, _) in customers.items():
        reply = boxes[str(saved[ext])]
        assert reply.startswith(f"@{who} "), reply
        assert all(other not in reply for other, _ in customers.values() if other != who), reply


def test_an_item_recorded_from_past_data_says_so(
    web: TestClient, ids: dict[str, int], engine: Engine
) -> None:
    # An import records last month's urgent mentions and incidents without paging anyone; the CLI
    # and the API said so (backfilled), the inbox showed them as if support had been paged today.
    with Session(engine) as session, session.begin():
        alert = session.get(UrgentAlert, ids["question"])
        alert.details = {**alert.details, "backfilled": True}  # type: ignore[union-attr]
    log_in(web, "sara")
    queue = web.get("/inbox").text
    old = re.search(rf'data-key="urgent:{ids["question"]}".*?</tr>', queue, re.S)
    fresh = re.search(rf'data-key="incident:{ids["incident"]}".*?</tr>', queue, re.S)
    assert old and fresh
    assert '<span class="tag backfilled"' in old[0] and "از داده‌های گذشته" in old[0], old[0]
    assert "backfilled" not in fresh[0]
    page = web.get(f"/inbox/urgent/{ids['question']}").text
    assert 'id="item-backfilled"' in page and "برای آن به کسی هشدار داده نشد" in page
    assert 'id="item-backfilled"' not in web.get(f"/inbox/incident/{ids['incident']}").text


def test_hostile_mention_is_inert_and_bounded(web: TestClient, ids: dict[str, int]) -> None:
    log_in(web, "sara")
    for url in ("/inbox", f"/inbox/urgent/{ids['hostile']}"):
        page = web.get(url)
        body = page.text
        assert "<script>document" not in body and "<img src=x" not in body
        assert "&lt;" in body and "pwned" in body and "\u202e" not in body  # shown as text
        assert len(page.content) < 100_000, (url, len(page.content))  # the megabyte was cut
        assert '<bdi dir="ltr">https://sabzino.ir/o?a=1&amp;b=2</bdi>' in body
