from __future__ import annotations

import pytest
from sqlalchemy import Engine

from storage.repository import MentionStore
from tests.archive.corpus import save_corpus


@pytest.fixture
def archive(engine: Engine, store: MentionStore) -> dict[str, int]:
    """The corpus stored on the current backend: external id → mention id."""
    return save_corpus(store)
