"""Fixtures for the pipeline tests: a real analyzer (the lexicon fallback model: fast, no
download) over the bundled config's brands, and a pipeline on the shared ``store`` fixture
(SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from config.loader import BUNDLED_CONFIG, load_settings
from config.settings import Settings
from nlp.analyzer import Analyzer
from nlp.sentiment import LexiconFallbackSentimentModel
from shenava.pipeline import Pipeline
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
