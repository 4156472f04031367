"""Sending replies from the page: X API v2 and the Instagram Graph API (local servers that record the
request), the stand-in file without credentials, retries and failures shown, never sent twice."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from config.settings import Settings
from domain.brands import BrandSettings
from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from shenava.replies import outbox
from shenava.replies.senders import LocalReplySender
from storage.accounts import AuditEntry
from storage.models import Delivery, Mention, UrgentAlert
from storage.repository import MentionStore
from tests.archive.corpus import _m, save_corpus
from tests.web.conftest import add_people, log_in
from tests.web.inbox_data import fill_inbox
from tests.web.reply_servers import ReplyServer, reply_server

TWEET_ID, COMMENT_ID = "1790000000000000123", "17912345678901234"
TEXT = "@reza گرامی، پوزش می‌خواهیم؛ لطفاً شمارهٔ سفارش را در پیام خصوصی بفرستید."


def add_answerable(engine: Engine, store: MentionStore) -> dict[str, int]:
    """Urgent alerts on an X tweet and an Instagram comment (ids the APIs can answer)."""
    now = datetime.now(UTC).replace(microsecond=0)
    at = now - timedelta(minutes=9)
    rows = [
        _m(TWEET_ID, "نوبانک کارتم مسدود شده", at, ["nobank"], "negative", author="reza"),
        _m(f"comment:{COMMENT_ID}", "سبزینو سفارشم نرسید", at, ["sabzino"], "negative",
           source="instagram", author="mina"),
    ]  # fmt: skip
    ids = save_corpus(store, rows)
    out = {}
    with Session(engine) as session, session.begin():
        for name, ext, brand in (
            ("x", TWEET_ID, "nobank"),
            ("instagram", f"comment:{COMMENT_ID}", "sabzino"),
        ):
            alert = UrgentAlert(
                mention_id=ids[ext], brand=brand, conversation_key=f"{name}:{ext}", status="open",
                urgency=0.9, details={"reasons": ["urgency"]}, created_at=now, updated_at=now,
            )  # fmt: skip
            session.add(alert)
            session.flush()
            out[name] = alert.id
    return out


@pytest.fixture
def server() -> Iterator[ReplyServer]:
    with reply_server() as running:
        yield running


def _client(engine: Engine, tmp_path: Path, server: ReplyServer | None) -> TestClient:
    add_people(engine)
    settings = Settings(
        brands=[BrandSettings(name="sabzino", aliases_fa=["سبزینو"]), BrandSettings(name="nobank")],
        web={"reply_standin_file": str(tmp_path / "replies.jsonl"),
             "instagram_graph_url": (server.url if server else "http://127.0.0.1:9") + "/v21.0"},
        sources={"x": {"base_url": server.url if server else "http://127.0.0.1:9",
                       "http": {"timeout_seconds": 5}}},
    )  # fmt: skip
    return TestClient(create_app(settings, engine, ApiKeyRing.parse("")))


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_x_reply_goes_to_api_v2_once(
    engine: Engine, store: MentionStore, tmp_path: Path, server: ReplyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHENAVA_X_USER_TOKEN", "user-token-1")
    ids = add_answerable(engine, store)
    with _client(engine, tmp_path, server) as web:
        csrf = log_in(web, "sara")
        page = web.get(f"/inbox/urgent/{ids['x']}").text
        assert "پاسخ از راه API ایکس (توییتر) فرستاده می‌شود" in page and 'id="send-reply-1"' in page
        for _ in range(2):  # a double click: one row, one request
            response = web.post(
                f"/inbox/urgent/{ids['x']}/send_reply", data={"csrf_token": csrf, "text": TEXT}
            )
            assert response.status_code == 200
        assert "فرستاده شد" in response.text
    [request] = server.received
    assert request.path == "/2/tweets" and request.headers["Authorization"] == "Bearer user-token-1"
    assert request.body == {"text": TEXT, "reply": {"in_reply_to_tweet_id": TWEET_ID}}
    with Session(engine) as session:
        alert = session.get(UrgentAlert, ids["x"])
        assert alert.status == "acknowledged" and alert.details["first_response_at"]
        row = session.scalars(select(Delivery).where(Delivery.channel == "reply:x")).one()
        assert row.status == outbox.SENT and row.payload["reply_id"] == "1901"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "reply")).one()
        assert entry.actor == "sara" and entry.new_value["channel"] == "x"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_instagram_comment_reply_through_graph_api(
    engine: Engine, store: MentionStore, tmp_path: Path, server: ReplyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHENAVA_INSTAGRAM_GRAPH_TOKEN", "graph-token-1")
    ids = add_answerable(engine, store)
    with _client(engine, tmp_path, server) as web:
        csrf = log_in(web, "sara")
        web.post(f"/inbox/urgent/{ids['instagram']}/send_reply", data={"csrf_token": csrf, "text": TEXT})
    [request] = server.received
    assert request.path == f"/v21.0/{COMMENT_ID}/replies"
    assert request.query == {"message": [TEXT], "access_token": ["graph-token-1"]}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_without_credentials_the_standin_file_gets_it_and_the_page_says_so(
    engine: Engine, store: MentionStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHENAVA_X_USER_TOKEN", raising=False)
    ids = add_answerable(engine, store)
    with _client(engine, tmp_path, None) as web:
        csrf = log_in(web, "sara")
        page = web.get(f"/inbox/urgent/{ids['x']}").text
        assert "اعتبارنامهٔ ایکس (توییتر) تنظیم نشده؛ پاسخ به جای ارسال در فایل" in page
        assert "replies.jsonl" in page
        route = re.search(r'<p class="meta" id="reply-route">(.*?)</p>', page, re.S)
        assert route and re.search(r"\. <a href=", route[1]), route  # the sentence, a space, the link
        web.post(f"/inbox/urgent/{ids['x']}/send_reply", data={"csrf_token": csrf, "text": TEXT})
    [line] = (tmp_path / "replies.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["in_reply_to"] == TWEET_ID and json.loads(line)["text"] == TEXT


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_failures_retry_with_backoff_and_show_on_the_page(
    engine: Engine, store: MentionStore, tmp_path: Path, server: ReplyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHENAVA_X_USER_TOKEN", "user-token-1")
    ids = add_answerable(engine, store)
    server.fail_with = [503]
    with _client(engine, tmp_path, server) as web:
        csrf = log_in(web, "sara")
        page = web.post(f"/inbox/urgent/{ids['x']}/send_reply", data={"csrf_token": csrf, "text": TEXT}).text
        assert 'data-status="reply_pending"' in page and "در صف (تلاش دوباره)" in page
        senders = web.app.state.web.reply_senders  # type: ignore[attr-defined]
        assert outbox.send_due(engine, senders).sent == []  # not due yet: backoff
        report = outbox.send_due(engine, senders, now=datetime.now(UTC) + timedelta(minutes=11))
        assert len(report.sent) == 1 and len(server.received) == 2
        server.fail_with = [403]
        web.post(f"/inbox/urgent/{ids['x']}/send_reply", data={"csrf_token": csrf, "text": TEXT + " ۲"})
        page = web.get(f"/inbox/urgent/{ids['x']}").text
        assert 'data-status="reply_failed"' in page and 'data-status="reply_sent"' in page


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_claim_that_outlived_its_process_is_never_sent_again(
    engine: Engine, store: MentionStore, tmp_path: Path
) -> None:
    ids = add_answerable(engine, store)
    standin = tmp_path / "replies.jsonl"
    senders = {"x": LocalReplySender("x", standin)}
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        row = outbox.enqueue(
            session, "urgent", ids["x"], _mention(engine, ids["x"]), TEXT, by="sara", now=now
        )
        row.status, row.attempts, row.next_attempt_at = outbox.SENDING, 1, now  # died mid-send
    outbox.send_due(engine, senders, now=now + timedelta(minutes=5))
    with Session(engine) as session:
        assert session.scalars(select(Delivery)).one().status == outbox.UNKNOWN
    assert not standin.exists()


def _mention(engine: Engine, alert_id: int) -> int:
    with Session(engine) as session:
        return session.get(UrgentAlert, alert_id).mention_id


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_web_and_telegram_get_open_and_copy(engine: Engine, store: MentionStore, tmp_path: Path) -> None:
    ids = fill_inbox(engine, store)
    with _client(engine, tmp_path, None) as web:
        csrf = log_in(web, "sara")
        page = web.get(f"/inbox/urgent/{ids['question']}").text  # external id "q1": no API answers it
        assert 'id="send-reply-1"' not in page and 'id="do-reply-1"' in page
        response = web.post(
            f"/inbox/urgent/{ids['question']}/send_reply", data={"csrf_token": csrf, "text": TEXT}
        )
        assert response.status_code == 409


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_correct_a_mention_from_the_page(engine: Engine, store: MentionStore, tmp_path: Path) -> None:
    ids = add_answerable(engine, store)
    mention_id = _mention(engine, ids["x"])
    with _client(engine, tmp_path, None) as web:
        csrf = log_in(web, "sara")
        page = web.get(f"/inbox/urgent/{ids['x']}").text
        assert 'data-sentiment="negative"' in page and f'id="do-correct-{mention_id}"' in page
        form = {"csrf_token": csrf, "mention_id": str(mention_id), "sentiment": "neutral",
                "touchpoints": ["support", "payment", "bogus"]}  # fmt: skip
        page = web.post(f"/inbox/urgent/{ids['x']}/correct", data=form).text
        assert 'data-sentiment="neutral"' in page and "اصلاح‌شده" in page and "پرداخت" in page
    with Session(engine) as session:
        mention = session.get(Mention, mention_id)
        assert mention.sentiment_label == "neutral" and sorted(mention.aspects) == ["payment", "support"]
        assert mention.model_sentiment_label == "negative"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "mention.correct")).one()
        assert entry.actor == "sara" and entry.target == f"mention:{mention_id}"
