"""Cost of judging saved searches' alert rules after each stored batch (issue 13 item 4), on SQLite:
an archive of 20,000 mentions, batches of 200 new ones, with 0, 10 and 50 saved searches whose rule
is on (half hourly thresholds, half large-account rules; a quarter of the batch matches each).
Prints the milliseconds added per batch; no assertion (the tests check behaviour)."""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from alerts.engine import AlertEngine
from alerts.rules import saved_search as rules
from config.settings import Settings
from domain.analysis import MentionAnalysis, SentimentResult
from domain.brands import BrandSettings
from domain.mention import RawMention
from storage import saved_searches
from storage.db import create_engine_from_url, init_db
from storage.repository import MentionStore
from storage.saved_searches import Fields

ARCHIVE, BATCH, BATCHES = 20_000, 200, 10
WORDS = ("دیر", "سرد", "گران", "عالی")
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _item(n: int) -> tuple[RawMention, MentionAnalysis]:
    word = WORDS[n % len(WORDS)]
    text = f"سفارش سبزینو {word} بود {n}"
    raw = RawMention(source="x", external_id=f"m{n}", text=text, created_at=T0 + timedelta(seconds=20 * n),
                     author_handle=f"u{n % 997}", author_followers=(n * 37) % 50_000)  # fmt: skip
    analysis = MentionAnalysis(
        normalized_text=text, lang="fa", brands=["sabzino"], aspects=["delivery"], urgency=0.1, signals={},
        sentiment=SentimentResult(label="negative", score=-0.5, probs={"negative": 0.7, "neutral": 0.2,
                                                                        "positive": 0.1}),
    )  # fmt: skip
    return raw, analysis


def _run(searches: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'ss.db'}"
        init_db(url)
        engine = create_engine_from_url(url)
        store = MentionStore(engine)
        for start in range(0, ARCHIVE, 1000):
            store.save_batch([_item(n) for n in range(start, start + 1000)], None)
        with Session(engine) as session, session.begin():
            for k in range(searches):
                rule = {"rule_per_hour": 1000} if k % 2 else {"rule_min_followers": 10**9}  # never fire
                query = f"brand:sabzino {WORDS[k % len(WORDS)]}"
                fields = Fields(name=f"s{k}", query=query, rule_enabled=True, **rule)  # type: ignore[arg-type]
                saved_searches.add(session, "bench", fields)
        alerts = AlertEngine(Settings(brands=[BrandSettings(name="sabzino")]), engine, notifiers={})
        times = []
        for b in range(BATCHES):
            first = ARCHIVE + b * BATCH
            ids = store.save_batch([_item(n) for n in range(first, first + BATCH)], None).inserted_ids
            started = time.perf_counter()
            rules.on_stored(alerts, ids)
            times.append(1000 * (time.perf_counter() - started))
        engine.dispose()
        return times


def main() -> None:
    import shenava  # noqa: F401  (installs the search-query normaliser, as at start-up)

    for searches in (0, 10, 50):
        times = sorted(_run(searches))
        median, worst = statistics.median(times), times[-1]
        print(f"saved-search rules, {searches} searches on, batch of {BATCH} over {ARCHIVE:,} mentions "
              f"(SQLite): median {median:.1f} ms, max {worst:.1f} ms per batch")  # fmt: skip


if __name__ == "__main__":
    main()
