"""Data-subject requests and retention on both backends: an author's mentions are exported whole
and deleted from every table that holds or quotes them, with an audit record; retention deletes
or anonymises old mentions and keeps their daily counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from alerts.events import UrgentMention
from storage import audit
from storage.accounts import AuditEntry
from storage.corrections import correct_mention
from storage.db import session_factory
from storage.models import Delivery, Incident, Mention, MentionAspect, MentionBrand, UrgentAlert
from storage.privacy import author_target, delete_author, export_author
from storage.query import MentionQuery
from storage.repository import MentionStore
from storage.retained import RetainedCount
from storage.retention import apply_retention
from storage.search import search_mentions
from storage.settings import RetentionRule
from tests.storage.factories import T0, item

SECRET_WORD = "رازگونه"


def _seed(store: MentionStore, engine: Engine) -> dict[str, int]:
    """Mentions 0-3 by user0..user3 (mention 1 by "Victim" twice: on x and on instagram), an
    urgent alert on the victim's, an incident quoting it, outbox payloads and audit entries."""
    batch = [
        item(0),
        item(1, author_handle="Victim", text=f"{SECRET_WORD} سبزینو افتضاح"),
        item(2, author_handle="victim", source="instagram", external_id="ig-2"),
        item(3),
    ]
    store.save_batch(batch, None)
    with Session(engine) as session, session.begin():
        ids = {m.author_handle + ":" + m.source: m.id for m in session.scalars(select(Mention))}
        victim = ids["Victim:x"]
        urgent = UrgentAlert(
            mention_id=victim, brand="sabzino", conversation_key="c1", status="open", urgency=0.9,
            mention_count=1, details={"reasons": ["crisis"]}, created_at=T0, updated_at=T0,
        )  # fmt: skip
        session.add(urgent)
        session.flush()
        event = UrgentMention(
            brand="sabzino", severity="high", at=T0, urgent_id=urgent.id, mention_id=victim,
            reasons=["crisis"], text=f"{SECRET_WORD} سبزینو افتضاح", url="https://x.com/v/1",
            author="Victim", followers=10, source="x", urgency=0.9,
        )  # fmt: skip
        quoted = {"id": victim, "text": f"{SECRET_WORD}", "author": "Victim", "url": "https://x.com/v/1"}
        other = {"id": ids["user0:x"], "text": "دیگری", "author": "user0", "url": None}
        incident = Incident(
            brand="sabzino", opened_at=T0, updated_at=T0,
            details={"explanation": {"mentions": [quoted, other]}, "history": []},
        )  # fmt: skip
        session.add(incident)
        session.flush()
        for ref, payload in (
            (f"urgent:{urgent.id}", event.to_json()),
            (f"incident:{incident.id}:opened", {"explanation": {"mentions": [quoted, other]}}),
        ):
            session.add(Delivery(
                channel="slack", target="t", dedup_key=ref, event_kind="x", event_ref=ref, subject="s",
                payload=payload, status="sent", attempts=1, next_attempt_at=T0, created_at=T0,
            ))  # fmt: skip
        audit.record(session, actor="ana", action="urgent.note", target=f"urgent:{urgent.id}",
                     new={"note": f"customer said {SECRET_WORD}"})  # fmt: skip
        seeded = {"victim": victim, "urgent": urgent.id, "incident": incident.id, "other": ids["user0:x"]}
    with Session(engine) as session, session.begin():
        # a person's correction, whose reason quotes the mention
        correct_mention(session, victim, by="ana", sentiment="neutral", reason=f"{SECRET_WORD} is irony")
    return seeded


def test_export_author_gives_everything_stored(store: MentionStore, engine: Engine) -> None:
    seeded = _seed(store, engine)
    with Session(engine) as session:
        rows = list(export_author(session, "@VICTIM"))
        only_x = list(export_author(session, "victim", "x"))
    assert sorted(r["source"] for r in rows) == ["instagram", "x"]
    assert only_x[0]["id"] == seeded["victim"] and only_x[0]["raw"] and only_x[0]["url"]
    assert only_x[0]["urgent_alerts"][0]["id"] == seeded["urgent"]


def test_delete_author_cascades_everywhere_and_is_audited(store: MentionStore, engine: Engine) -> None:
    seeded = _seed(store, engine)
    with Session(engine) as session, session.begin():
        rows = delete_author(session, "@victim", source="x", actor="cli:dpo")
    assert rows["mentions"] == 1 and rows["urgent_alerts"] == 1 and rows["deliveries"] == 2
    assert rows["mention_corrections"] == 1 and rows["audit_log"] == 2
    with Session(engine) as session:
        assert session.get(Mention, seeded["victim"]) is None
        for table in (MentionBrand, MentionAspect):
            assert not session.scalars(select(table).where(table.mention_id == seeded["victim"])).all()
        assert session.scalar(select(func.count()).select_from(UrgentAlert)) == 0
        # the full-text index no longer finds the words only the deleted mention held
        assert search_mentions(session, MentionQuery(text=SECRET_WORD)).total == 0
        # the instagram mention of the same handle and everyone else stay
        assert session.scalar(select(func.count()).select_from(Mention)) == 3
        for delivery in session.scalars(select(Delivery)):
            assert SECRET_WORD not in str(delivery.payload) and "Victim" not in str(delivery.payload)
        incident = session.get(Incident, seeded["incident"])
        assert [m["id"] for m in incident.details["explanation"]["mentions"]] == [seeded["other"]]
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert SECRET_WORD not in str([(e.old_value, e.new_value) for e in entries])
        record = entries[-1]
        assert record.action == "privacy.delete_author" and record.actor == "cli:dpo"
        assert record.target == author_target("victim", "x") and "victim" not in record.target.lower()
        assert record.new_value["mentions"] == 1 and record.new_value["rows"]["mentions"] == 1


def _sessions(engine: Engine) -> Callable[[], Session]:
    return session_factory(engine)


def test_retention_deletes_old_mentions_and_keeps_daily_counts(store: MentionStore, engine: Engine) -> None:
    store.save_batch([item(n, created_at=T0 - timedelta(days=40 if n < 3 else 1)) for n in range(5)], None)
    now = T0
    rules = [RetentionRule(source="x", days=30)]
    (dry,) = apply_retention(_sessions(engine), rules, now=now, dry_run=True)
    assert dry.mentions == 3
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Mention)) == 5
    (done,) = apply_retention(_sessions(engine), rules, now=now)
    assert done.mentions == 3 and done.rows["mentions"] == 3
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Mention)) == 2
        counts = {
            (r.brand, r.sentiment, r.touchpoint): r.mentions for r in session.scalars(select(RetainedCount))
        }
        assert counts == {("sabzino", "negative", "*"): 3, ("sabzino", "negative", "delivery"): 3}
        record = session.scalars(select(AuditEntry).where(AuditEntry.action == "privacy.retention")).one()
        assert record.new_value["mentions"] == 3
    # a second run finds nothing more
    (again,) = apply_retention(_sessions(engine), rules, now=now)
    assert again.mentions == 0


def test_retention_other_source_and_brand_rules(store: MentionStore, engine: Engine) -> None:
    old = T0 - timedelta(days=10)
    store.save_batch([item(0, created_at=old), item(1, created_at=old, source="web", external_id="w1")], None)
    rules = [RetentionRule(source="web", days=5, action="anonymise"), RetentionRule(brand="tazeh", days=1)]
    anonymised, by_brand = sorted(
        apply_retention(_sessions(engine), rules, now=T0), key=lambda o: o.rule.action == "delete"
    )
    assert anonymised.mentions == 1 and by_brand.mentions == 0  # no mention names tazeh
    with Session(engine) as session:
        web = session.scalars(select(Mention).where(Mention.source == "web")).one()
        assert web.author_handle is None and web.url is None and web.raw == {}
        assert web.external_id.startswith("anon:") and web.text  # the words and analysis stay
        assert session.scalars(select(Mention).where(Mention.source == "x")).one().author_handle == "user0"
    (again, _) = apply_retention(_sessions(engine), rules, now=T0)
    assert again.mentions == 0


@pytest.mark.parametrize("handle", ["", "  @ ", "\x00"])
def test_a_request_must_name_someone(engine: Engine, handle: str) -> None:
    from storage.privacy import PrivacyRequestError

    with Session(engine) as session, pytest.raises(PrivacyRequestError):
        delete_author(session, handle, actor="cli:x")


def test_retention_window_is_by_mention_date(store: MentionStore, engine: Engine) -> None:
    store.save_batch([item(0, created_at=datetime(2020, 1, 1, tzinfo=UTC))], None)
    (outcome,) = apply_retention(_sessions(engine), [RetentionRule(days=36_500)], now=T0)
    assert outcome.mentions == 0


def test_the_service_job_applies_the_rules(store: MentionStore, engine: Engine) -> None:
    from config.settings import Settings
    from shenava.service.retention_job import register_retention_job, retention_pass

    now = datetime.now(UTC)
    store.save_batch([item(0, created_at=now - timedelta(days=3)), item(1, created_at=now)], None)
    settings = Settings(brands=[{"name": "sabzino"}], storage={"retention": {"rules": [{"days": 2}]}})

    added: list[str] = []

    class Jobs:
        def add_job(self, fn: object, trigger: object, *, id: str, next_run_time: datetime) -> None:
            added.append(id)
            assert next_run_time > datetime.now(UTC) + timedelta(hours=23)  # not at start

    register_retention_job(Jobs(), settings, engine, lambda name, fn: fn)
    assert added == ["retention"]
    retention_pass(settings, engine)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Mention)) == 1
