"""How archive search normalises a query word: exactly as the stored ``normalized_text`` was.

That normaliser is nlp's (``nlp.normalize.normalize_for_search``), and storage does not import
nlp (they are layers side by side), so the wiring installs it at start-up: importing ``shenava``
does, and so do the tests' conftest and the archive benchmark. This module stays tiny so that
installing it costs nothing (``shenava --help`` loads no database code).
"""

from __future__ import annotations

from collections.abc import Callable

_installed: Callable[[str], str] | None = None


def use_query_normalizer(normalize: Callable[[str], str]) -> None:
    """Install the normaliser of search words: the one that produced the stored texts."""
    global _installed
    _installed = normalize


def query_normalizer() -> Callable[[str], str]:
    """The installed normaliser; a RuntimeError naming the fix when none is."""
    if _installed is None:
        raise RuntimeError(
            "no search-query normaliser installed: call storage.query_normalizer.use_query_normalizer("
            "nlp.normalize.normalize_for_search) at start-up (importing shenava does)"
        )
    return _installed
