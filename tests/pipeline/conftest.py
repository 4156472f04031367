"""Fixtures for the pipeline tests: a real analyzer (the lexicon fallback model: fast, no
download) over the bundled config's brands, and a pipeline on the shared ``store`` fixture
(SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from config.loader import BUNDLED_CONFIG, load_settings
from config.settings import Settings
from nlp.analyzer import Analyzer
from nlp.sentiment import LexiconFallbackSentimentModel
from shenava.service.pipeline import Pipeline
from storage.repository import MentionStore


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings(BUNDLED_CONFIG)


@pytest.fixture(scope="session")
def analyzer(settings: Settings) -> Analyzer:
    return Analyzer.from_settings(settings, sentiment_model=LexiconFallbackSentimentModel())


@pytest.fixture
def pipeline(store: MentionStore, analyzer: Analyzer) -> Pipeline:
    return Pipeline(store, analyzer)


@pytest.fixture(autouse=True)
def _restore_root_logging() -> Iterator[None]:
    """CLI commands install a log handler on the stream CliRunner lends them; drop it after."""
    root, batch_log = logging.getLogger(), logging.getLogger("shenava.pipeline")
    handlers, level, batch_level = list(root.handlers), root.level, batch_log.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    batch_log.setLevel(batch_level)  # `shenava import` quiets the batch lines behind its progress bar
