"""Issue 15, failures 1 and 2: one bad line never blocks a source or loses its neighbours.

Each hostile line sits between two valid ones: the parser names its line and field, the valid
lines are read; a row that still fails to store is isolated by bisection into the dead-letter
table, the rest of its batch and the checkpoint are stored; import and ``run --until-idle`` say
so with exit code 3.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from domain.checkpoint import Checkpoint
from domain.mention import RawMention
from listeners.line_records import CSV_FIELD_LIMIT
from listeners.mention_file import iter_file
from storage import deadletters

WHEN = "2026-10-03T18:20:00+03:30"

#: (case, the hostile line, what the error names)
HOSTILE_LINES = [
    ("followers Infinity", f'{{"text":"a","created_at":"{WHEN}","author_followers": Infinity}}', "Infinity"),
    (
        "followers -Infinity",
        f'{{"text":"a","created_at":"{WHEN}","author_followers": -Infinity}}',
        "Infinity",
    ),
    ("followers NaN", f'{{"text":"a","created_at":"{WHEN}","author_followers": NaN}}', "NaN"),
    ("followers 1e30", f'{{"text":"a","created_at":"{WHEN}","author_followers": 1e30}}', "author_followers"),
    (
        "followers 10^30",
        f'{{"text":"a","created_at":"{WHEN}","author_followers": {10**30}}}',
        "author_followers",
    ),
    (
        "followers 2^31",
        f'{{"text":"a","created_at":"{WHEN}","author_followers": {2**31}}}',
        "author_followers",
    ),
    (
        "followers negative",
        f'{{"text":"a","created_at":"{WHEN}","author_followers": -5}}',
        "author_followers",
    ),
    (
        "followers '1e400'",
        f'{{"text":"a","created_at":"{WHEN}","author_followers": "1e400"}}',
        "author_followers",
    ),
    ("metrics 1e30", f'{{"text":"a","created_at":"{WHEN}","metrics": {{"likes": 1e30}}}}', "metrics.likes"),
    (
        "metrics 10^25",
        f'{{"text":"a","created_at":"{WHEN}","metrics": {{"likes": {10**25}}}}}',
        "metrics.likes",
    ),
    (
        "metrics Infinity",
        f'{{"text":"a","created_at":"{WHEN}","metrics": {{"likes": Infinity}}}}',
        "Infinity",
    ),
    ("5000-digit integer", f'{{"text":"a","created_at":"{WHEN}","author_followers": {"9" * 5000}}}', "4300"),
    ("5000-digit in metrics", f'{{"text":"a","created_at":"{WHEN}","metrics":{{"x":{"9" * 5000}}}}}', "4300"),
    ("year 0001 +03:30", '{"text":"a","created_at":"0001-01-01T00:00:00+03:30"}', "created_at"),
    ("year 9999 -03:30", '{"text":"a","created_at":"9999-12-31T23:59:59-03:30"}', "created_at"),
    ("year 9999 Z", '{"text":"a","created_at":"9999-12-31T23:59:59Z"}', "created_at"),
    ("array 50,000 deep", "[" * 50_000 + "]" * 50_000, "nested"),
    ("object 50,000 deep", '{"a":' * 50_000 + "1" + "}" * 50_000, "nested"),
    (
        "extra field 100 deep",
        f'{{"text":"a","created_at":"{WHEN}","x":' + "[" * 100 + "]" * 100 + "}",
        "nested",
    ),
]


def _valid(i: int) -> str:
    return json.dumps({"text": f"سلام اسنپ فود {i}", "created_at": WHEN, "id": f"ok{i}"}, ensure_ascii=False)


@pytest.mark.parametrize(
    ("line", "names"), [(c[1], c[2]) for c in HOSTILE_LINES], ids=[c[0] for c in HOSTILE_LINES]
)
def test_a_hostile_line_is_a_per_line_error_and_its_neighbours_are_read(
    tmp_path: Path, line: str, names: str
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(f"{_valid(1)}\n{line}\n{_valid(2)}\n", encoding="utf-8")
    records = list(iter_file(path, default_source="import"))
    assert [r.mention.external_id for r in records if r.mention] == ["ok1", "ok2"]
    [bad] = [r for r in records if r.error]
    assert bad.line == 2 and bad.error is not None
    assert names in bad.error.reason, bad.error.reason
    assert len(bad.error.reason) < 200


def test_a_csv_cell_over_the_field_limit_is_that_line_s_error_only(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["text", "created_at", "id"])
        out.writerow(["سلام", WHEN, "ok1"])
        out.writerow(["x" * (CSV_FIELD_LIMIT + 1), WHEN, "huge"])
        out.writerow(["a" * 200_000, WHEN, "long"])  # over the csv module's default 131,072: read
        out.writerow(["درود", WHEN, "ok2"])
    records = list(iter_file(path, default_source="import"))
    assert [r.mention.external_id for r in records if r.mention] == ["ok1", "long", "ok2"]
    [bad] = [r for r in records if r.error]
    assert bad.line == 3 and "field limit" in str(bad.error)


# -- storing: a row that fails on its own goes to the dead letters ------------------------------


@pytest.fixture
def poisoned_url(tmp_path: Path) -> str:
    """A real SQLite archive whose database refuses any mention whose text contains POISON."""
    from storage.db import create_engine_from_url, init_db

    url = f"sqlite:///{tmp_path / 'shenava.db'}"
    init_db(url)
    engine = create_engine_from_url(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TRIGGER poison BEFORE INSERT ON mentions WHEN NEW.text LIKE '%POISON%' "
                "BEGIN SELECT RAISE(ABORT, 'poisoned row'); END"
            )
        )
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def analyzer():  # type: ignore[no-untyped-def]
    from config.loader import BUNDLED_CONFIG, load_settings
    from nlp.analyzer import Analyzer
    from nlp.sentiment import LexiconFallbackSentimentModel

    return Analyzer.from_settings(
        load_settings(BUNDLED_CONFIG), sentiment_model=LexiconFallbackSentimentModel()
    )


def _mention(i: int, body: str = "سفارشم نرسید") -> RawMention:
    from datetime import datetime

    return RawMention(
        source="x", external_id=f"m{i}", text=f"{body} {i}", created_at=datetime.fromisoformat(WHEN)
    )


def test_a_batch_that_fails_to_store_is_bisected_to_its_bad_rows(poisoned_url: str, analyzer) -> None:  # type: ignore[no-untyped-def]
    from shenava.service.pipeline import Pipeline
    from storage.db import create_engine_from_url
    from storage.repository import MentionStore

    engine = create_engine_from_url(poisoned_url)
    pipeline = Pipeline(MentionStore(engine), analyzer)
    batch = [_mention(i, "POISON" if i in (3, 17) else "سفارشم نرسید") for i in range(40)]
    checkpoint = Checkpoint(key="x:test", state={"after": "m39"})
    report = pipeline.process("x:test", batch, checkpoint)
    assert (report.inserted, report.rejected) == (38, 2)
    assert pipeline.store.load_checkpoint("x:test") == checkpoint  # the source moves on
    rows = deadletters.list_rows(engine)
    assert sorted(r["external_id"] for r in rows) == ["m17", "m3"]
    assert all("poisoned row" in r["error"] and "INSERT" not in r["error"] for r in rows)
    # the same batch again (a restart before the checkpoint): nothing new, the letters counted again
    again = pipeline.process("x:test", batch, checkpoint)
    assert (again.inserted, again.duplicates, again.rejected) == (0, 38, 2)
    assert deadletters.count(engine) == 2
    assert {r["attempts"] for r in deadletters.list_rows(engine)} == {2}
    engine.dispose()


def test_a_source_s_out_of_range_values_are_clamped_or_dead_lettered(poisoned_url: str, analyzer) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace
    from datetime import datetime

    from shenava.service.pipeline import Pipeline
    from storage.db import create_engine_from_url
    from storage.repository import MentionStore

    engine = create_engine_from_url(poisoned_url)
    pipeline = Pipeline(MentionStore(engine), analyzer)
    huge = replace(_mention(1), author_followers=10**30, metrics={"likes": 10**40, "replies": -3})
    future = replace(_mention(2), created_at=datetime.fromisoformat("9999-12-31T23:59:59-03:30"))
    report = pipeline.process("x:test", [huge, future, _mention(3)], None)
    assert (report.inserted, report.rejected) == (2, 1)
    with engine.connect() as conn:
        followers, likes, replies = conn.execute(
            text("SELECT author_followers, likes, replies FROM mentions WHERE external_id = 'm1'")
        ).one()
    assert (followers, likes, replies) == (2**31 - 1, 2**31 - 1, 0)
    assert [r["external_id"] for r in deadletters.list_rows(engine)] == ["m2"]
    engine.dispose()


def test_the_deadletter_commands_list_show_retry_and_drop(
    poisoned_url: str, analyzer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import yaml

    from shenava.cli import app
    from shenava.service.pipeline import Pipeline
    from storage.db import create_engine_from_url
    from storage.repository import MentionStore

    engine = create_engine_from_url(poisoned_url)
    Pipeline(MentionStore(engine), analyzer).process(
        "x:test", [_mention(1), _mention(2, "POISON\x1b]0;pwn\x07")], None
    )
    config = tmp_path / "shenava.yaml"
    base = yaml.safe_load(Path("config/shenava.yaml").read_text(encoding="utf-8"))
    base["storage"] = {"url": poisoned_url}
    config.write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
    runner = CliRunner()
    listed = runner.invoke(app, ["deadletter", "list", "-c", str(config), "--json"])
    assert listed.exit_code == 0, listed.output
    [row] = json.loads(listed.output)
    shown = runner.invoke(app, ["deadletter", "show", str(row["id"]), "-c", str(config)])
    assert shown.exit_code == 0 and "\x1b" not in shown.output and "POISON" in shown.output
    status = runner.invoke(app, ["status", "-c", str(config)])
    assert "dead letters: 1" in status.output
    still = runner.invoke(app, ["deadletter", "retry", str(row["id"]), "-c", str(config)])
    assert still.exit_code == 3, still.output  # the trigger still refuses it
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER poison"))
    retried = runner.invoke(app, ["deadletter", "retry", str(row["id"]), "-c", str(config)])
    assert retried.exit_code == 0, retried.output
    assert deadletters.count(engine) == 0
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM mentions")).scalar_one() == 2
    Pipeline(MentionStore(engine), analyzer)._dead_letter("x:test", _mention(9), "boom", _Report())
    [row] = deadletters.list_rows(engine)
    assert runner.invoke(app, ["deadletter", "drop", str(row["id"]), "-c", str(config)]).exit_code == 0
    assert runner.invoke(app, ["deadletter", "drop", str(row["id"]), "-c", str(config)]).exit_code == 1
    engine.dispose()


class _Report:
    rejected = 0


def test_the_api_lists_dead_letters_to_support_and_admin(client, engine) -> None:  # type: ignore[no-untyped-def]
    from tests.hostile.conftest import headers

    deadletters.add(engine, "x:test", _mention(1, "\x1b[2J"), "IntegrityError: poisoned row")
    assert client.get("/api/v1/deadletters", headers=headers("analyst")).status_code == 403
    for role in ("support", "admin"):
        page = client.get("/api/v1/deadletters", headers=headers(role))
        assert page.status_code == 200, page.text
        [item] = page.json()["items"]
        assert page.json()["total"] == 1 and item["error"] == "IntegrityError: poisoned row"
        one = client.get(f"/api/v1/deadletters/{item['id']}", headers=headers(role)).json()
        assert one["payload"]["external_id"] == "m1"
    assert client.get("/api/v1/deadletters/999", headers=headers("admin")).status_code == 404
