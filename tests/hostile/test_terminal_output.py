"""Issue 15, failure 6 (terminal half): stored text never reaches a terminal raw.

A mention whose text, author and source carry ESC sequences (window title, clear screen, a
disguised hyperlink), C1 controls and bidi overrides is stored as it came; every command that
prints it shows those characters escaped (``shenava.terminal_text``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from domain.mention import RawMention
from shenava.terminal_text import one_line, terminal_safe

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = (
    "سبزینو \x1b]0;pwned\x07 \x1b[2J\x1b[H \x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\ "
    "\x9b31m \u202eتست\u202c \r overwritten"
)
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\r")


@pytest.mark.parametrize("char", [*RAW, "\x00", "\x7f", "\x85", "\u2066", "\u2069"])
def test_the_helper_escapes_each_control_character(char: str) -> None:
    assert char not in terminal_safe(f"a{char}b") and char not in one_line(f"a{char}b")
    assert terminal_safe("سلام\tدنیا\n") == "سلام\tدنیا\n"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    from config.loader import BUNDLED_CONFIG, load_settings
    from nlp.analyzer import Analyzer
    from nlp.sentiment import LexiconFallbackSentimentModel
    from shenava.service.pipeline import Pipeline
    from storage.db import create_engine_from_url, init_db
    from storage.repository import MentionStore

    tmp = tmp_path_factory.mktemp("term")
    url = f"sqlite:///{tmp / 'shenava.db'}"
    init_db(url)
    engine = create_engine_from_url(url)
    analyzer = Analyzer.from_settings(
        load_settings(BUNDLED_CONFIG), sentiment_model=LexiconFallbackSentimentModel()
    )
    mention = RawMention(
        source="x", external_id="evil\x1b[2J", text=HOSTILE, author_handle="ev\x1b]0;t\x07il",
        created_at=datetime.fromisoformat("2026-10-03T18:20:00+03:30"),
    )  # fmt: skip
    report = Pipeline(MentionStore(engine), analyzer).process("x:test", [mention], None)
    [mention_id] = report.inserted_ids
    engine.dispose()
    base = yaml.safe_load((ROOT / "config" / "shenava.yaml").read_text(encoding="utf-8"))
    base["storage"] = {"url": url}
    (tmp / "shenava.yaml").write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
    return tmp / "shenava.yaml", mention_id


@pytest.mark.parametrize(
    "command",
    [
        ["search", "سبزینو"],
        ["search"],
        ["mentions", "show", "{id}"],
        ["status"],
        ["urgent", "list", "--status", "all"],
        ["incidents", "list", "--status", "all"],
        ["deadletter", "list"],
    ],
    ids=lambda c: " ".join(c),
)
def test_no_command_prints_a_control_character(workspace: tuple[Path, int], command: list[str]) -> None:
    from shenava.cli import app

    config, mention_id = workspace
    args = [part.replace("{id}", str(mention_id)) for part in command]
    result = CliRunner().invoke(app, [*args, "--config", str(config)])
    assert result.exit_code == 0, result.output
    for char in RAW:
        assert char not in result.output, (char, result.output[-500:])
