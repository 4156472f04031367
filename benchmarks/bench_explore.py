"""The analysts' pages at one million mentions (issue 13 item 6): p50/p95 of every query behind the
explore page (search, each chart, the drill-downs) and the brand dashboard, on SQLite and
PostgreSQL, against the goal p95 < 150 ms; and the explore page's first render (the whole HTML
response of ``GET /explore``, in-process) against 1 s.

The archive is ``bench_archive``'s (same generator, same cached databases: ``var/bench/`` and
``shenava_bench_archive_<N>``; ``SHENAVA_BENCH_ARCHIVE_N``, ``SHENAVA_BENCH_REBUILD=1``); it is
loaded before the rollup tables exist and migrations 0009 and 0010 backfill them, as for an
archive upgraded in place (a cached archive from before 0010 is upgraded the same way). Every run
is cold for the application: no result is cached between runs (each picks another brand and
period); the database's own page cache is warm, as on a server. Three reference lines count the
raw rows (``rollups=False``) to show what the rollups replace. The load average is printed with
the figures: the machine is shared.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from benchmarks.bench_archive import BRANDS, DAYS, KEYWORDS, ROOT, START, N, load_postgres, load_sqlite
from shenava.web.explore import TERMS_SAMPLE
from storage.aggregates import sentiment_share, share_of_voice, touchpoint_counts, volume_by, volume_by_week
from storage.facets import facet_counts, top_authors
from storage.query import MentionQuery
from storage.search import newest_texts, search_mentions

REPEAT = int(os.environ.get("SHENAVA_BENCH_EXPLORE_REPEAT", "20"))
PAGE_REPEAT = int(os.environ.get("SHENAVA_BENCH_EXPLORE_PAGES", "10"))
GOAL_MS = 150.0
PAGE_GOAL_S = 1.0
FIRST_DAY = (START + timedelta(hours=4)).date()  # START is local midnight of this Tehran day
Run = Callable[[Session, "Pick"], Any]


class Pick:
    """One run's random brand, period, keyword and author (so no run repeats the previous one)."""

    def __init__(self, rng: random.Random) -> None:
        self.brand = rng.choice(BRANDS)[0]
        self.other = rng.choice([b[0] for b in BRANDS if b[0] != self.brand])
        self.keyword = rng.choice(KEYWORDS)
        self.author = f"user{rng.randrange(200_000)}"
        self.offset = rng.randrange(90, DAYS - 31)

    def days(self, n: int, back: int = 0) -> tuple[date, date]:
        """n local days ending ``back`` days before this pick's last day (inclusive range)."""
        last = FIRST_DAY + timedelta(days=self.offset + 29 - back)
        return last - timedelta(days=n - 1), last

    def q(self, n: int = 30, extra: str = "", back: int = 0) -> str:
        """The explore page's query: brand and n days (a date: range), plus ``extra``."""
        first, last = self.days(n, back)
        return f"brand:{self.brand} date:{first.isoformat()}..{last.isoformat()} {extra}".strip()

    def query(self, n: int = 30, **fields: Any) -> MentionQuery:
        first, last = self.days(n, fields.pop("back", 0))
        return MentionQuery(since=first.isoformat(), until=last.isoformat(), **fields)


def _page(q: str, limit: int = 30) -> MentionQuery:
    return MentionQuery(text=q, limit=limit)


# name → one run; "explore:" queries are behind the explore page (the query text is the page's
# own ``q``), "drill:" after a click on a chart, "dashboard:" the brand dashboard and digest
QUERIES: dict[str, Run] = {
    "explore: search page (brand, 30 d)": lambda s, p: search_mentions(s, _page(p.q())),
    "explore: volume/day stacked (30 d)": lambda s, p: volume_by(s, _page(p.q()), "day", fill=False),
    "explore: volume/hour stacked (7 d)": lambda s, p: volume_by(s, _page(p.q(7)), "hour", fill=False),
    "explore: volume/week stacked (90 d)": lambda s, p: volume_by_week(s, _page(p.q(90)), fill=False),
    "explore: sentiment share (30 d)": lambda s, p: sentiment_share(s, _page(p.q())),
    "explore: touchpoints (30 d)": lambda s, p: touchpoint_counts(s, _page(p.q())),
    "explore: sources (30 d)": lambda s, p: facet_counts(s, _page(p.q()), "source"),
    "explore: languages (30 d)": lambda s, p: facet_counts(s, _page(p.q()), "lang"),
    "explore: top authors by volume (30 d)": lambda s, p: top_authors(s, _page(p.q()), "volume"),
    "explore: top authors by reach (30 d)": lambda s, p: top_authors(s, _page(p.q()), "reach"),
    "explore: top terms (300 newest, 30 d)": lambda s, p: newest_texts(s, _page(p.q()), TERMS_SAMPLE),
    "explore: keyword search page (30 d)": lambda s, p: search_mentions(s, _page(p.q(extra=p.keyword))),
    "explore: keyword volume/day (30 d)": lambda s, p: volume_by(s, _page(p.q(extra=p.keyword)), "day"),
    "explore: keyword sentiment (30 d)": lambda s, p: sentiment_share(s, _page(p.q(extra=p.keyword))),
    "explore: keyword top authors (30 d)": lambda s, p: top_authors(s, _page(p.q(extra=p.keyword))),
    "drill: sentiment → search page": lambda s, p: search_mentions(s, _page(p.q(extra="sentiment:negative"))),
    "drill: sentiment → volume/day": lambda s, p: volume_by(s, _page(p.q(extra="sentiment:negative")), "day"),
    "drill: source → search page": lambda s, p: search_mentions(s, _page(p.q(extra="source:instagram"))),
    "drill: touchpoint → touchpoints": lambda s, p: touchpoint_counts(
        s, _page(p.q(extra="touchpoint:price"))
    ),
    "drill: touchpoint → top authors": lambda s, p: top_authors(s, _page(p.q(extra="touchpoint:price"))),
    "drill: day → search page": lambda s, p: search_mentions(s, _page(p.q(1))),
    "drill: day → volume/hour": lambda s, p: volume_by(s, _page(p.q(1)), "hour"),
    "drill: author → search page": lambda s, p: search_mentions(s, _page(p.q(extra=f"author:{p.author}"))),
    "drill: author → volume/day": lambda s, p: volume_by(s, _page(p.q(extra=f"author:{p.author}")), "day"),
    "dashboard: share of voice (30 d)": lambda s, p: share_of_voice(s, p.query()),
    "dashboard: share of voice vs 2 (30 d)": lambda s, p: share_of_voice(s, p.query(), [p.brand, p.other]),
    "dashboard: net sentiment trend (90 d)": lambda s, p: volume_by(s, p.query(90, brands=[p.brand]), "day"),
    "dashboard: sentiment now + before": lambda s, p: [
        sentiment_share(s, p.query(7, brands=[p.brand], back=b)) for b in (0, 7)
    ],
    "dashboard: complaint touchpoints": lambda s, p: touchpoint_counts(
        s, p.query(brands=[p.brand], sentiments=["negative"])
    ),
    "dashboard: volume/week (1 year)": lambda s, p: volume_by_week(
        s, MentionQuery(brands=[p.brand], since=START, until=START + timedelta(days=DAYS))
    ),
    "reference: volume/day raw rows (30 d)": lambda s, p: volume_by(s, _page(p.q()), "day", rollups=False),
    "reference: share of voice raw rows (30 d)": lambda s, p: share_of_voice(s, p.query(), rollups=False),
    "reference: top authors raw rows (30 d)": lambda s, p: top_authors(s, _page(p.q()), rollups=False),
}


REFERENCES = sum(name.startswith("reference") for name in QUERIES)


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(engine: Engine, label: str) -> list[str]:
    """Print each query's p50/p95; the names of those that miss the goal."""
    rng = random.Random(13)
    missed = []
    with Session(engine) as session:
        for name, run in QUERIES.items():
            run(session, Pick(rng))  # warm-up (the database's caches, not the application's)
            session.rollback()
            times = []
            for _ in range(REPEAT):
                pick = Pick(rng)
                start = time.perf_counter()
                run(session, pick)
                times.append((time.perf_counter() - start) * 1000)
                session.rollback()
            p95 = _p95(times)
            verdict = "" if name.startswith("reference") else ("ok" if p95 < GOAL_MS else "MISSES")
            if verdict == "MISSES":
                missed.append(name)
            p50 = statistics.median(times)
            print(f"  {label:10s} {name:44s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {verdict}", flush=True)
    return missed


def first_render(engine: Engine, label: str) -> float:
    """p95 seconds of ``GET /explore`` (brand + 30 days; and two periods side by side), logged in."""
    from fastapi.testclient import TestClient

    from config.settings import Settings
    from domain.brands import BrandSettings
    from shenava.api import create_app
    from shenava.api.auth import ApiKeyRing
    from shenava.web import accounts
    from storage.accounts import Account

    with Session(engine) as session:
        if session.scalar(select(Account).where(Account.name == "bench")) is None:
            accounts.add(session, "bench", "analyst", "bench-password-1", by="bench")
            session.commit()
    settings = Settings(brands=[BrandSettings(name=b[0], aliases_fa=[b[1]]) for b in BRANDS])
    rng = random.Random(1403)
    worst = 0.0
    with TestClient(create_app(settings, engine, ApiKeyRing.parse(""))) as client:
        page = client.get("/login").text
        csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        client.post("/login", data={"name": "bench", "password": "bench-password-1", "csrf_token": csrf})
        for title, params in (
            ("explore page (brand, 30 d)", lambda p: {"q": p.q()}),
            ("explore page, keyword", lambda p: {"q": p.q(extra=p.keyword)}),
            ("explore page, two periods", lambda p: {"q": p.q(7), "q2": p.q(7, back=7)}),
        ):
            client.get("/explore", params=params(Pick(rng)))  # warm-up
            times = []
            for _ in range(PAGE_REPEAT):
                start = time.perf_counter()
                response = client.get("/explore", params=params(Pick(rng)))
                times.append(time.perf_counter() - start)
                assert response.status_code == 200 and 'data-chart="volume"' in response.text, response.text[
                    :300
                ]
            p95 = _p95(times)
            worst = max(worst, p95)
            verdict = "ok" if p95 < PAGE_GOAL_S else "MISSES"
            print(f"  {label:10s} first render: {title:32s} p50 {statistics.median(times):5.2f} s  "
                  f"p95 {p95:5.2f} s  {verdict} < {PAGE_GOAL_S:.0f} s", flush=True)  # fmt: skip
    return worst


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def main() -> None:
    print(f"explore/dashboard benchmark: {N:,} mentions over {DAYS} days, {REPEAT} runs per query; "
          f"goal p95 < {GOAL_MS:.0f} ms a query, first render < {PAGE_GOAL_S:.0f} s", flush=True)  # fmt: skip
    cache = ROOT / "var" / "bench" / f"archive-{N}.db"
    cache.parent.mkdir(parents=True, exist_ok=True)
    summary = []
    engine, load_s = load_sqlite(cache, N)
    print(f"  sqlite     load: {'cached ' + str(cache) if load_s is None else f'{load_s:.1f} s'}", flush=True)
    backends: list[tuple[str, Engine]] = [("sqlite", engine)]
    pg_engine, pg_load_s, note = load_postgres(N)
    if pg_engine is None:
        print(f"  postgresql skipped: {note}", flush=True)
    else:
        print(f"  postgresql load: {'cached' if pg_load_s is None else f'{pg_load_s:.1f} s'}", flush=True)
        backends.append(("postgresql", pg_engine))
    for label, eng in backends:
        print(f"  {label}: {_load()}", flush=True)
        missed = measure(eng, label)
        worst = first_render(eng, label)
        print(f"  {label}: {_load()}", flush=True)
        summary.append(
            f"  goal {label}: {len(QUERIES) - REFERENCES - len(missed)}/{len(QUERIES) - REFERENCES} page "
            f"queries p95 < "
            f"{GOAL_MS:.0f} ms{' (misses: ' + '; '.join(missed) + ')' if missed else ''}; "
            f"explore first render p95 {worst:.2f} s {'meets' if worst < PAGE_GOAL_S else 'MISSES'} < 1 s"
        )
        eng.dispose()
    print("\n".join(summary), flush=True)


if __name__ == "__main__":
    main()
