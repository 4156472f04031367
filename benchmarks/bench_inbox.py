"""Support inbox latency at scale: page loads and live-update delay over the 1M-mention archive.

Uses the archive benchmark's database (``bench_archive``: N generated mentions, cached under
``var/bench/`` for SQLite and as ``shenava_bench_archive_<N>`` on the PostgreSQL server), adds 60
incidents and 600 urgent alerts on its mentions (removed again at the end), then times:

- page loads through the real app in-process (``TestClient``: routing, session check, queries,
  templates; no network): the inbox, its queue partial, an incident's detail page (explanation and
  the burst chart over the archive), an urgent mention's page (thread and suggested replies);
- the live-update delay over a real server (uvicorn, server-sent events): from the commit of a new
  incident by another connection to the open page having its event and re-fetched queue, at the
  default ``web.live_poll_seconds`` (1 s).

Prints p50/p95 per figure and backend, with the machine's load average before and after each
backend (the figures are wall-clock: on a shared machine they say as much about the load as about
the inbox). ``SHENAVA_BENCH_INBOX_REPEAT`` (default 30) page loads per page,
``SHENAVA_BENCH_INBOX_LIVE`` (default 20) live updates. ``SHENAVA_BENCH_INBOX_PG``: unset, PostgreSQL
is measured when its server answers (said when it does not); ``1`` requires it (no server, or an
archive that fails to load, fails the benchmark); ``0`` skips it.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import threading
import time
from datetime import UTC, datetime, timedelta

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from benchmarks.bench_archive import DAYS, ROOT, START, N, load_postgres, load_sqlite
from config.settings import Settings
from domain.brands import BrandSettings
from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from shenava.web import accounts
from storage import team_store
from storage.accounts import Account, AuditEntry
from storage.db import init_db
from storage.models import Incident, Mention, MentionBrand, UrgentAlert
from storage.teams import Team, TeamMember

REPEAT = int(os.environ.get("SHENAVA_BENCH_INBOX_REPEAT", "30"))
PG = os.environ.get("SHENAVA_BENCH_INBOX_PG", "")  # "" try, "1" required, "0" skipped
LIVE = int(os.environ.get("SHENAVA_BENCH_INBOX_LIVE", "20"))
MARK = "bench_inbox"
USER, PASSWORD = "bench-agent", "bench-password-1403"
BRANDS = ["sabzino", "nobank", "tazeh", "kalano", "pardakht"]


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _cleanup(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        session.execute(delete(UrgentAlert).where(UrgentAlert.conversation_key.like(f"{MARK}:%")))
        session.execute(delete(Incident).where(Incident.detector_key == MARK))
        session.execute(
            delete(TeamMember).where(TeamMember.team_id.in_(select(Team.id).where(Team.name == MARK)))
        )
        session.execute(delete(Team).where(Team.name == MARK))
        session.execute(delete(Account).where(Account.name == USER))
        session.execute(delete(AuditEntry).where(AuditEntry.actor.in_([USER, "-", "bench"])))
        session.execute(delete(AuditEntry).where(AuditEntry.target == f"team:{MARK}"))


def _seed(engine: Engine, rng: random.Random) -> tuple[list[int], list[int]]:
    init_db(engine)  # a cache built before the web tables existed gets them
    _cleanup(engine)
    with Session(engine) as session, session.begin():
        accounts.add(session, USER, "support", PASSWORD, by="bench")
        team_store.add_team(session, MARK, display_name="تیم سنجش", by="bench")  # "mine" reads teams
        team_store.add_member(session, MARK, USER, by="bench")
        incidents = []
        for _ in range(60):
            opened = START + timedelta(days=rng.randrange(DAYS - 2), hours=rng.randrange(24))
            brand = rng.choice(BRANDS)
            sample = session.scalars(
                select(Mention)
                .join(MentionBrand, MentionBrand.mention_id == Mention.id)
                .where(
                    MentionBrand.brand == brand,
                    MentionBrand.created_at >= opened - timedelta(hours=2),
                    MentionBrand.created_at < opened,
                    Mention.sentiment_label == "negative",
                )
                .limit(4)
            ).all()
            explanation = {
                "count": 40,
                "expected": 6.0,
                "ratio": 6.7,
                "terms": [{"term": "تاخیر", "z": 4.0}],
                "touchpoints": [
                    {"touchpoint": "delivery", "now": 30, "now_share": 0.75, "baseline_share": 0.2}
                ],
                "negative_share": {"now": 0.7, "usual": 0.3},
                "mentions": [
                    {
                        "id": m.id,
                        "source": m.source,
                        "text": m.text[:500],
                        "url": m.url,
                        "author": m.author_handle,
                        "followers": m.author_followers,
                        "created_at": m.created_at.isoformat(),
                        "aspects": list(m.aspects or []),
                    }
                    for m in sample
                ],
            }
            row = Incident(
                brand=brand,
                touchpoint=rng.choice([None, "delivery", "payment"]),
                kind="spike",
                status="open",
                severity=rng.choice(["medium", "high", "critical"]),
                opened_at=opened,
                updated_at=opened,
                peak_count=40,
                current_count=30,
                baseline=6.0,
                detector_key=MARK,
                details={
                    "touchpoints": ["delivery"],
                    "explanation": explanation,
                    "peak_at": opened.isoformat(),
                },
            )
            session.add(row)
            incidents.append(row)
        negatives = session.scalars(
            select(Mention.id).where(Mention.sentiment_label == "negative").order_by(Mention.id).limit(20_000)
        ).all()
        urgent = []
        for mention_id in rng.sample(list(negatives), 600):
            at = datetime.now(UTC) - timedelta(minutes=rng.randrange(600))
            row = UrgentAlert(
                mention_id=mention_id,
                brand=rng.choice(BRANDS),
                conversation_key=f"{MARK}:{mention_id}",
                assigned_team=MARK if rng.random() < 0.3 else None,
                status=rng.choice(["open", "open", "acknowledged", "resolved"]),
                urgency=0.9,
                details={"reasons": rng.choice([["urgency"], ["urgency", "crisis_words"]])},
                created_at=at,
                updated_at=at,
            )
            session.add(row)
            urgent.append(row)
        session.flush()
        return [i.id for i in incidents], [u.id for u in urgent]


def _load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def _log_in(get, post) -> None:  # type: ignore[no-untyped-def]
    page = get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    post("/login", data={"name": USER, "password": PASSWORD, "csrf_token": csrf})


def _settings() -> Settings:
    return Settings(brands=[BrandSettings(name=b) for b in BRANDS])


def measure_pages(
    engine: Engine, label: str, incidents: list[int], urgent: list[int], rng: random.Random
) -> None:
    app = create_app(_settings(), engine, ApiKeyRing.parse(""))
    with TestClient(app) as client:
        _log_in(client.get, client.post)
        pages = {
            "inbox page": lambda: "/inbox",
            "queue partial (live refresh)": lambda: "/inbox/queue",
            "queue, mine incl. my teams": lambda: "/inbox/queue?mine=1",
            "incident detail + burst chart": lambda: f"/inbox/incident/{rng.choice(incidents)}",
            "urgent detail + replies": lambda: f"/inbox/urgent/{rng.choice(urgent)}",
        }
        for name, url in pages.items():
            client.get(url())  # warm
            times = []
            for _ in range(REPEAT):
                start = time.perf_counter()
                response = client.get(url())
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (name, response.status_code)
            print(
                f"  {label:<10} {name:<32} p50 {statistics.median(times):7.1f} ms  "
                f"p95 {_p(times, 95):7.1f} ms",
                flush=True,
            )


def measure_live(engine: Engine, label: str) -> None:
    import socket

    import uvicorn

    app = create_app(_settings(), engine, ApiKeyRing.parse(""))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_config=None, lifespan="off", timeout_graceful_shutdown=1
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    client = httpx.Client(base_url=base, timeout=30)
    _log_in(client.get, client.post)
    delays: list[float] = []
    try:
        with client.stream("GET", "/inbox/events") as stream:
            lines = stream.iter_lines()
            for line in lines:
                if line.startswith("event: change"):
                    break
            for _ in range(LIVE):
                time.sleep(random.uniform(0.2, 1.2))  # not in step with the poller
                with Session(engine) as session, session.begin():
                    now = datetime.now(UTC)
                    session.add(
                        Incident(
                            brand="nobank",
                            touchpoint="app",
                            kind="spike",
                            status="open",
                            severity="high",
                            opened_at=now,
                            updated_at=now,
                            detector_key=MARK,
                            details={},
                        )
                    )
                committed = time.perf_counter()
                for line in lines:
                    if line.startswith("event: change"):
                        break
                with httpx.Client(base_url=base, cookies=client.cookies, timeout=30) as fetch:
                    assert fetch.get("/inbox/queue").status_code == 200
                delays.append((time.perf_counter() - committed) * 1000)
    finally:
        client.close()
        server.should_exit = True
        thread.join(timeout=10)
    print(
        f"  {label:<10} {'live update (commit → page has it)':<32} p50 {statistics.median(delays):7.1f} ms  "
        f"p95 {_p(delays, 95):7.1f} ms  (poll every 1 s, {LIVE} updates)",
        flush=True,
    )


def run(engine: Engine, label: str) -> None:
    rng = random.Random(12)
    incidents, urgent = _seed(engine, rng)
    with Session(engine) as session:
        mentions = session.scalar(select(func.count()).select_from(Mention))
    print(
        f"  {label}: {mentions:,} mentions, {len(incidents)} incidents, {len(urgent)} urgent alerts; "
        f"{_load_average()}",
        flush=True,
    )
    try:
        measure_pages(engine, label, incidents, urgent, rng)
        measure_live(engine, label)
    finally:
        _cleanup(engine)
    print(f"  {label}: done; {_load_average()}", flush=True)


def main() -> None:
    print(f"inbox benchmark: archive of {N:,} mentions, {REPEAT} loads per page", flush=True)
    cache = ROOT / "var" / "bench" / f"archive-{N}.db"
    cache.parent.mkdir(parents=True, exist_ok=True)
    engine, load_s = load_sqlite(cache, N)
    if load_s is not None:
        print(f"  sqlite load: {load_s:.1f} s", flush=True)
    run(engine, "sqlite")
    engine.dispose()
    if PG == "0":
        print("  postgresql skipped (SHENAVA_BENCH_INBOX_PG=0)")
        return
    try:
        pg_engine, pg_load_s, note = load_postgres(N)
    except Exception as exc:  # the archive loader's problem: report it, keep the SQLite figures
        pg_engine, pg_load_s, note = None, None, f"loading the archive failed ({exc!r})"
    if pg_engine is None:
        if PG == "1":  # asked for: a missing figure is a failure, not a line that is easy to miss
            raise RuntimeError(f"PostgreSQL required (SHENAVA_BENCH_INBOX_PG=1) but {note}")
        print(f"  postgresql skipped: {note} (SHENAVA_BENCH_INBOX_PG=1 makes this a failure)")
        return
    if pg_load_s is not None:
        print(f"  postgresql load: {pg_load_s:.1f} s", flush=True)
    run(pg_engine, "postgresql")
    pg_engine.dispose()


if __name__ == "__main__":
    main()
