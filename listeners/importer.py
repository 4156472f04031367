"""``shenava import FILE``: backfill a JSONL/CSV export from another tool.

Reads the file in batches and hands each batch to a ``process`` callable (the pipeline's
analyse → store stages), so a bad line is reported with its number while the rest goes in.
Storage is idempotent on (source, id) and a missing id is derived from the content, so
importing the same file twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from domain.mention import RawMention
from listeners.line_records import RecordError
from listeners.mention_file import IdDeriver, iter_file

DEFAULT_SOURCE = "import"


@dataclass
class ImportReport:
    """What an import did; ``errors`` lists each bad line with its reason."""

    total_lines: int = 0
    lines: int = 0
    read: int = 0
    inserted: int = 0
    duplicates: int = 0
    errors: list[RecordError] = field(default_factory=list)


#: ``process(mentions) -> (inserted, duplicates)``
ProcessBatch = Callable[[Sequence[RawMention]], tuple[int, int]]


def import_file(
    path: str | Path,
    process: ProcessBatch,
    *,
    batch_size: int = 256,
    default_source: str = DEFAULT_SOURCE,
    derive_id: IdDeriver | None = None,
    on_progress: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import every good record of ``path``; ``on_progress(report)`` after each batch.

    ``report.total_lines`` is known from the start (for a progress bar). Raises
    ``FileNotFoundError`` for a missing file; bad records never raise.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    with path.open("rb") as fh:
        report = ImportReport(total_lines=sum(1 for _ in fh))
    batch: list[RawMention] = []

    def flush() -> None:
        if batch:
            inserted, duplicates = process(batch)
            report.inserted += inserted
            report.duplicates += duplicates
            batch.clear()
        if on_progress:
            on_progress(report)

    for record in iter_file(path, default_source=default_source, derive_id=derive_id):
        report.lines = record.line
        if record.error is not None:
            report.errors.append(record.error)
            continue
        assert record.mention is not None
        report.read += 1
        batch.append(record.mention)
        if len(batch) >= batch_size:
            flush()
    flush()
    report.lines = report.total_lines
    return report
