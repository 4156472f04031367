from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from config.settings import BrandSettings, Settings
from storage.models import Incident
from storage.repository import MentionStore
from tests.archive.corpus import DAY1, corpus, save_corpus


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
    opened = DAY1 + timedelta(hours=6)
    with Session(engine) as session, session.begin():
        session.add_all(
            [
                Incident(
                    brand="sabzino",
                    touchpoint="delivery",
                    severity="high",
                    status="resolved",
                    opened_at=opened,
                    updated_at=opened,
                    acknowledged_at=opened + timedelta(minutes=12),
                    acknowledged_by="neda",
                    resolved_by="neda",
                    resolved_at=opened + timedelta(hours=2, minutes=5),
                    peak_count=9,
                ),
                Incident(
                    brand="sabzino",
                    touchpoint="support",
                    severity="critical",
                    status="open",
                    opened_at=opened + timedelta(hours=3),
                    updated_at=opened + timedelta(hours=3),
                    peak_count=4,
                ),
            ]
        )
    return ids
