"""Issue 15 item 4: property-based checks (Hypothesis) on the parsers hostile input meets first.

Bounded ``max_examples`` keep this file within seconds; CI runs it with the rest of tests/hostile.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.loader import ConfigError, load_settings
from config.settings import Settings
from listeners.line_records import RecordError
from listeners.mention_file import iter_file, parse_record
from nlp.normalize import MAX_CHARS, normalize, normalize_for_search
from shenava.terminal_text import one_line, terminal_safe
from storage.search_fts import fts5_match, parse_search

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: any text, weighted towards what hostile posts carry: Persian, controls, bidi, zero-width, emoji
HOSTILE_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("سلامآیيكۀ\u200c\u200d\u202e\u2066\x1b\x00\x07\x9b\ufeff😡🔥#@*\"'-")),
    ),
    max_size=400,
)
JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    HOSTILE_TEXT,
)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@FAST
@given(HOSTILE_TEXT)
def test_the_normaliser_never_raises_is_idempotent_and_bounded(text: str) -> None:
    once = normalize_for_search(text)
    assert normalize_for_search(once) == once
    assert len(once) <= MAX_CHARS * 2
    assert normalize(text).raw == text


@FAST
@given(HOSTILE_TEXT)
def test_terminal_text_has_no_control_characters(text: str) -> None:
    for shown in (terminal_safe(text), one_line(text)):
        assert not any(
            (ord(c) < 32 and c not in "\t\n")
            or 0x7F <= ord(c) <= 0x9F
            or 0x202A <= ord(c) <= 0x202E
            or 0x2066 <= ord(c) <= 0x2069
            for c in shown
        )
    assert "\n" not in one_line(text)


@FAST
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "text",
                "created_at",
                "author_followers",
                "metrics",
                "id",
                "source",
                "author",
                "url",
                "lang",
                "extra",
            ]
        ),
        JSON_VALUE,
        max_size=8,
    )
)
def test_the_mention_parser_raises_only_its_per_line_error(record: dict) -> None:
    try:
        mention = parse_record(record, line=7, default_source="import", derive_id=lambda *a: "derived")
    except RecordError as exc:
        assert exc.line == 7 and str(exc).startswith("line 7:")
        return
    assert mention.text.strip() and mention.created_at.tzinfo is not None
    assert mention.author_followers is None or 0 <= mention.author_followers < 2**31


VALID_TIME = st.datetimes(
    min_value=datetime(1991, 1, 1),
    max_value=datetime(2099, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=3, minutes=30)), timezone(timedelta(hours=-8))]),
)


@SLOW
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "text": HOSTILE_TEXT.filter(lambda t: t.replace("\x00", "").strip()),
                "created_at": VALID_TIME.map(datetime.isoformat),
                "author_followers": st.integers(min_value=0, max_value=2**31 - 1),
                "metrics": st.dictionaries(st.sampled_from(["likes", "replies"]), st.integers(0, 2**31 - 1)),
            }
        ),
        min_size=1,
        max_size=5,
    )
)
def test_valid_lines_round_trip_through_the_file_reader(
    tmp_path_factory: pytest.TempPathFactory, rows: list
) -> None:
    path = tmp_path_factory.mktemp("rt") / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    records = list(iter_file(path, default_source="import"))
    assert [r.error for r in records] == [None] * len(rows)
    for record, row in zip(records, rows, strict=True):
        assert record.mention is not None
        assert record.mention.created_at == datetime.fromisoformat(row["created_at"])
        assert record.mention.author_followers == row["author_followers"]
        assert record.mention.metrics == row["metrics"]


@FAST
@given(HOSTILE_TEXT)
def test_the_search_parser_either_parses_or_says_why(text: str) -> None:
    from storage.search_fts import SearchSyntaxError

    try:
        clauses = parse_search(text)
    except SearchSyntaxError as exc:
        assert str(exc)
        return
    if clauses:
        match = fts5_match(clauses)
        assert match.count('"') % 2 == 0  # every token quoted: nothing reaches FTS5 as syntax


@SLOW
@given(JSON_VALUE)
def test_any_yaml_is_settings_or_a_config_error_naming_the_file(
    tmp_path_factory: pytest.TempPathFactory, doc
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("cfg") / "shenava.yaml"
    try:
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    except UnicodeEncodeError:  # a lone surrogate cannot be written as UTF-8 by anyone
        return
    try:
        assert isinstance(load_settings(path), Settings)
    except ConfigError as exc:
        assert str(path) in str(exc) or exc.path == path


@SLOW
@given(st.binary(max_size=300))
def test_any_bytes_as_a_config_file_are_a_config_error_or_settings(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("cfg") / "shenava.yaml"
    path.write_bytes(data)
    try:
        load_settings(path)
    except ConfigError as exc:
        assert exc.path == path and str(exc)


def test_a_config_error_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "shenava.yaml"
    path.write_text("brands:\n  - name: x\nsources:\n  replay:\n    speed: .nan\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert f"{path}:5" in str(caught.value)
