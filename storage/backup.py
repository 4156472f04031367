"""Backups of a SQLite archive with SQLite's online backup API (``sqlite3.Connection.backup``).

The copy is consistent while the service writes: it is taken in one step, inside one read
transaction, i.e. one snapshot (in WAL mode that reader never blocks the writer; copying in small
steps instead would restart from the start whenever a writer changed the source, forever on a busy
archive).
A restore copies the backup over the archive the same way, inside SQLite's own locking; stop the
service first (it would keep writing to what is being replaced). PostgreSQL archives are backed up
with ``pg_dump`` / ``pg_restore`` (see the README).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.db import SQLITE_BUSY_TIMEOUT_MS, normalize_url


class BackupError(ValueError):
    """A backup or restore that cannot be done as asked (wrong database kind, not a Shenava file)."""


def sqlite_path(url: str) -> Path:
    parsed = normalize_url(make_url(url))
    if parsed.get_backend_name() != "sqlite":
        raise BackupError(
            "shenava backup/restore handle SQLite archives; for PostgreSQL use pg_dump -Fc and pg_restore "
            "(README: Backups)"
        )
    if not parsed.database or parsed.database == ":memory:" or parsed.database.startswith("file:"):
        raise BackupError("storage.url names no SQLite file to back up")
    return Path(parsed.database)


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)


def _check_archive(path: Path) -> int:
    """The number of mentions in a Shenava SQLite file, or ``BackupError``."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (quick_check failed)")
            conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return int(conn.execute("SELECT count(*) FROM mentions").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a Shenava archive ({exc})") from None


def backup(url: str, destination: Path) -> int:
    """Copy the archive at ``url`` to ``destination`` (replaced if present); the mentions copied."""
    source = sqlite_path(url)
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(_connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
        src.backup(dst)  # one step: one consistent snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    count = _check_archive(partial)
    partial.replace(destination)  # a crash mid-backup never leaves a half file under the real name
    return count


def restore(backup_file: Path, url: str) -> int:
    """Replace the archive at ``url`` with ``backup_file``'s contents; the mentions restored."""
    target = sqlite_path(url)
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} does not exist")
    count = _check_archive(backup_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)) as src,
        closing(_connect(target)) as dst,
    ):
        src.backup(dst)
    return count
