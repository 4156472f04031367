"""Shenava (شنوا): Persian-first social listening. This package wires the CLI, scheduler and API."""

from storage.query_normalizer import use_query_normalizer

__version__ = "0.1.0"


def _normalize_for_search(text: str) -> str:
    from nlp.normalize import normalize_for_search  # late: `shenava --help` loads no NLP

    return normalize_for_search(text)


# Archive search normalises query words as nlp normalised the stored text; storage cannot import
# nlp (they are layers side by side), so the wiring hands it the normaliser once, here.
use_query_normalizer(_normalize_for_search)
