from __future__ import annotations

import pytest
from sqlalchemy import Engine

from config.settings import Settings
from domain.brands import BrandSettings
from storage.repository import MentionStore
from tests.archive.corpus import corpus, save_corpus, save_incidents


def digest_settings(**digest: object) -> Settings:
    return Settings(
        brands=[
            BrandSettings(name="sabzino", aliases_fa=["سبزینو"], aliases_latin=["Sabzino"]),
            BrandSettings(name="nobank", aliases_fa=["نوبانک"]),
            BrandSettings(name="tazeh", aliases_fa=["تازه‌مارکت"], competitor=True),
        ],
        digest=digest,
    )


@pytest.fixture
def digest_archive(engine: Engine, store: MentionStore) -> dict[str, int]:
    """The archive corpus plus two incidents of 1403-09-01: one handled, one still open."""
    ids = save_corpus(store)
    hostile = corpus()[0] | {
        "ext": "h1",
        "text": "<img src=x onerror=alert(1)> سبزینو \u202eارسال\u202c افتضاح بود @sabzino_support https://sabzino.ir/o?a=1&b=2",
        "followers": 999_999,
    }
    ids |= save_corpus(store, [hostile])
    save_incidents(engine)
    return ids
