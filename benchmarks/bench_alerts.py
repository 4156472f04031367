"""The alert engine on the bundled sample week, and the outbox against a local webhook.

NLP is replaced by the sample's own ground-truth labels (mood, aspect, brand), so the figures
measure the alert side alone: detection cost per pass while the week streams in (a pass every
15 minutes of event time, as the 5000× replay does), how long after the outage's first
complaint the incident opened, how many incidents opened in all (false alarms), and outbox
throughput with and without a flaky channel (each message must arrive exactly once).
Run: ``.venv/bin/python -m benchmarks alerts``.
"""

from __future__ import annotations

import logging
import statistics
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample" / "mentions.jsonl"
STEP = timedelta(minutes=15)
_PROBS = {"negative": (0.85, 0.1, 0.05), "neutral": (0.1, 0.8, 0.1), "positive": (0.05, 0.1, 0.85)}


def _labelled_items() -> tuple[list[tuple[Any, Any]], datetime]:
    """(raw mention, analysis from the sample's labels) in time order, and the outage's first complaint."""
    from domain.analysis import MentionAnalysis, SentimentResult
    from listeners.mention_file import iter_file

    items, outage = [], []
    for record in iter_file(SAMPLE, default_source="sample"):
        raw = record.mention
        if raw is None:
            continue
        truth = raw.raw.get("sample") or {}
        mood = truth.get("mood") or "neutral"
        neg, neu, pos = _PROBS[mood]
        analysis = MentionAnalysis(
            normalized_text=raw.text,
            lang=raw.lang_hint or "fa",
            brands=[truth["brand"]] if truth.get("brand") else [],
            sentiment=SentimentResult(
                label=mood,  # type: ignore[arg-type]
                score=pos - neg,
                probs={"negative": neg, "neutral": neu, "positive": pos},
            ),
            aspects=[truth["aspect"]] if truth.get("aspect") else [],
            urgency=0.2,
        )
        items.append((raw, analysis))
        if truth.get("kind") == "outage":
            outage.append(raw.created_at)
    items.sort(key=lambda item: item[0].created_at)
    return items, min(outage)


def _detection(workdir: Path) -> None:
    from alerts.engine import AlertEngine
    from config.loader import load_settings
    from storage.db import create_engine_from_url, init_db
    from storage.models import Incident
    from storage.repository import MentionStore

    settings = load_settings(REPO / "config" / "shenava.yaml")
    settings = settings.model_copy(
        update={"notifications": settings.notifications.model_copy(update={"channels": [], "console": False})}
    )
    url = f"sqlite:///{workdir / 'bench.db'}"
    init_db(url)
    engine = create_engine_from_url(url)
    store, alerts = MentionStore(engine), AlertEngine(settings, engine, notifiers={})
    items, outage = _labelled_items()
    timings, position = [], 0
    watermark = items[0][0].created_at
    end = items[-1][0].created_at + timedelta(hours=2)
    opened: list[Any] = []
    while watermark < end:
        watermark += STEP
        batch = []
        while position < len(items) and items[position][0].created_at <= watermark:
            batch.append(items[position])
            position += 1
        ids = store.save_batch(batch, None).inserted_ids if batch else []
        started = time.perf_counter()
        events = alerts.on_stored(ids) + alerts.detect(watermark)
        timings.append((time.perf_counter() - started) * 1e3)
        opened += [(e, watermark) for e in events if e.kind == "incident_opened"]
    with Session(engine) as session:
        incidents = session.scalar(select(func.count()).select_from(Incident))
    timings.sort()
    print(
        f"sample week: {len(items)} mentions, {len(timings)} detection passes (one per 15 min of event time)"
    )
    print(
        f"detect+urgent per pass: median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(0.95 * (len(timings) - 1))]:.1f} ms, max {timings[-1]:.1f} ms"
    )
    print(f"incidents opened over the week: {incidents} (the sample has one real burst)")
    for event, seen_at in opened:
        print(
            f"  {event.brand}/{','.join(event.touchpoints) or '-'} severity {event.severity}: bucket "
            f"{event.at.isoformat()}, {(event.at - outage).total_seconds() / 60:.0f} min after the first "
            f"outage complaint ({outage.isoformat()}); raised by the pass at {seen_at.isoformat()}"
        )
    engine.dispose()


class _Receiver(BaseHTTPRequestHandler):
    keys: ClassVar[Counter[str]] = Counter()
    fail_first: ClassVar[set[str]] = set()
    lock = threading.Lock()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = self.headers.get("X-Shenava-Delivery", "")
        with self.lock:
            flaky = key in self.fail_first
            self.fail_first.discard(key)
            if not flaky:
                self.keys[key] += 1
        self.send_response(503 if flaky else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def _outbox(workdir: Path, count: int = 500) -> None:
    from alerts.events import UrgentMention
    from alerts.notifiers import WebhookNotifier
    from alerts.outbox import Outbox, enqueue
    from alerts.settings import OutboxSettings
    from storage.db import create_engine_from_url, init_db

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"sqlite:///{workdir / 'outbox.db'}"
    init_db(url)
    engine = create_engine_from_url(url)
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        for n in range(count):
            event = UrgentMention(
                brand="sabzino",
                severity="high",
                at=now,
                urgent_id=n,
                mention_id=n,
                reasons=["bench"],
                text="سفارشم نرسیده " * 10,
            )
            enqueue(session, event, [("hook", "hook", now)], now)
    _Receiver.fail_first.update(f"urgent:{n}->hook" for n in range(0, count, 2))  # half fail once
    notifier = WebhookNotifier("hook", url=f"http://127.0.0.1:{server.server_address[1]}/", secret="bench")
    outbox = Outbox(engine, {"hook": notifier}, OutboxSettings(base_delay_s=1, max_delay_s=1, batch_size=100))
    started = time.perf_counter()
    first = outbox.dispatch(now, max_batches=1000)
    second = outbox.dispatch(now + timedelta(seconds=5), max_batches=1000)
    elapsed = time.perf_counter() - started
    delivered = sum(_Receiver.keys.values())
    print(
        f"outbox: {count} deliveries to a local signed webhook, half failing once (503): "
        f"{first.sent} sent + {first.retried} retried, then {second.sent} sent; "
        f"{delivered / elapsed:.0f} deliveries/s incl. retries; duplicates: "
        f"{sum(v - 1 for v in _Receiver.keys.values())}, lost: {count - len(_Receiver.keys)}"
    )
    server.shutdown()
    engine.dispose()


def main() -> None:
    logging.getLogger("alerts.outbox").setLevel(logging.ERROR)  # the staged 503s are expected
    with tempfile.TemporaryDirectory(prefix="shenava-bench-alerts-") as tmp:
        _detection(Path(tmp))
        _outbox(Path(tmp))


if __name__ == "__main__":
    main()
