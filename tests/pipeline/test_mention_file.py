"""The mention-file format shared by ``shenava import`` and the replay listener."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.identity import content_id
from listeners.mention_file import MAX_TEXT_CHARS, file_format, iter_file


def write_jsonl(path: Path, records: list[object]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def parse(path: Path, source: str = "import") -> tuple[list, list]:
    good, bad = [], []
    for rec in iter_file(path, default_source=source):
        (bad if rec.error else good).append(rec)
    return good, bad


def test_jsonl_good_and_bad_lines_keep_their_line_numbers(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "m.jsonl",
        [
            {
                "text": "سبزینو دیر آورد 😡",
                "created_at": "2026-10-03T18:20:00+03:30",
                "id": "1",
                "source": "x",
                "author": "@ali",
                "author_followers": 120,
                "lang": "fa",
                "metrics": {"likes": 3},
                "url": "https://x.com/ali/status/1",
                "conversation_id": "c1",
                "extra_field": 7,
            },
            "{not json",
            {"text": "no offset", "created_at": "2026-10-03T18:20:00"},
            {"created_at": "2026-10-03T18:20:00+03:30"},
            "",
            {"text": "bad followers", "created_at": "2026-10-03T18:20:00Z", "author_followers": "many"},
            {"text": "bad metrics", "created_at": "2026-10-03T18:20:00Z", "metrics": [1, 2]},
            "[1, 2]",
            {"text": "bad source", "created_at": "2026-10-03T18:20:00Z", "source": "X Twitter!!"},
            {"text": "ok too", "created_at": "2026-10-03T15:00:00Z"},
        ],
    )
    good, bad = parse(path)
    assert [r.line for r in good] == [1, 10]
    assert [r.line for r in bad] == [2, 3, 4, 6, 7, 8, 9]
    reasons = {r.line: r.error.reason for r in bad}
    assert "not valid JSON" in reasons[2]
    assert "no UTC offset" in reasons[3]
    assert "'text' is required" in reasons[4]
    assert "author_followers" in reasons[6]
    assert "metrics" in reasons[7]
    assert "JSON object" in reasons[8]
    assert "source" in reasons[9]
    first = good[0].mention
    assert first.source == "x" and first.external_id == "1"
    assert first.author_handle == "ali"  # a leading @ is not part of the handle
    assert first.created_at == datetime(2026, 10, 3, 14, 50, tzinfo=UTC)
    assert first.metrics == {"likes": 3} and first.author_followers == 120
    assert first.conversation_id == "c1" and first.raw["extra_field"] == 7
    assert good[1].mention.source == "import"  # the default source


def test_missing_id_is_derived_from_content_with_the_storage_rule(tmp_path: Path) -> None:
    record = {"text": "نوبانک  عالیه", "created_at": "2026-10-03T18:20:00+03:30", "author": "sara"}
    path = write_jsonl(tmp_path / "m.jsonl", [record, record, {**record, "text": "نوبانک بده"}])
    good, _ = parse(path)
    ids = [r.mention.external_id for r in good]
    assert ids[0] == ids[1] != ids[2]
    assert ids[0] == content_id("نوبانک  عالیه", good[0].mention.created_at, "sara")


def test_csv_with_bom_quoted_newlines_and_json_metrics(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "\ufefftext,created_at,source,id,author_followers,metrics\n"
        '"سبزینو، خط اول\nخط دوم",2026-10-03T18:20:00+03:30,instagram,ig1,50,"{""likes"": 4}"\n'
        "bad date,yesterday,x,2,,\n"
        ",2026-10-03T18:20:00+03:30,x,3,,\n"
        "too,many,cells,here,1,{},extra\n"
        "plain,2026-10-03T18:21:00+03:30,,,,\n",
        encoding="utf-8",
    )
    assert file_format(path) == "csv"
    good, bad = parse(path, source="csvsource")
    assert good[0].mention.external_id == "ig1"
    assert good[0].mention.text == "سبزینو، خط اول\nخط دوم"
    assert good[0].mention.metrics == {"likes": 4} and good[0].mention.author_followers == 50
    assert good[1].mention.source == "csvsource" and good[1].mention.external_id.startswith("c:")
    # the quoted newline makes record 1 span lines 2-3; later records keep their physical line numbers
    assert [r.line for r in bad] == [4, 5, 6]
    assert good[1].line == 7


def test_csv_without_required_columns_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("body,when\nhello,now\n", encoding="utf-8")
    good, bad = parse(path)
    assert not good and len(bad) == 1
    assert "created_at" in bad[0].error.reason and "text" in bad[0].error.reason


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script> سبزینو <b>bold</b>",
        "\u202eسبزینو\u200f\u200b\u200d\ufeff",  # bidi override and zero-width characters
        "سبزینو\x00 with a NUL",
    ],
)
def test_hostile_text_is_kept_raw_but_safe(tmp_path: Path, text: str) -> None:
    path = write_jsonl(tmp_path / "h.jsonl", [{"text": text, "created_at": "2026-10-03T18:20:00Z"}])
    good, bad = parse(path)
    assert not bad
    assert good[0].mention.text == text.replace("\x00", "")


def test_huge_text_is_cut_and_invalid_utf8_is_one_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    big = json.dumps({"text": "س" * (MAX_TEXT_CHARS * 5), "created_at": "2026-10-03T18:20:00Z"})
    path.write_bytes(
        big.encode()
        + b"\n"
        + b'{"text": "\xff\xfe", "created_at": "x"}\n'
        + b'{"text": "ok", "created_at": "2026-10-03T18:20:00Z"}\n'
    )
    good, bad = parse(path)
    assert len(good[0].mention.text) == MAX_TEXT_CHARS
    assert [r.line for r in bad] == [2] and "UTF-8" in bad[0].error.reason
    assert good[1].line == 3
