"""Archive query latency at scale: N synthetic mentions in SQLite and in PostgreSQL.

Loads N (default 1,000,000; env ``SHENAVA_BENCH_ARCHIVE_N``) generated Persian mentions over a
year — realistic vocabulary, brands, touchpoints, sentiment, reach — through the real schema
(Alembic migrations, FTS5 triggers / tsvector + GIN), then times typical analyst queries through
``storage.search`` and ``storage.aggregates`` and prints p50/p95. Goal: p95 < 200 ms for keyword +
brand + 30 days.

The SQLite database is cached under ``var/bench/``; the PostgreSQL one stays on the server as
``shenava_bench_archive_<N>`` (env ``SHENAVA_BENCH_PG_URL`` names the server; default the test
server). ``SHENAVA_BENCH_REBUILD=1`` rebuilds both. The generated text is already in normalised
form, so it is stored as both ``text`` and ``normalized_text`` (running the normaliser over a
million texts would time the NLP, not the archive).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from nlp.normalize import normalize_for_search
from storage.aggregates import sentiment_share, share_of_voice, volume_by
from storage.db import alembic_config, create_engine_from_url, init_db
from storage.models import Mention
from storage.query import MentionQuery
from storage.query_normalizer import use_query_normalizer
from storage.search import search_mentions

# what the wiring does at start-up (shenava/__init__.py): search words are normalised like stored text
use_query_normalizer(normalize_for_search)

ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("SHENAVA_BENCH_ARCHIVE_N", "1000000"))
REPEAT = int(os.environ.get("SHENAVA_BENCH_ARCHIVE_REPEAT", "30"))
PG_URL = os.environ.get("SHENAVA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REBUILD = os.environ.get("SHENAVA_BENCH_REBUILD") == "1"
START = datetime(2024, 3, 20, 20, 30, tzinfo=UTC)  # 1403-01-01 00:00 Tehran
DAYS = 365
CHUNK = 20_000
GOAL_MS = 200.0

BRANDS = [("sabzino", "سبزینو", 0.34), ("nobank", "نوبانک", 0.22), ("tazeh", "تازه‌مارکت", 0.18),
          ("kalano", "کالانو", 0.14), ("pardakht", "پرداختیار", 0.12)]  # fmt: skip
ASPECT_WORDS = {
    "delivery": ["ارسال", "تحویل", "پیک", "سفارش", "تاخیر", "دیر", "رسید"],
    "price": ["قیمت", "گرون", "تخفیف", "ارزون", "تومان"],
    "support": ["پشتیبانی", "جواب", "تماس", "تیکت", "اپراتور"],
    "quality": ["کیفیت", "تازه", "خراب", "میوه", "سبزی", "بسته‌بندی"],
    "app": ["اپ", "برنامه", "آپدیت", "باز", "ورود", "خطا"],
    "payment": ["پرداخت", "کارت", "تراکنش", "پول", "برگشت", "کسر"],
    "staff": ["پیک", "برخورد", "کارمند", "رفتار"],
}
NEGATIVE = ["افتضاح", "بد", "خیلی", "اصلا", "نمیشه", "نشد", "کلاهبرداری", "شکایت", "مسخره", "دیگه", "هیچ‌وقت"]
POSITIVE = ["عالی", "ممنون", "سریع", "خوب", "راضی", "مرسی", "بهترین", "دمتون", "گرم", "ممنونم"]
FILLER = [
    "من",
    "از",
    "این",
    "که",
    "و",
    "با",
    "برای",
    "امروز",
    "دیروز",
    "هم",
    "بود",
    "شد",
    "کرد",
    "داره",
    "هست",
    "یه",
    "ولی",
    "چرا",
    "باز",
    "دوباره",
    "همیشه",
    "الان",
    "واقعا",
    "بار",
    "سه",
    "ساعت",
    "روز",
    "هفته",
    "شما",
    "ما",
    "رو",
    "تا",
    "هنوز",
    "کی",
    "چی",
    "اینجا",
    "اونجا",
    "کاش",
    "لطفا",
]
SOURCES = [("x", 0.5), ("instagram", 0.25), ("telegram", 0.15), ("web", 0.1)]
LANGS = [("fa", 0.85), ("finglish", 0.05), ("en", 0.05), ("ar", 0.05)]
KEYWORDS = ["تاخیر", "پشتیبانی", "کیفیت", "قیمت", "پرداخت", "تراکنش", "خراب", "جواب"]


def _weighted(rng: random.Random, pairs: list[tuple[str, float]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def generate(n: int, seed: int = 1403) -> Iterator[tuple[dict[str, Any], list[str], list[str]]]:
    """(mention row, brands, aspects) for n mentions, ids 1..n, deterministic."""
    rng = random.Random(seed)
    names = {b[0]: b[1] for b in BRANDS}
    brand_pairs = [(b[0], b[2]) for b in BRANDS]
    for i in range(1, n + 1):
        brands = [_weighted(rng, brand_pairs)]
        if rng.random() < 0.1:
            other = _weighted(rng, brand_pairs)
            if other != brands[0]:
                brands.append(other)
        aspects = rng.sample(list(ASPECT_WORDS), k=rng.choice((0, 1, 1, 1, 2)))
        label = rng.choices(("negative", "neutral", "positive"), weights=(0.4, 0.35, 0.25))[0]
        words = [names[b] for b in brands]
        for aspect in aspects:
            words += rng.sample(ASPECT_WORDS[aspect], k=2)
        words += rng.sample(
            NEGATIVE if label == "negative" else POSITIVE if label == "positive" else FILLER, k=2
        )
        words += rng.choices(FILLER, k=rng.randint(4, 12))
        rng.shuffle(words)
        body = " ".join(words)
        # ids follow time, as in a real archive (listeners store what they just fetched);
        # hour of day from a skewed distribution: busier afternoons, quieter nights
        day = (i - 1) * DAYS // n
        created = START + timedelta(days=day, hours=min(23.99, abs(rng.gauss(14, 5))))
        score = {"negative": -0.7, "neutral": 0.0, "positive": 0.7}[label]
        row = {
            "id": i, "source": _weighted(rng, SOURCES), "external_id": f"b{i}", "url": None,
            "author_id": f"u{rng.randrange(200_000)}", "author_handle": f"user{rng.randrange(200_000)}",
            "author_name": None,
            "author_followers": int(rng.lognormvariate(6, 2)) if rng.random() > 0.1 else None,
            "text": body, "normalized_text": body, "lang": _weighted(rng, LANGS), "lang_hint": None,
            "created_at": created, "collected_at": created, "conversation_id": None, "metrics": {},
            "likes": 0, "replies": 0, "reposts": 0, "brands": brands, "sentiment_label": label,
            "sentiment_score": score, "sentiment_probs": {}, "aspects": aspects,
            "urgency": round(rng.random() ** 3, 3), "signals": {}, "raw": {},
        }  # fmt: skip
        # columns added by later migrations (model's own label before a correction, emotion, …):
        # absent here means NULL, so the generator keeps up with the schema
        row.update({c: None for c in _COLUMNS if c not in row})
        yield row, brands, aspects


def _chunks(n: int) -> Iterator[list[tuple[dict[str, Any], list[str], list[str]]]]:
    chunk: list[tuple[dict[str, Any], list[str], list[str]]] = []
    for item in generate(n):
        chunk.append(item)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _count(engine: Engine) -> int:
    try:
        with Session(engine) as session:
            return session.execute(select(func.count()).select_from(Mention)).scalar_one()
    except Exception:  # no schema yet
        return -1


def load_sqlite(path: Path, n: int) -> tuple[Engine, float | None]:
    if REBUILD and path.exists():
        path.unlink()
    url = f"sqlite:///{path}"
    engine = create_engine_from_url(url)
    if _count(engine) == n:
        init_db(url)  # a cached archive loaded before the rollups: 0009 backfills them now
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return engine, None
    engine.dispose()
    path.unlink(missing_ok=True)
    # rows go in before the rollups exist: migration 0009's backfill then builds them in bulk,
    # as it would for an archive upgraded in place (and the per-row upkeep stays out of the load)
    _migrate(url, BEFORE_ROLLUPS)
    engine = create_engine_from_url(url)
    start = time.perf_counter()
    # straight through the driver (executemany with values already in SQLAlchemy's SQLite
    # storage format): the ORM's per-row type processing would dominate the load time
    columns = _COLUMNS
    insert = f"INSERT INTO mentions ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        for chunk in _chunks(n):
            cursor.executemany(insert, [tuple(_sqlite_value(row[c]) for c in columns) for row, _, _ in chunk])
            cursor.executemany(
                "INSERT INTO mention_brands (mention_id, brand, created_at) VALUES (?, ?, ?)",
                [(r["id"], b, _sqlite_value(r["created_at"])) for r, bs, _ in chunk for b in bs],
            )
            cursor.executemany(
                "INSERT INTO mention_aspects (mention_id, aspect, created_at) VALUES (?, ?, ?)",
                [(r["id"], a, _sqlite_value(r["created_at"])) for r, _, asp in chunk for a in asp],
            )
        raw.commit()
    finally:
        raw.close()
    _backfill(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    with engine.connect() as conn:  # fold the WAL into the file: readers then skip the WAL index
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return engine, time.perf_counter() - start


#: the revision before the rollup tables (0009): the bulk load goes in at this one
BEFORE_ROLLUPS = "0008_saved_searches"


def _migrate(url: str, revision: str) -> None:
    engine = create_engine_from_url(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        engine.dispose()


def _backfill(url: str) -> None:
    """Upgrade to head: migration 0009 builds the rollups from the loaded rows (timed)."""
    start = time.perf_counter()
    init_db(url)
    print(f"  rollup backfill (migration 0009) {time.perf_counter() - start:.1f} s", flush=True)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _pg_copy_rows(chunk: list[tuple[dict[str, Any], list[str], list[str]]]) -> Iterator[tuple]:
    for row, _, _ in chunk:
        yield tuple(
            json.dumps(row[c], ensure_ascii=False) if isinstance(row[c], dict | list) else row[c]
            for c in _PG_COLUMNS
        )


_COLUMNS = [c.name for c in Mention.__table__.columns if c.name != "search_vector"]
_PG_COLUMNS = _COLUMNS


def load_postgres(n: int) -> tuple[Engine | None, float | None, str]:
    admin_url = make_url(PG_URL)
    name = f"shenava_bench_archive_{n}"
    try:
        admin = create_engine_from_url(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if exists and REBUILD:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
                exists = None
            if not exists:
                conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
        admin.dispose()
    except Exception as exc:  # no server: report, do not fail the other figures
        return None, None, f"PostgreSQL unavailable ({type(exc).__name__})"
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    engine = create_engine_from_url(url)
    if _count(engine) == n:
        init_db(url)  # a cached archive loaded before the rollups: 0009 backfills them now
        return engine, None, url
    _migrate(url, BEFORE_ROLLUPS)
    start = time.perf_counter()
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("TRUNCATE mentions CASCADE")
        # the GIN index is built once after the load: far faster than a million index updates
        cursor.execute("DROP INDEX IF EXISTS ix_mentions_search_vector")
        for chunk in _chunks(n):
            with cursor.copy(f"COPY mentions ({', '.join(_PG_COLUMNS)}) FROM STDIN") as copy:
                for values in _pg_copy_rows(chunk):
                    copy.write_row(values)
            with cursor.copy("COPY mention_brands (mention_id, brand, created_at) FROM STDIN") as copy:
                for row, brands, _ in chunk:
                    for brand in brands:
                        copy.write_row((row["id"], brand, row["created_at"]))
            with cursor.copy("COPY mention_aspects (mention_id, aspect, created_at) FROM STDIN") as copy:
                for row, _, aspects in chunk:
                    for aspect in aspects:
                        copy.write_row((row["id"], aspect, row["created_at"]))
        cursor.execute("CREATE INDEX ix_mentions_search_vector ON mentions USING gin (search_vector)")
        cursor.execute("SELECT setval(pg_get_serial_sequence('mentions', 'id'), %s)", (n,))
        raw.commit()
    finally:
        raw.close()
    _backfill(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")  # the visibility map, for index-only scans
    return engine, time.perf_counter() - start, url


def _queries(rng: random.Random) -> dict[str, Callable[[], MentionQuery]]:
    def window(days: int) -> dict[str, datetime]:
        first = START + timedelta(days=rng.randrange(DAYS - days))
        return {"since": first, "until": first + timedelta(days=days)}

    brand = lambda: rng.choice(BRANDS)[0]  # noqa: E731
    return {
        "keyword + brand + 30 days": lambda: MentionQuery(
            text=rng.choice(KEYWORDS), brands=[brand()], **window(30)
        ),
        "brand + sentiment + 7 days": lambda: MentionQuery(
            brands=[brand()], sentiments=["negative"], **window(7)
        ),
        "two words, relevance, 30 days": lambda: MentionQuery(
            text=" ".join(rng.sample(KEYWORDS, 2)), sort="relevance", **window(30)
        ),
        "phrase + touchpoint + 90 days": lambda: MentionQuery(
            text='"دیر رسید"', aspects=["delivery"], sort="reach", **window(90)
        ),
        "agg volume/day brand 30 days": lambda: MentionQuery(brands=[brand()], **window(30)),
        "agg sentiment share brand 30 days": lambda: MentionQuery(brands=[brand()], **window(30)),
        "agg share of voice 30 days": lambda: MentionQuery(**window(30)),
    }


def _run(session: Session, name: str, query: MentionQuery) -> None:
    if name.startswith("agg volume"):
        volume_by(session, query, "day")
    elif name.startswith("agg sentiment"):
        sentiment_share(session, query)
    elif name.startswith("agg share"):
        share_of_voice(session, query)
    else:
        search_mentions(session, query)


def measure(engine: Engine, label: str) -> dict[str, float]:
    rng = random.Random(7)
    p95s = {}
    with Session(engine) as session:
        for name, make in _queries(rng).items():
            _run(session, name, make())  # warm-up
            times = []
            for _ in range(REPEAT):
                query = make()
                start = time.perf_counter()
                _run(session, name, query)
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            p50 = statistics.median(times)
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            p95s[name] = p95
            print(f"  {label:10s} {name:36s} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms", flush=True)
    return p95s


def main() -> None:
    print(f"archive benchmark: {N:,} mentions over {DAYS} days, {REPEAT} runs per query", flush=True)
    results = {}
    cache = ROOT / "var" / "bench" / f"archive-{N}.db"
    cache.parent.mkdir(parents=True, exist_ok=True)
    engine, load_s = load_sqlite(cache, N)
    print(f"  sqlite     load: {'cached ' + str(cache) if load_s is None else f'{load_s:.1f} s'}", flush=True)
    results["sqlite"] = measure(engine, "sqlite")
    engine.dispose()
    pg_engine, pg_load_s, note = load_postgres(N)
    if pg_engine is None:
        print(f"  postgresql skipped: {note}")
    else:
        print(f"  postgresql load: {'cached' if pg_load_s is None else f'{pg_load_s:.1f} s'}", flush=True)
        results["postgresql"] = measure(pg_engine, "postgresql")
        pg_engine.dispose()
    for backend, p95s in results.items():
        p95 = p95s["keyword + brand + 30 days"]
        verdict = "meets" if p95 < GOAL_MS else "MISSES"
        print(f"  goal {backend}: keyword + brand + 30 days p95 {p95:.1f} ms {verdict} < {GOAL_MS:.0f} ms "
              f"at N={N:,}")  # fmt: skip


if __name__ == "__main__":
    main()
